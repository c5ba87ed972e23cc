import type { Role } from '../../src/core/common/vocabulary.ts';
import type { Persona } from './driver.ts';

// The people in every scenario. Both drivers give them the same printed names (Slack's users.info
// real name, Teams' `from.name`), so a signature or a mention reads the same on both platforms.

export interface PersonaFacts {
  name: string;
  /** Granted before each scenario; vendor ownership is set per vendor. */
  roles: Role[];
}

export const PEOPLE: Record<Persona, PersonaFacts> = {
  dana: { name: 'Dana Analyst', roles: ['analyst'] },
  pat: { name: 'Pat Approver', roles: ['approver'] },
  quinn: { name: 'Quinn Approver', roles: ['approver'] },
  olive: { name: 'Olive Owner', roles: [] },
  vic: { name: 'Vic Viewer', roles: [] },
  ada: { name: 'Ada Admin', roles: ['admin'] },
  sam: { name: 'Sam Engineer', roles: [] },
};

/** Placeholders in command text: `@{olive}` is a mention of Olive, `#{security}` of a channel. */
export const PERSON_PLACEHOLDER = /@\{([a-z]+)\}/g;
export const CHANNEL_PLACEHOLDER = /#\{([a-z]+)\}/g;
