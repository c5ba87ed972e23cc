import type { Tx } from '../../store/database.ts';
import type { ApprovalRequestRow, FindingRow } from '../../store/tables.ts';
import { appendAudit } from '../audit/log.ts';
import type { Actor } from '../common/actor.ts';
import { requireIsoDate, todayOf } from '../common/dates.ts';
import type { CoreDeps } from '../common/deps.ts';
import { invalidInput } from '../common/errors.ts';
import { isOneOf, REQUESTED_ACTION_LABELS, REQUESTED_ACTIONS, type RequestedAction } from '../common/vocabulary.ts';
import { announceFinding } from '../findings/notify.ts';
import { historyLine } from '../findings/text.ts';
import { applyFindingTransition, authorize, loadFinding, vendorOwnerOf } from '../findings/transition.ts';
import { type ApprovalKind, announceApproval, kindLabel, loadApprovalRequest } from './records.ts';

// Asking an approver: an escalation (a remediation deadline, suspending access, invoking the incident
// response plan) or a risk acceptance until a date. The finding waits in escalation_pending; the
// approval card goes to the approvers' channels, and the decision is a signature (approvals-decide.ts).

export interface EscalationInput {
  requestedAction: RequestedAction;
  reason: string;
  /** A deadline for the action, YYYY-MM-DD, after today; required to accept a risk (its expiry). */
  actionUntil?: string | null;
}

export interface EscalationResult {
  finding: FindingRow;
  request: ApprovalRequestRow;
}

function checkInput(input: EscalationInput, today: string): { kind: ApprovalKind; until: string | null } {
  if (!isOneOf(REQUESTED_ACTIONS, input.requestedAction)) {
    throw invalidInput(`The requested action must be one of: ${REQUESTED_ACTIONS.join(', ')}.`);
  }
  const kind: ApprovalKind = input.requestedAction === 'accept_risk' ? 'risk_acceptance' : 'escalation';
  const until = input.actionUntil ? requireIsoDate(input.actionUntil, 'The date') : null;
  if (kind === 'risk_acceptance' && !until) {
    throw invalidInput('Say until when the risk is accepted: a risk acceptance needs an expiry date.');
  }
  if (until && until <= today) throw invalidInput(`The date must be after today (${today}), not ${until}.`);
  return { kind, until };
}

/** What the history line calls the request, e.g. "Risk acceptance until 2026-12-31". */
export function requestTitle(request: Pick<ApprovalRequestRow, 'kind' | 'requested_action' | 'action_until'>) {
  if (request.kind === 'risk_acceptance') return `${kindLabel(request.kind)} until ${request.action_until}`;
  const label = REQUESTED_ACTION_LABELS[request.requested_action] ?? request.requested_action;
  return `${kindLabel(request.kind)} (${label}${request.action_until ? ` by ${request.action_until}` : ''})`;
}

export async function requestEscalation(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  findingId: number,
  input: EscalationInput,
): Promise<EscalationResult> {
  const finding = await loadFinding(tx, findingId);
  await authorize(tx, deps, actor, 'finding.triage', await vendorOwnerOf(tx, finding.vendor_id));
  const reason = input.reason?.trim() ?? '';
  if (!reason) throw invalidInput('Say why: an escalation request needs a reason.');
  const { kind, until } = checkInput(input, todayOf(deps));
  const after = await applyFindingTransition(tx, deps, actor, finding, {
    action: kind === 'risk_acceptance' ? 'request_acceptance' : 'escalate',
    reason,
  });
  const inserted = await tx
    .insertInto('approval_requests')
    .values({
      finding_id: finding.id,
      kind,
      requested_action: input.requestedAction,
      action_until: until,
      reason,
      requested_by: actor.id,
      requested_at: deps.clock.now().toISOString(),
      state: 'pending',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const request = await loadApprovalRequest(tx, inserted.id);
  await appendAudit(tx, deps.clock, {
    actor,
    action: 'approval.request',
    entityType: 'approval_request',
    entityId: request.id,
    after: request,
    reason,
  });
  await announceApproval(tx, deps, request);
  await announceFinding(tx, deps, after, historyLine.requested(actor.name, requestTitle(request), reason));
  return { finding: after, request };
}

/** The direct "accept this risk until a date" entry point: an approval request of kind risk_acceptance. */
export function requestRiskAcceptance(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  findingId: number,
  input: { reason: string; until: string },
): Promise<EscalationResult> {
  return requestEscalation(tx, deps, actor, findingId, {
    requestedAction: 'accept_risk',
    reason: input.reason,
    actionUntil: input.until,
  });
}
