import type { DbOrTx } from '../../store/database.ts';
import type { FindingRow } from '../../store/tables.ts';
import { conflict, invalidState, type UserError } from '../common/errors.ts';
import { displayName } from '../roles/people.ts';
import type { FindingAction } from './states.ts';
import { STATE_LABELS } from './states.ts';

// The words people read when a finding changes or a step is refused. A second click, or the loser of
// a race, must learn what happened and who did it, not see an error.

/** `2026-06-01T09:12:30.000Z` -> `2026-06-01 09:12 UTC`: the signature manifestation's time format. */
export function formatUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

const VERBS: Record<FindingAction, string> = {
  acknowledge: 'acknowledged',
  assign: 'assigned',
  escalate: 'escalated',
  request_acceptance: 'put forward for risk acceptance',
  approve_escalation: 'approved',
  approve_acceptance: 'approved',
  reject: 'rejected',
  resolve: 'resolved',
  reopen: 'reopened',
  propose_fix: 'marked fixed',
  verify_fix: 'verified',
  return_fix: 'sent back',
  withdraw_request: 'withdrawn',
};

/** What the latest change did, as said of the person who made it. */
const DONE: Record<FindingAction | 'open', string> = {
  open: 'opened it',
  acknowledge: 'acknowledged it',
  assign: 'assigned it',
  escalate: 'asked for its escalation',
  request_acceptance: 'asked for its risk acceptance',
  approve_escalation: 'approved its escalation',
  approve_acceptance: 'approved its risk acceptance',
  reject: 'rejected its request',
  resolve: 'resolved it',
  reopen: 'reopened it',
  propose_fix: 'marked it fixed',
  verify_fix: 'verified its fix',
  return_fix: 'sent its fix back',
  withdraw_request: 'withdrew its request',
};

/**
 * The finding's latest change as a sentence (`Blair Lee assigned it at 2026-06-01 09:12 UTC.`), so a
 * person refused because someone acted first learns who and when; null before any change.
 */
export async function lastChangeLine(db: DbOrTx, findingId: number): Promise<string | null> {
  const row = await db
    .selectFrom('audit_log')
    .select(['actor_name', 'action', 'at'])
    .where('entity_type', '=', 'finding')
    .where('entity_id', '=', String(findingId))
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const step = row?.action.replace(/^finding\./, '') as keyof typeof DONE | undefined;
  if (!row || !step || !(step in DONE)) return null;
  return `${row.actor_name} ${DONE[step]} at ${formatUtc(row.at)}.`;
}

/** Why `action` cannot happen to `finding` as it stands now, naming who got there first. */
export async function refusal(db: DbOrTx, finding: FindingRow, action: FindingAction): Promise<UserError> {
  const state = finding.state;
  if (state === 'resolved' && finding.resolved_at) {
    const by = await displayName(db, finding.resolved_by);
    return conflict(`Already resolved by ${by} at ${formatUtc(finding.resolved_at)}.`);
  }
  if (action === 'acknowledge' && finding.acknowledged_at) {
    const by = await displayName(db, finding.acknowledged_by);
    return conflict(`Already acknowledged by ${by} at ${formatUtc(finding.acknowledged_at)}.`);
  }
  // The state alone does not say who moved it there; its latest audited change does.
  const last = await lastChangeLine(db, finding.id);
  return invalidState(last ? `${stateRefusal(finding, action)} ${last}` : stateRefusal(finding, action));
}

function stateRefusal(finding: FindingRow, action: FindingAction): string {
  const state = finding.state;
  if (action === 'resolve' && (state === 'escalated' || state === 'risk_accepted')) {
    return `Finding #${finding.id} carries an approver's decision, so it closes by verified fix: the owner marks it fixed and another analyst verifies.`;
  }
  if (state === 'fix_proposed' && action !== 'verify_fix' && action !== 'return_fix') {
    return `A fix for finding #${finding.id} is waiting for an analyst to verify it.`;
  }
  if (state === 'escalation_pending') {
    return `An approval request on finding #${finding.id} is already waiting for a decision.`;
  }
  if (state === 'risk_accepted') {
    return `The risk on finding #${finding.id} is accepted until ${finding.accepted_until}.`;
  }
  return `Finding #${finding.id} is ${STATE_LABELS[state].toLowerCase()} now, so it can't be ${VERBS[action]}.`;
}

/** The line threaded under a finding's card for each change. */
export const historyLine = {
  acknowledged: (by: string) => `Acknowledged by ${by}`,
  assigned: (to: string, by: string) => `Assigned to ${to} by ${by}`,
  resolved: (by: string, note: string) => `Resolved by ${by}: ${note}`,
  reopened: (reason: string) => `Reopened: ${reason}`,
  requested: (by: string, what: string, reason: string) => `${what} requested by ${by}: ${reason}`,
  decided: (by: string, decision: 'approved' | 'rejected', what: string, at: string, reason: string | null) =>
    `${what} ${decision} by ${by} at ${formatUtc(at)}${reason ? `: ${reason}` : ''}`,
  withdrawn: (what: string) => `${what} request withdrawn: the finding was resolved`,
  fixProposed: (by: string, note: string) => `Marked fixed by ${by}, waiting for an analyst to verify: ${note}`,
  fixVerified: (by: string, note: string) => `Fix verified by ${by}: ${note}`,
  fixReturned: (by: string, reason: string) => `Fix sent back by ${by}: ${reason}`,
  requestWithdrawn: (what: string, by: string, reason: string) => `${what} request withdrawn by ${by}: ${reason}`,
};
