import type { ApprovalDetail, ApprovalSummary } from '../../core/approvals/queries.ts';
import { kindLabel } from '../../core/approvals/records.ts';
import { manifestation } from '../../core/audit/signatures.ts';
import { REQUESTED_ACTION_LABELS, type RequestedAction } from '../../core/common/vocabulary.ts';
import { ACTIONS } from '../actions.ts';
import { inert, inertTitle } from '../inert.ts';
import type { Block, Button, Confirm, Field, Reply } from '../reply.ts';
import { inChannel } from '../reply.ts';
import { capitalize, formatUtc, person, printedName } from './wording.ts';

// The approval request card in the approvals channel. While it waits it carries Approve (behind a
// dialog that states what signing means) and Reject (which asks for a reason). Once decided, the
// buttons give way to the signature manifestation, so nobody can click a stale decision.

/** Shown before an approval is signed: the meaning of the signature, in the signer's own words. */
export const SIGNING_CONFIRM: Confirm = {
  title: 'Sign this approval?',
  text: "You are signing this approval electronically. Your name, the UTC time and the meaning 'approval' are recorded and shown.",
  confirm: 'Sign and approve',
  deny: 'Cancel',
};

/** Approve and Reject for one pending request. */
export function approvalButtons(requestId: number): Button[] {
  const value = String(requestId);
  return [
    { action: ACTIONS.approvalApprove, label: 'Approve', value, style: 'primary', confirm: SIGNING_CONFIRM },
    { action: ACTIONS.approvalReject, label: 'Reject', value, style: 'danger' },
  ];
}

export function requestedActionLabel(requestedAction: string): string {
  return REQUESTED_ACTION_LABELS[requestedAction as RequestedAction] ?? requestedAction;
}

/** "Escalation #3: Set a remediation deadline by 2026-07-01" */
export function requestSummary(r: Pick<ApprovalSummary, 'id' | 'kind' | 'requested_action' | 'action_until'>): string {
  const date = r.action_until ? `${r.kind === 'risk_acceptance' ? ' until' : ' by'} ${r.action_until}` : '';
  return `${kindLabel(r.kind)} #${r.id}: ${requestedActionLabel(r.requested_action)}${date}`;
}

function heading(r: ApprovalDetail): string {
  const kind = kindLabel(r.kind);
  if (r.state === 'pending') return `Approval needed: ${kind.toLowerCase()} · ${inertTitle(r.vendor_name)}`;
  return `${kind} ${r.state} · ${inertTitle(r.vendor_name)}`;
}

function facts(r: ApprovalDetail): Field[] {
  const list: Field[] = [
    { label: 'Finding', value: `#${r.finding_id} (${capitalize(r.finding_severity)})` },
    { label: 'Vendor', value: inert(r.vendor_name) },
    { label: 'Requested action', value: requestedActionLabel(r.requested_action) },
  ];
  if (r.action_until)
    list.push({ label: r.kind === 'risk_acceptance' ? 'Accepted until' : 'By', value: r.action_until });
  list.push(
    { label: 'Requested by', value: person(r.requested_by, r.requested_by_name) },
    { label: 'Requested at', value: formatUtc(r.requested_at) },
  );
  return list;
}

/** The outcome line once a request is no longer pending; null while it waits. */
export function decisionLine(r: ApprovalDetail): string | null {
  if (r.state === 'pending') return null;
  if (r.state === 'withdrawn') {
    if (!r.withdrawn_by) return 'Withdrawn before anyone decided. Nothing was signed.';
    const by = printedName(r.withdrawn_by, r.withdrawn_by_name);
    return `Withdrawn by ${by} at ${formatUtc(r.withdrawn_at ?? '')}: ${inert(r.withdraw_reason)}. Nothing was signed.`;
  }
  const mark = r.state === 'approved' ? '✅ Approved.' : '❌ Rejected.';
  const signed = r.signatures.map((s) => manifestation(s)).join('; ');
  return `${mark} ${signed || `Decided by ${printedName(r.decided_by, r.decided_by_name)}.`}`;
}

export function approvalCard(r: ApprovalDetail): Reply {
  const blocks: Block[] = [
    { type: 'header', text: heading(r) },
    { type: 'text', text: `**${requestSummary(r)}**\nFinding #${r.finding_id}: ${inert(r.finding_title)}` },
    { type: 'fields', fields: facts(r) },
    { type: 'text', text: `**Reason:** ${inert(r.reason)}` },
  ];
  const decided = decisionLine(r);
  if (decided) blocks.push({ type: 'text', text: decided });
  else blocks.push({ type: 'actions', buttons: approvalButtons(r.id) });
  const requester = printedName(r.requested_by, r.requested_by_name);
  const text = [
    `${requestSummary(r)} for finding #${r.finding_id} (${inert(r.vendor_name)}), requested by ${inert(requester)}: ${inert(r.reason)}`,
    decided ?? 'Waiting for an approver.',
  ].join('\n');
  return inChannel(text, blocks);
}

/** A pending request as a list entry with its buttons: the `approvals` command and the Home tab. */
export function pendingApprovalBlocks(r: ApprovalSummary): Block[] {
  const by = person(r.requested_by, r.requested_by_name);
  return [
    {
      type: 'text',
      text:
        `**${requestSummary(r)}** · ${inert(r.vendor_name)}\n` +
        `Finding #${r.finding_id} (${capitalize(r.finding_severity)}): ${inert(r.finding_title)}\n` +
        `Requested by ${by} at ${formatUtc(r.requested_at)}: ${inert(r.reason)}`,
    },
    { type: 'actions', buttons: approvalButtons(r.id) },
  ];
}
