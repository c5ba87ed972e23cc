import type { DbOrTx, Tx } from '../../store/database.ts';
import type { ApprovalRequestRow } from '../../store/tables.ts';
import type { CoreDeps } from '../common/deps.ts';
import { notFound } from '../common/errors.ts';
import { subjectTargets } from '../findings/routing.ts';
import { refreshQueuesAround } from '../messaging/home-refresh.ts';
import { enqueue } from '../messaging/outbox.ts';

// Approval requests: what both the requesting and the deciding side need.

export const APPROVAL_KINDS = ['escalation', 'risk_acceptance'] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];

/** pending -> approved | rejected (signed decisions) | withdrawn (by its requester, with a reason). */
export const APPROVAL_STATES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];

export const KIND_LABELS: Record<ApprovalKind, string> = {
  escalation: 'Escalation',
  risk_acceptance: 'Risk acceptance',
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind as ApprovalKind] ?? kind;
}

export async function loadApprovalRequest(db: DbOrTx, requestId: number): Promise<ApprovalRequestRow> {
  const row = await db.selectFrom('approval_requests').selectAll().where('id', '=', requestId).executeTakeFirst();
  if (!row) throw notFound(`Approval request #${requestId} was not found.`);
  return row;
}

/** Queues the approval card (new, or edited in place) to the channels it first went to. */
export async function announceApproval(tx: Tx, deps: CoreDeps, request: ApprovalRequestRow): Promise<void> {
  const subject = `approval:${request.id}`;
  const known = await subjectTargets(tx, subject, 'approval-card');
  const targets = known.length > 0 ? known : deps.routing.approvalsChannels;
  for (const target of targets) {
    await enqueue(tx, deps.clock, {
      key: `${subject}:v${request.version}:card:${target}`,
      target,
      subject,
      template: 'approval-card',
      data: { requestId: request.id },
    });
  }
  await refreshQueuesAround(tx, deps.clock, { people: [request.requested_by] });
}
