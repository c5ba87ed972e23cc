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
] as const;
export type FindingAction = (typeof FINDING_ACTIONS)[number];

/** The actions that appear as buttons on a finding card; decisions live on the approval card. */
export const CARD_ACTIONS = ['acknowledge', 'assign', 'escalate', 'request_acceptance', 'resolve'] as const;
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
];

const REQUESTABLE: readonly FindingState[] = ['open', 'acknowledged', 'assigned'];

/**
 * state -> action -> next state. `reject` is absent: where a rejected request goes depends on the
 * finding's history, see `stateAfterRejection`. Assigning an escalated finding keeps it escalated:
 * someone still has to carry out the approved action.
 */
export const TRANSITIONS: Readonly<Record<FindingState, Partial<Record<FindingAction, FindingState>>>> = {
  open: {
    acknowledge: 'acknowledged',
    assign: 'assigned',
    escalate: 'escalation_pending',
    request_acceptance: 'escalation_pending',
    resolve: 'resolved',
  },
  acknowledged: {
    assign: 'assigned',
    escalate: 'escalation_pending',
    request_acceptance: 'escalation_pending',
    resolve: 'resolved',
  },
  assigned: {
    assign: 'assigned',
    escalate: 'escalation_pending',
    request_acceptance: 'escalation_pending',
    resolve: 'resolved',
  },
  escalation_pending: {
    approve_escalation: 'escalated',
    approve_acceptance: 'risk_accepted',
    resolve: 'resolved',
  },
  escalated: { assign: 'escalated', resolve: 'resolved' },
  risk_accepted: { resolve: 'resolved', reopen: 'open' },
  resolved: {},
};

/** The state `action` leads to from `state`, or null when the step is not allowed. */
export function nextState(state: FindingState, action: FindingAction): FindingState | null {
  if (action === 'reject') return null;
  return TRANSITIONS[state][action] ?? null;
}

export function canTransition(state: FindingState, action: FindingAction): boolean {
  if (action === 'reject') return state === 'escalation_pending';
  return nextState(state, action) !== null;
}

/** The states `action` may start from: the `where state in (...)` of the conditional update. */
export function statesAllowing(action: FindingAction): FindingState[] {
  if (action === 'reject') return ['escalation_pending'];
  return (Object.keys(TRANSITIONS) as FindingState[]).filter((s) => TRANSITIONS[s][action] !== undefined);
}

/** The buttons a card shows for a finding in this state, in display order. */
export function availableActions(state: FindingState): CardAction[] {
  return CARD_ACTIONS.filter((a) => TRANSITIONS[state][a] !== undefined);
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
};
