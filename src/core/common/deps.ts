import type { Db } from '../../store/database.ts';
import type { Questionnaire } from '../assessments/questionnaire.ts';
import type { Policy } from '../policy/policy.ts';
import type { Clock } from './clock.ts';

/** Where notifications go when a vendor names no channel of its own. Targets are `slack:C123`-style. */
export interface Routing {
  findingsChannels: string[];
  approvalsChannels: string[];
  /** Where incident cards go (INCIDENT_CHANNEL / TEAMS_INCIDENT_CONVERSATION); else where findings go. */
  incidentChannels?: string[];
}

/** What every domain operation needs; built once in main.ts (or a test) and passed down. */
export interface CoreDeps {
  db: Db;
  clock: Clock;
  policy: Policy;
  routing: Routing;
  /** IANA zone in which calendar dates (due days, expiry days, the digest hour) are reckoned. */
  timeZone: string;
  /** The control set reassessments ask; the shipped default when absent. */
  questionnaire?: Questionnaire;
  /** How decisions are signed (SIGNATURE_MODE): chat identity plus a signing PIN unless 'chat-identity'. */
  signatureMode?: SignatureMode;
}

/** 'pin' (default): chat identity plus signing PIN; 'chat-identity': the chat session alone (outside GxP). */
export type SignatureMode = 'pin' | 'chat-identity';
