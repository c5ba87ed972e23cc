import type { CoreDeps } from '../core/common/deps.ts';
import { setSigningPin, signingPinState } from '../core/signing/pin.ts';

// The demo's people sign with a demo signing PIN each (21 CFR 11.200(a)(1) shown, not protected): the
// playground prints them beside the personas so anyone can try Approve and Reject. Never real PINs.

const DEMO_PINS = ['481516', '271828', '314159', '161803', '662607', '299792', '602214', '137035'];

/** The demo PIN of the person at `index` in the portfolio's order. */
export function demoSigningPin(index: number): string {
  return DEMO_PINS[index % DEMO_PINS.length] ?? DEMO_PINS[0]!;
}

/** Sets each demo person's PIN unless they have one (or are locked): a kept playground keeps its PINs. */
export async function seedDemoSigningPins(deps: CoreDeps, people: { principal: string; name: string }[]) {
  for (const [index, person] of people.entries()) {
    if ((await signingPinState(deps.db, person.principal)) !== 'none') continue;
    await setSigningPin(deps.db, deps, { id: person.principal, name: person.name }, { pin: demoSigningPin(index) });
  }
}
