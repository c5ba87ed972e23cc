import type { Tx } from '../../store/database.ts';
import type { ApprovalRequestRow } from '../../store/tables.ts';
import { appendAudit } from '../audit/log.ts';
import { SYSTEM_ACTOR } from '../common/actor.ts';
import type { CoreDeps } from '../common/deps.ts';
import { announceApproval, loadApprovalRequest } from './records.ts';

// The bot withdrawing a request because the item it was about closed itself (the reassessment was
// submitted, the document renewed, the score recovered). Not a person's withdrawal: the actor is the
// system and the audit record carries the stated reason, so nobody mistakes it for a decision.

export async function withdrawForClosedDerivedItem(
  tx: Tx,
  deps: CoreDeps,
  findingId: number,
  reason: string,
): Promise<ApprovalRequestRow[]> {
  const pending = await tx
    .selectFrom('approval_requests')
    .selectAll()
    .where('finding_id', '=', findingId)
    .where('state', '=', 'pending')
    .execute();
  const withdrawn: ApprovalRequestRow[] = [];
  for (const request of pending) {
    const result = await tx
      .updateTable('approval_requests')
      .set({ state: 'withdrawn', version: request.version + 1 })
      .where('id', '=', request.id)
      .where('version', '=', request.version)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) continue;
    const after = await loadApprovalRequest(tx, request.id);
    await appendAudit(tx, deps.clock, {
      actor: SYSTEM_ACTOR,
      action: 'approval.withdraw',
      entityType: 'approval_request',
      entityId: request.id,
      before: { state: 'pending', version: request.version },
      after: { state: 'withdrawn', version: after.version },
      reason: `Withdrawn by the system: ${reason}`,
    });
    await announceApproval(tx, deps, after);
    withdrawn.push(after);
  }
  return withdrawn;
}
