import type { FindingState } from '../common/vocabulary.ts';

// The finding state machine, pure. Every transition the store makes is checked against this table
// first (21 CFR 11.10(f): the system enforces the permitted sequence of steps), and cards ask it which
// buttons to show, so a button never offers a step the store would refuse.

/** What a person (or the system) can do to a finding. */
export const FINDING_ACTIONS = [
  'acknowledge',
  'assign',
  'escalate',
  'request_acceptance',
  'approve_escalation',
  'approve_acceptance',
  'reject',
  'resolve',
  'reopen',
  'propose_fix',
  'verify_fix',
  'return_fix',
  'withdraw_request',
] as const;
export type FindingAction = (typeof FINDING_ACTIONS)[number];

/** The actions that appear as buttons on a finding card; decisions live on the approval card. */
export const CARD_ACTIONS = [
  'acknowledge',
  'assign',
  'escalate',
  'request_acceptance',
  'resolve',
  'propose_fix',
  'verify_fix',
  'return_fix',
  'withdraw_request',
] as const;
export type CardAction = (typeof CARD_ACTIONS)[number];

/** Resolved is the only state nothing leaves; risk_accepted waits for its expiry (reopen) or a fix. */
export const FINAL_STATES: readonly FindingState[] = ['resolved'];

/** Still needs someone's attention: counted on posture, listed as open work. */
export const ACTIVE_STATES: readonly FindingState[] = [
  'open',
  'acknowledged',
  'assigned',
  'escalation_pending',
  'escalated',
  'fix_proposed',
];

const REQUESTABLE: readonly FindingState[] = ['open', 'acknowledged', 'assigned'];

/**
 * state -> action -> next state. `reject`, `return_fix` and `withdraw_request` are absent: where they
 * go depends on the finding's history, see `stateAfterRejection` and `fix_from_state`. Assigning an
 * escalated finding keeps it escalated: someone still has to carry out the approved action.
 *
 * Permissions by state: `resolve` (an analyst closing it outright) is only offered where no approver
 * is involved. A finding that waits on an approver, or carries an approver's decision, is closed by
 * verified closure instead: the owner proposes the fix, another analyst verifies it.
 */
export const TRANSITIONS: Readonly<Record<FindingState, Partial<Record<FindingAction, FindingState>>>> = {
  open: {
    acknowledge: 'acknowledged',
    assign: 'assigned',
    escalate: 'escalation_pending',
    request_acceptance: 'escalation_pending',
    resolve: 'resolved',
    propose_fix: 'fix_proposed',
  },
  acknowledged: {
    assign: 'assigned',
    escalate: 'escalation_pending',
    request_acceptance: 'escalation_pending',
    resolve: 'resolved',
    propose_fix: 'fix_proposed',
  },
  assigned: {
    assign: 'assigned',
    escalate: 'escalation_pending',
    request_acceptance: 'escalation_pending',
    resolve: 'resolved',
    propose_fix: 'fix_proposed',
  },
  escalation_pending: {
    approve_escalation: 'escalated',
    approve_acceptance: 'risk_accepted',
  },
  escalated: { assign: 'escalated', propose_fix: 'fix_proposed' },
  risk_accepted: { propose_fix: 'fix_proposed', reopen: 'open' },
  fix_proposed: { verify_fix: 'resolved' },
  resolved: {},
};

/** Steps whose target the caller names (it depends on history), and the states they start from. */
const HISTORY_STEPS: Partial<Record<FindingAction, FindingState>> = {
  reject: 'escalation_pending',
  withdraw_request: 'escalation_pending',
  return_fix: 'fix_proposed',
};

/** The state `action` leads to from `state`, or null when the step is not allowed. */
export function nextState(state: FindingState, action: FindingAction): FindingState | null {
  if (HISTORY_STEPS[action]) return null;
  return TRANSITIONS[state][action] ?? null;
}

export function canTransition(state: FindingState, action: FindingAction): boolean {
  const from = HISTORY_STEPS[action];
  if (from) return state === from;
  return nextState(state, action) !== null;
}

/** The states `action` may start from: the `where state in (...)` of the conditional update. */
export function statesAllowing(action: FindingAction): FindingState[] {
  const from = HISTORY_STEPS[action];
  if (from) return [from];
  return (Object.keys(TRANSITIONS) as FindingState[]).filter((s) => TRANSITIONS[s][action] !== undefined);
}

/** The buttons a card shows for a finding in this state, in display order. */
export function availableActions(state: FindingState): CardAction[] {
  return CARD_ACTIONS.filter((a) => canTransition(state, a));
}

export function isFinal(state: FindingState): boolean {
  return FINAL_STATES.includes(state);
}

export function isRequestable(state: FindingState): boolean {
  return REQUESTABLE.includes(state);
}

/**
 * A rejected escalation or acceptance sends the finding back where it was: assigned if someone has it,
 * else acknowledged if someone acknowledged it, else open.
 */
export function stateAfterRejection(finding: { assignee_id: string | null; acknowledged_at: string | null }) {
  if (finding.assignee_id) return 'assigned' as const;
  if (finding.acknowledged_at) return 'acknowledged' as const;
  return 'open' as const;
}

export const STATE_LABELS: Record<FindingState, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  assigned: 'Assigned',
  escalation_pending: 'Escalation pending',
  escalated: 'Escalated',
  resolved: 'Resolved',
  risk_accepted: 'Risk accepted',
  fix_proposed: 'Fix proposed',
};
