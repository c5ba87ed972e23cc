/** Who did something: a principal id (`slack:U123`, `teams:<aad id>`, `cli:<user>`, `system`) and a printed name. */
export interface Actor {
  id: string;
  name: string;
}

export const SYSTEM_ACTOR: Actor = { id: 'system', name: 'Vendor Risk Bot' };
