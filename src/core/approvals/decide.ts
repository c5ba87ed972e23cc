import type { Tx } from '../../store/database.ts';
import type { ApprovalRequestRow, FindingRow, SignatureRow } from '../../store/tables.ts';
import { appendAudit } from '../audit/log.ts';
import { manifestation, signRecord } from '../audit/signatures.ts';
import type { Actor } from '../common/actor.ts';
import { todayOf } from '../common/dates.ts';
import type { CoreDeps } from '../common/deps.ts';
import { conflict, forbidden, invalidInput } from '../common/errors.ts';
import { announceFinding } from '../findings/notify.ts';
import { stateAfterRejection } from '../findings/states.ts';
import { formatUtc, historyLine } from '../findings/text.ts';
import { applyFindingTransition, isSystem, loadFinding, vendorOwnerOf } from '../findings/transition.ts';
import { enqueue } from '../messaging/outbox.ts';
import { samePerson } from '../roles/identity.ts';
import { displayName, rememberPerson } from '../roles/people.ts';
import { requirePermission } from '../roles/permissions.ts';
import { announceApproval, kindLabel, loadApprovalRequest } from './records.ts';
import { requestTitle } from './request.ts';
import { withdrawnRefusal } from './withdraw.ts';

// An approver's decision on an escalation or risk acceptance. It is an electronic signature: the
// approver's printed name, the UTC time and the meaning are stored bound to the hash of the request
// as decided, and the finding moves in the same transaction. Segregation of duties: nobody decides
// their own request, and only approvers decide at all.

export type Decision = 'approve' | 'reject';

export interface DecisionInput {
  decision: Decision;
  /** Required to reject, so the requester learns why. */
  reason?: string | null;
}

export interface DecisionResult {
  request: ApprovalRequestRow;
  finding: FindingRow;
  signature: SignatureRow;
}

async function alreadyDecided(tx: Tx, request: ApprovalRequestRow) {
  if (request.state === 'withdrawn') return withdrawnRefusal(tx, request);
  const by = await displayName(tx, request.decided_by);
  return conflict(`Already ${request.state} by ${by} at ${formatUtc(request.decided_at ?? '')}.`);
}

/** An approved remediation deadline becomes the finding's due date; other escalations leave it. */
function approvedDeadline(request: ApprovalRequestRow): { sla_due_on?: string } {
  return request.kind === 'escalation' && request.requested_action === 'remediation_deadline' && request.action_until
    ? { sla_due_on: request.action_until }
    : {};
}

/** The vendor's owner (and the assignee, when another person) hear the new deadline by direct message. */
async function tellDeadline(tx: Tx, deps: CoreDeps, finding: FindingRow, request: ApprovalRequestRow): Promise<void> {
  const owner = await vendorOwnerOf(tx, finding.vendor_id);
  const people = [...new Set([owner, finding.assignee_id])].filter(
    (p): p is string => typeof p === 'string' && /^(slack|teams):/.test(p),
  );
  for (const target of people) {
    await enqueue(tx, deps.clock, {
      key: `approval:${request.id}:deadline:${target}`,
      target,
      template: 'deadline-set',
      data: { requestId: request.id },
    });
  }
}

export async function decide(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  requestId: number,
  input: DecisionInput,
): Promise<DecisionResult> {
  if (isSystem(actor)) throw forbidden('Only a person can sign a decision; the bot never approves.');
  await requirePermission(tx, actor, 'approval.decide');
  const request = await loadApprovalRequest(tx, requestId);
  if (request.state !== 'pending') throw await alreadyDecided(tx, request);
  if (await samePerson(tx, request.requested_by, actor.id)) {
    const what = kindLabel(request.kind).toLowerCase();
    throw forbidden(`You requested this ${what}, so another approver must decide it.`);
  }
  if (input.decision !== 'approve' && input.decision !== 'reject') {
    throw invalidInput('The decision must be approve or reject.');
  }
  const reason = input.reason?.trim() || null;
  if (input.decision === 'reject' && !reason) throw invalidInput('Say why: a rejection needs a reason.');
  const today = todayOf(deps);
  if (input.decision === 'approve' && request.kind === 'risk_acceptance' && (request.action_until ?? '') <= today) {
    throw invalidInput(
      `The acceptance would end on ${request.action_until}, which is not after today. Reject it and ask for a new date.`,
    );
  }

  await rememberPerson(tx, deps.clock, actor);
  const state = input.decision === 'approve' ? 'approved' : 'rejected';
  const now = deps.clock.now().toISOString();
  const updated = await tx
    .updateTable('approval_requests')
    .set({ state, decided_by: actor.id, decided_at: now, decision_reason: reason, version: request.version + 1 })
    .where('id', '=', request.id)
    .where('version', '=', request.version)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw await alreadyDecided(tx, await loadApprovalRequest(tx, requestId));
  const decided = await loadApprovalRequest(tx, request.id);

  const signature = await signRecord(tx, deps.clock, actor, {
    recordType: 'approval_request',
    record: decided,
    meaning: input.decision === 'approve' ? 'approval' : 'rejection',
    reason,
  });
  await appendAudit(tx, deps.clock, {
    actor,
    action: `approval.${input.decision}`,
    entityType: 'approval_request',
    entityId: request.id,
    before: { state: request.state, version: request.version },
    after: {
      state,
      decided_by: actor.id,
      decided_at: now,
      version: decided.version,
      signature: {
        id: signature.id,
        signer_id: signature.signer_id,
        signer_name: signature.signer_name,
        signed_at: signature.signed_at,
        meaning: signature.meaning,
        record_version: signature.record_version,
        record_hash: signature.record_hash,
        manifestation: manifestation(signature),
      },
    },
    reason,
  });

  const finding = await loadFinding(tx, request.finding_id);
  const moved = await applyFindingTransition(tx, deps, actor, finding, {
    ...(input.decision === 'reject'
      ? { action: 'reject' as const, to: stateAfterRejection(finding) }
      : request.kind === 'risk_acceptance'
        ? { action: 'approve_acceptance' as const, set: { accepted_until: request.action_until } }
        : { action: 'approve_escalation' as const, set: approvedDeadline(decided) }),
    reason,
  });
  await announceApproval(tx, deps, decided);
  if (input.decision === 'approve' && approvedDeadline(decided).sla_due_on)
    await tellDeadline(tx, deps, moved, decided);
  const line = historyLine.decided(actor.name, state, requestTitle(decided), now, reason);
  await announceFinding(tx, deps, moved, line);
  return { request: decided, finding: moved, signature };
}
