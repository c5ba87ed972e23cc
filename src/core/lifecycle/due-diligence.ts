import type { DbOrTx, Tx } from '../../store/database.ts';
import type { VendorRow } from '../../store/tables.ts';
import { requestReassessment } from '../assessments/request.ts';
import { appendAudit } from '../audit/log.ts';
import type { Actor } from '../common/actor.ts';
import type { CoreDeps } from '../common/deps.ts';
import { describeRule, requiredEvidenceStatus } from '../evidence/required.ts';
import { type ExposureSummary, exposureSummary } from '../exposure/summary.ts';
import { rememberPerson } from '../roles/people.ts';
import { requirePermission } from '../roles/permissions.ts';
import { announceIntake, loadIntake, tellRequester } from './intake.ts';
import { moveVendor } from './states.ts';

// Due diligence: an analyst moves a requested vendor to in_review. The tier's questionnaire goes to the
// owner (the reassessment prompt, as for any review), the evidence the policy requires for the vendor's
// data, scope and tier is listed with what is still missing, and the vendor's authorised assets are
// checked for exposure by the scheduler like any vendor's. Activation (activation.ts) waits on all of it.

export interface DueDiligenceStatus {
  vendor: VendorRow;
  /** Each required document: 'HIPAA BAA (holds PHI)' and whether a current one is on file. */
  required: { text: string; met: boolean }[];
  missing: string[];
  questionnaire: 'not sent' | 'sent' | 'answered';
  exposure: ExposureSummary | null;
}

export async function dueDiligenceStatus(db: DbOrTx, deps: CoreDeps, vendor: VendorRow): Promise<DueDiligenceStatus> {
  const required = (await requiredEvidenceStatus(db, deps.policy, vendor, deps.clock.now())).map((r) => ({
    text: describeRule(r.rule),
    met: r.satisfiedBy !== null,
  }));
  const assessment = await db
    .selectFrom('assessments')
    .select('status')
    .where('vendor_id', '=', vendor.id)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return {
    vendor,
    required,
    missing: required.filter((r) => !r.met).map((r) => r.text),
    questionnaire: !assessment ? 'not sent' : assessment.status === 'submitted' ? 'answered' : 'sent',
    exposure: await exposureSummary(db, vendor.id),
  };
}

/** requested (or rejected, for a second look) -> in_review; sends the questionnaire; the requester hears. */
export async function startDueDiligence(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  vendorId: number,
): Promise<DueDiligenceStatus> {
  await requirePermission(tx, actor, 'vendor.write');
  await rememberPerson(tx, deps.clock, actor);
  const vendor = await moveVendor(tx, deps.clock, actor, vendorId, 'in_review', {
    from: ['requested', 'rejected', 'onboarding'],
    reason: 'due diligence started',
  });
  const now = deps.clock.now().toISOString();
  const intake = await loadIntake(tx, vendorId);
  if (intake) {
    await tx
      .updateTable('vendor_intakes')
      .set({
        review_started_by: actor.id,
        review_started_at: now,
        assignee_id: intake.assignee_id ?? actor.id,
        acknowledged_by: intake.acknowledged_by ?? actor.id,
        acknowledged_at: intake.acknowledged_at ?? now,
        updated_at: now,
        version: intake.version + 1,
      })
      .where('vendor_id', '=', vendorId)
      .execute();
  } else {
    // Added by an analyst (`/vendor add`): the analyst is the requester and runs the review.
    await tx
      .insertInto('vendor_intakes')
      .values({
        vendor_id: vendorId,
        requested_by: actor.id,
        requested_at: now,
        website: null,
        data_touched: vendor.data_types,
        record_count: null,
        systems: '',
        business_owner: vendor.owner_id,
        acknowledged_by: actor.id,
        acknowledged_at: now,
        assignee_id: actor.id,
        review_started_by: actor.id,
        review_started_at: now,
        updated_at: now,
      })
      .execute();
  }
  await appendAudit(tx, deps.clock, {
    actor,
    action: 'vendor.due_diligence.start',
    entityType: 'vendor',
    entityId: vendorId,
    after: { review_started_by: actor.id, review_started_at: now },
  });
  await requestReassessment(tx, deps, actor, vendorId);
  await announceIntake(tx, deps, vendorId);
  const status = await dueDiligenceStatus(tx, deps, vendor);
  const missing = status.missing.length > 0 ? ` Still missing: ${status.missing.join('; ')}.` : '';
  await tellRequester(
    tx,
    deps,
    vendorId,
    `review:${now}`,
    `Due diligence for ${vendor.name} has started (${actor.name}). The owner gets the security questionnaire.${missing}`,
  );
  return status;
}
