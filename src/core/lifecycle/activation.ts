import type { DbOrTx, Tx } from '../../store/database.ts';
import type { ActivationRequestRow, SignatureRow, VendorRow } from '../../store/tables.ts';
import { appendAudit } from '../audit/log.ts';
import { manifestation } from '../audit/signatures.ts';
import type { Actor } from '../common/actor.ts';
import { todayOf } from '../common/dates.ts';
import type { CoreDeps } from '../common/deps.ts';
import { conflict, forbidden, invalidInput, invalidState, notFound } from '../common/errors.ts';
import type { Tier } from '../common/vocabulary.ts';
import { describeRule, missingRequiredEvidence } from '../evidence/required.ts';
import { subjectTargets } from '../findings/routing.ts';
import { formatUtc } from '../findings/text.ts';
import { refreshQueuesAround } from '../messaging/home-refresh.ts';
import { enqueue } from '../messaging/outbox.ts';
import { initialReviewOn, nextReviewOn } from '../policy/cadence.ts';
import { displayName, rememberPerson } from '../roles/people.ts';
import { requirePermission } from '../roles/permissions.ts';
import { loadVendor } from '../vendors/patch.ts';
import { tellRequester } from './intake.ts';
import { sameDecider, signLifecycleDecision } from './sign.ts';
import { moveVendor } from './states.ts';

// Activation is an approval: an analyst asks once due diligence is done, and an approver (never the
// person who asked) signs "approved for use", "approved with conditions" (naming the open findings
// accepted as risk) or a rejection with a reason. Refused, at both steps, while evidence the policy
// requires is missing. An approved vendor is marked as receiving data (active) separately, and only then.

export const ACTIVATION_DECISIONS = ['approved_for_use', 'approved_with_conditions', 'rejected'] as const;
export type ActivationDecision = (typeof ACTIVATION_DECISIONS)[number];

export const DECISION_LABELS: Record<ActivationDecision, string> = {
  approved_for_use: 'Approved for use',
  approved_with_conditions: 'Approved with conditions',
  rejected: 'Rejected',
};

export async function loadActivationRequest(db: DbOrTx, id: number): Promise<ActivationRequestRow> {
  const row = await db.selectFrom('activation_requests').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`Activation request #${id} was not found.`);
  return row;
}

export function acceptedFindings(request: Pick<ActivationRequestRow, 'accepted_findings'>): number[] {
  const parsed: unknown = JSON.parse(request.accepted_findings);
  return Array.isArray(parsed) ? parsed.map(Number) : [];
}

/** The latest activation request for a vendor, any state. */
export function latestActivation(db: DbOrTx, vendorId: number): Promise<ActivationRequestRow | undefined> {
  return db
    .selectFrom('activation_requests')
    .selectAll()
    .where('vendor_id', '=', vendorId)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** Whether the vendor holds a signed approval for use: the activation record CSV import asks for. */
export async function hasActivationRecord(db: DbOrTx, vendorId: number): Promise<boolean> {
  const row = await db
    .selectFrom('activation_requests')
    .select('id')
    .where('vendor_id', '=', vendorId)
    .where('state', '=', 'approved')
    .executeTakeFirst();
  return row !== undefined;
}

async function refuseWhileMissing(tx: Tx, deps: CoreDeps, vendor: VendorRow, what: string): Promise<void> {
  const missing = await missingRequiredEvidence(tx, deps.policy, vendor, deps.clock.now());
  if (missing.length > 0) {
    throw invalidState(
      `${vendor.name} cannot be ${what} while required evidence is missing: ${missing.map(describeRule).join('; ')}. Nothing was changed.`,
    );
  }
}

export async function announceActivation(tx: Tx, deps: CoreDeps, request: ActivationRequestRow): Promise<void> {
  const subject = `activation:${request.id}`;
  const known = await subjectTargets(tx, subject, 'activation-card');
  for (const target of known.length > 0 ? known : deps.routing.approvalsChannels) {
    await enqueue(tx, deps.clock, {
      key: `${subject}:v${request.version}:card:${target}`,
      target,
      subject,
      template: 'activation-card',
      data: { requestId: request.id },
    });
  }
  await refreshQueuesAround(tx, deps.clock, { vendorId: request.vendor_id, people: [request.requested_by] });
}

export async function requestActivation(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  vendorId: number,
  reason: string,
): Promise<{ request: ActivationRequestRow; created: boolean }> {
  await requirePermission(tx, actor, 'vendor.write');
  const vendor = await loadVendor(tx, vendorId);
  if (vendor.status !== 'in_review') {
    throw invalidState(`${vendor.name} is not in due diligence, so there is no activation to ask for.`);
  }
  const pending = await tx
    .selectFrom('activation_requests')
    .selectAll()
    .where('vendor_id', '=', vendorId)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  if (pending) return { request: pending, created: false };
  await refuseWhileMissing(tx, deps, vendor, 'put forward for activation');
  const why = reason.trim() || 'Due diligence complete';
  await rememberPerson(tx, deps.clock, actor);
  const inserted = await tx
    .insertInto('activation_requests')
    .values({
      vendor_id: vendorId,
      kind: 'activation',
      reason: why,
      requested_by: actor.id,
      requested_at: deps.clock.now().toISOString(),
      state: 'pending',
      accepted_findings: '[]',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const request = await loadActivationRequest(tx, inserted.id);
  await appendAudit(tx, deps.clock, {
    actor,
    action: 'activation.request',
    entityType: 'activation_request',
    entityId: request.id,
    after: request,
    reason: why,
  });
  await announceActivation(tx, deps, request);
  await tellRequester(tx, deps, vendorId, `activation:${request.id}`, `${vendor.name} is waiting for an approver.`);
  return { request, created: true };
}

export interface ActivationDecisionInput {
  decision: ActivationDecision;
  reason?: string | null;
  /** For approved_with_conditions: the open findings accepted as risk. */
  acceptedFindings?: number[];
}

async function checkAccepted(tx: Tx, vendorId: number, ids: number[]): Promise<number[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) throw invalidInput('Name the open findings accepted as risk, such as #12.');
  const open = await tx
    .selectFrom('findings')
    .select('id')
    .where('vendor_id', '=', vendorId)
    .where('state', 'not in', ['resolved', 'risk_accepted'])
    .execute();
  const bad = unique.filter((id) => !open.some((f) => f.id === id));
  if (bad.length > 0)
    throw invalidInput(`Not an open finding of this vendor: ${bad.map((id) => `#${id}`).join(', ')}.`);
  return unique.sort((a, b) => a - b);
}

export async function decideActivation(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  requestId: number,
  input: ActivationDecisionInput,
): Promise<{ request: ActivationRequestRow; vendor: VendorRow; signature: SignatureRow }> {
  await requirePermission(tx, actor, 'approval.decide');
  const request = await loadActivationRequest(tx, requestId);
  if (request.state !== 'pending') {
    const by = await displayName(tx, request.decided_by);
    throw conflict(`Already ${request.state} by ${by ?? 'someone'} at ${formatUtc(request.decided_at ?? '')}.`);
  }
  if (sameDecider(request.requested_by, actor)) {
    throw forbidden('You asked for this activation, so another approver must decide it.');
  }
  if (!(ACTIVATION_DECISIONS as readonly string[]).includes(input.decision)) {
    throw invalidInput(`The decision must be one of: ${ACTIVATION_DECISIONS.join(', ')}.`);
  }
  const reason = input.reason?.trim() || null;
  if (input.decision === 'rejected' && !reason) throw invalidInput('Say why: a rejection needs a reason.');
  const vendor = await loadVendor(tx, request.vendor_id);
  const approving = input.decision !== 'rejected';
  if (approving) await refuseWhileMissing(tx, deps, vendor, 'approved for use');
  const accepted =
    input.decision === 'approved_with_conditions'
      ? await checkAccepted(tx, vendor.id, input.acceptedFindings ?? [])
      : [];

  await rememberPerson(tx, deps.clock, actor);
  const state = approving ? 'approved' : 'rejected';
  const now = deps.clock.now().toISOString();
  const updated = await tx
    .updateTable('activation_requests')
    .set({
      state,
      decision: input.decision,
      accepted_findings: JSON.stringify(accepted),
      decided_by: actor.id,
      decided_at: now,
      decision_reason: reason,
      version: request.version + 1,
    })
    .where('id', '=', request.id)
    .where('version', '=', request.version)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw conflict('Someone decided this activation just now.');
  const decided = await loadActivationRequest(tx, request.id);
  const signature = await signLifecycleDecision(tx, deps, actor, {
    recordType: 'activation_request',
    record: decided,
    meaning: approving ? 'approval' : 'rejection',
    reason,
  });
  await appendAudit(tx, deps.clock, {
    actor,
    action: `activation.${approving ? 'approve' : 'reject'}`,
    entityType: 'activation_request',
    entityId: request.id,
    before: { state: request.state, version: request.version },
    after: {
      state,
      decision: input.decision,
      accepted_findings: accepted,
      version: decided.version,
      signature: { id: signature.id, record_hash: signature.record_hash, manifestation: manifestation(signature) },
    },
    reason,
  });
  const moved = await moveVendor(tx, deps.clock, actor, vendor, approving ? 'approved' : 'rejected', {
    reason: `${DECISION_LABELS[input.decision]}${reason ? `: ${reason}` : ''}`,
  });
  await announceActivation(tx, deps, decided);
  const told = approving
    ? `${vendor.name} is ${DECISION_LABELS[input.decision].toLowerCase()} (${manifestation(signature)}). It can be marked as receiving data now.`
    : `${vendor.name} was rejected by ${actor.name}: ${reason}`;
  await tellRequester(tx, deps, vendor.id, `decision:${decided.id}`, told);
  return { request: decided, vendor: moved, signature };
}

/** approved -> active: the vendor starts receiving data, and its review cadence starts. */
export async function markReceivingData(tx: Tx, deps: CoreDeps, actor: Actor, vendorId: number): Promise<VendorRow> {
  await requirePermission(tx, actor, 'vendor.write');
  const vendor = await loadVendor(tx, vendorId);
  if (vendor.status !== 'approved' || !(await hasActivationRecord(tx, vendorId))) {
    throw invalidState(
      `${vendor.name} is not approved for use, so it cannot be marked as receiving data. Nothing was changed.`,
    );
  }
  const today = todayOf(deps);
  const moved = await moveVendor(tx, deps.clock, actor, vendor, 'active', {
    reason: 'receiving data',
    set: {
      next_review_on: vendor.last_review_on
        ? nextReviewOn(vendor.last_review_on, vendor.tier as Tier, deps.policy)
        : initialReviewOn(today, deps.policy),
    },
  });
  await tellRequester(tx, deps, vendorId, 'active', `${vendor.name} is active: it is approved and receiving data.`);
  return moved;
}
