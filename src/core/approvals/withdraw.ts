import type { Tx } from '../../store/database.ts';
import type { ApprovalRequestRow, FindingRow } from '../../store/tables.ts';
import { appendAudit } from '../audit/log.ts';
import type { Actor } from '../common/actor.ts';
import type { CoreDeps } from '../common/deps.ts';
import { forbidden, invalidInput, invalidState, notFound } from '../common/errors.ts';
import { announceFinding } from '../findings/notify.ts';
import { stateAfterRejection } from '../findings/states.ts';
import { historyLine } from '../findings/text.ts';
import { applyFindingTransition, isSystem, loadFinding } from '../findings/transition.ts';
import { samePerson } from '../roles/identity.ts';
import { displayName } from '../roles/people.ts';
import { announceApproval, kindLabel, loadApprovalRequest } from './records.ts';
import { requestTitle } from './request.ts';

// A pending approval request ends in a signed decision or, only when its requester says so with a
// reason, in withdrawal. Nothing else withdraws it: resolving, fixing or reassigning the finding never
// does, so no approver's queue changes behind their back. The finding goes back where it was.

export async function pendingRequestOf(tx: Tx, findingId: number): Promise<ApprovalRequestRow> {
  const row = await tx
    .selectFrom('approval_requests')
    .selectAll()
    .where('finding_id', '=', findingId)
    .where('state', '=', 'pending')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!row) throw notFound(`Finding #${findingId} has no request waiting for a decision.`);
  return row;
}

/** The refusal for a decision on a request its requester withdrew. */
export async function withdrawnRefusal(tx: Tx, request: ApprovalRequestRow) {
  const by = await displayName(tx, request.withdrawn_by);
  const why = request.withdraw_reason ? `: ${request.withdraw_reason}` : '.';
  return invalidState(`This ${kindLabel(request.kind).toLowerCase()} request was withdrawn by ${by}${why}`);
}

export async function withdrawRequest(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  findingId: number,
  input: { reason: string },
): Promise<{ request: ApprovalRequestRow; finding: FindingRow }> {
  if (isSystem(actor)) throw forbidden('Only the person who asked can withdraw a request.');
  const reason = input.reason.trim();
  const request = await pendingRequestOf(tx, findingId);
  if (!(await samePerson(tx, request.requested_by, actor.id))) {
    const by = await displayName(tx, request.requested_by);
    throw forbidden(`Only ${by}, who made this request, can withdraw it. Nothing was changed.`);
  }
  if (!reason) throw invalidInput('Say why the request is withdrawn: the approvers read it.');
  const now = deps.clock.now().toISOString();
  const updated = await tx
    .updateTable('approval_requests')
    .set({ state: 'withdrawn', withdrawn_by: actor.id, withdrawn_at: now, withdraw_reason: reason })
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', request.id)
    .where('version', '=', request.version)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) {
    throw invalidState(`Request #${request.id} was decided or withdrawn while you were acting on it.`);
  }
  const after = await loadApprovalRequest(tx, request.id);
  await appendAudit(tx, deps.clock, {
    actor,
    action: 'approval.withdraw',
    entityType: 'approval_request',
    entityId: request.id,
    before: { state: 'pending', version: request.version },
    after: { state: 'withdrawn', withdrawn_by: actor.id, withdrawn_at: now, version: after.version },
    reason,
  });
  const finding = await loadFinding(tx, findingId);
  const moved = await applyFindingTransition(tx, deps, actor, finding, {
    action: 'withdraw_request',
    to: stateAfterRejection(finding),
    reason,
  });
  await announceApproval(tx, deps, after);
  await announceFinding(tx, deps, moved, historyLine.requestWithdrawn(requestTitle(after), actor.name, reason));
  return { request: after, finding: moved };
}
