import type { ApprovalDetail } from '../../core/approvals/queries.ts';
import { requestTitle } from '../../core/approvals/request.ts';
import { manifestation } from '../../core/audit/signatures.ts';
import type { FindingDetail } from '../../core/findings/queries.ts';
import { type CardAction, isFinal, STATE_LABELS } from '../../core/findings/states.ts';
import { ACTIONS, type ActionId } from '../actions.ts';
import { inert, inertTitle } from '../inert.ts';
import type { Block, Button, Reply } from '../reply.ts';
import { inChannel } from '../reply.ts';
import { withDeclareIncident } from './incident-button.ts';
import { capitalize, dueWording, formatUtc, person, printedName } from './wording.ts';

// The one card per finding. It is edited in place on every change (the outbox keeps its message),
// so it always shows the current state, the latest change, every signed decision (21 CFR 11.50:
// printed name, UTC time, meaning, reason) and only the buttons the current state allows.

export interface LatestChange {
  /** What happened, e.g. "Acknowledged". */
  label: string;
  by: string;
  /** ISO-8601 UTC. */
  at: string;
}

export interface FindingCardData {
  finding: FindingDetail;
  lastChange: LatestChange | null;
  /** Every approval request on the finding, oldest first, with the signatures of decided ones. */
  requests: ApprovalDetail[];
}

/** Button label, action id and placement for each card action; at most three primary buttons. */
const CARD_BUTTONS: Record<CardAction, { label: string; action: ActionId; primary: boolean }> = {
  acknowledge: { label: 'Acknowledge', action: ACTIONS.findingAck, primary: true },
  assign: { label: 'Assign', action: ACTIONS.findingAssign, primary: true },
  escalate: { label: 'Escalate', action: ACTIONS.findingEscalate, primary: true },
  resolve: { label: 'Resolve', action: ACTIONS.findingResolve, primary: false },
  request_acceptance: { label: 'Request risk acceptance', action: ACTIONS.findingAccept, primary: false },
  propose_fix: { label: 'Mark fixed', action: ACTIONS.findingFixed, primary: false },
  verify_fix: { label: 'Verify fix', action: ACTIONS.findingVerify, primary: true },
  return_fix: { label: 'Send back', action: ACTIONS.findingSendBack, primary: true },
  withdraw_request: { label: 'Withdraw request', action: ACTIONS.findingWithdraw, primary: false },
};

/** Display order: the everyday steps first; closing steps lead the overflow menu. */
const BUTTON_ORDER: readonly CardAction[] = [
  'acknowledge',
  'assign',
  'escalate',
  'verify_fix',
  'return_fix',
  'resolve',
  'propose_fix',
  'request_acceptance',
  'withdraw_request',
];

/** The action row for these card actions, or null when there is nothing to do (a final state). */
export function findingActions(findingId: number, available: readonly CardAction[]): Block | null {
  const value = String(findingId);
  const actions = BUTTON_ORDER.filter((a) => available.includes(a));
  const toButton = (a: CardAction): Button => ({
    action: CARD_BUTTONS[a].action,
    label: CARD_BUTTONS[a].label,
    value,
    ...(a === 'acknowledge' ? { style: 'primary' as const } : {}),
  });
  const buttons = actions.filter((a) => CARD_BUTTONS[a].primary).map(toButton);
  let more = actions.filter((a) => !CARD_BUTTONS[a].primary).map(toButton);
  // An overflow menu needs two options; a lone extra action is shown as a plain button instead.
  if (more.length === 1) {
    buttons.push(...more);
    more = [];
  }
  if (buttons.length === 0 && more.length === 0) return null;
  return { type: 'actions', buttons, ...(more.length > 0 ? { more } : {}) };
}

function header(f: FindingDetail): string {
  return `${capitalize(f.severity)} · ${inertTitle(f.vendor_name)} (${f.vendor_tier} tier)`;
}

function fields(f: FindingDetail, today: string): Block {
  const state = f.state;
  const sla =
    isFinal(state) || state === 'risk_accepted' ? f.sla_due_on : `${f.sla_due_on} (${dueWording(today, f.sla_due_on)})`;
  const list = [
    { label: 'Severity', value: capitalize(f.severity) },
    { label: 'Vendor', value: `${inert(f.vendor_name)} (${f.vendor_tier} tier)` },
    { label: 'State', value: STATE_LABELS[state] ?? f.state },
    { label: 'Assignee', value: f.assignee_id ? person(f.assignee_id, f.assignee_name) : 'Unassigned' },
    { label: 'SLA due', value: sla },
    { label: 'Opened', value: formatUtc(f.opened_at) },
  ];
  if (state === 'risk_accepted' && f.accepted_until)
    list.push({ label: 'Risk accepted until', value: f.accepted_until });
  return { type: 'fields', fields: list };
}

/** One line per request: waiting, withdrawn, or decided with its signature manifestation. */
export function requestLines(requests: readonly ApprovalDetail[]): string[] {
  return requests.map((r) => {
    const what = requestTitle(r);
    if (r.state === 'pending') {
      const by = printedName(r.requested_by, r.requested_by_name);
      return `⏳ Waiting for an approver: ${what}, requested by ${by} at ${formatUtc(r.requested_at)}. Reason: ${inert(r.reason)}`;
    }
    if (r.state === 'withdrawn') return `${what}: ${withdrawnWording(r)}`;
    const signed = r.signatures.map((s) => manifestation(s)).join('; ');
    const mark = r.state === 'approved' ? '✅' : '❌';
    return `${mark} ${what} ${r.state}. ${signed || `Decided by ${printedName(r.decided_by, r.decided_by_name)}.`}`;
  });
}

/** "request withdrawn by Olive Owner at …: reason. Nothing was signed." */
export function withdrawnWording(r: ApprovalDetail): string {
  if (!r.withdrawn_by) return 'request withdrawn. Nothing was signed.';
  const by = printedName(r.withdrawn_by, r.withdrawn_by_name);
  return `request withdrawn by ${by} at ${formatUtc(r.withdrawn_at ?? '')}: ${inert(r.withdraw_reason)}. Nothing was signed.`;
}

function fixLines(f: FindingDetail): string[] {
  if (f.state === 'fix_proposed' && f.fix_proposed_at) {
    const by = printedName(f.fix_proposed_by, f.fix_proposed_by_name);
    return [
      `🛠 Marked fixed by ${by} at ${formatUtc(f.fix_proposed_at)}: ${inert(f.fix_note)}. Waiting for another analyst to verify.`,
    ];
  }
  if (f.fix_returned_reason && f.state !== 'resolved') return [`Fix sent back: ${inert(f.fix_returned_reason)}`];
  return [];
}

function closingLines(f: FindingDetail): string[] {
  const lines: string[] = fixLines(f);
  if (f.state === 'resolved' && f.resolved_at) {
    const by = printedName(f.resolved_by, f.resolved_by_name);
    lines.push(`Resolved by ${by} at ${formatUtc(f.resolved_at)}: ${inert(f.resolution)}`.trim());
  }
  if (f.reopened_reason && f.state !== 'resolved') lines.push(`Reopened: ${inert(f.reopened_reason)}`);
  return lines;
}

/** The finding card as a neutral Reply; `today` (YYYY-MM-DD) words the SLA. */
export function findingCard(data: FindingCardData, today: string): Reply {
  const f = data.finding;
  const state = STATE_LABELS[f.state] ?? f.state;
  const blocks: Block[] = [
    { type: 'header', text: header(f) },
    { type: 'text', text: `**Finding #${f.id}: ${inertTitle(f.title, 200)}**\n${inert(f.detail)}`.trim() },
    fields(f, today),
  ];
  const notes = [...requestLines(data.requests), ...closingLines(f)];
  if (notes.length > 0) blocks.push({ type: 'text', text: notes.join('\n') });
  const change = data.lastChange;
  const context = change
    ? `Last change: ${change.label} by ${change.by} at ${formatUtc(change.at)} · history in the thread`
    : `Opened ${formatUtc(f.opened_at)}`;
  blocks.push({ type: 'context', text: context });
  const actions = withDeclareIncident(findingActions(f.id, f.actions), f);
  if (actions) blocks.push(actions);
  // The fallback is a human-readable form of the record too, so it carries the signed decisions.
  const text = [
    `[${capitalize(f.severity)}] ${inertTitle(f.vendor_name)}: finding #${f.id} ${inertTitle(f.title, 200)} (${state})`,
    ...notes,
  ];
  return inChannel(text.join('\n'), blocks);
}
