import type { Tx } from '../../store/database.ts';
import type { AssessmentRow } from '../../store/tables.ts';
import { appendAudit } from '../audit/log.ts';
import type { Actor } from '../common/actor.ts';
import { addDaysIso, todayOf } from '../common/dates.ts';
import type { CoreDeps } from '../common/deps.ts';
import { conflict, invalidState, notFound } from '../common/errors.ts';
import { findingTargets } from '../findings/routing.ts';
import { authorize } from '../findings/transition.ts';
import { refreshOwnerHome } from '../messaging/home-refresh.ts';
import { adoptPrompt } from '../messaging/live-reminders.ts';
import { enqueue } from '../messaging/outbox.ts';
import { checkAnswers, loadAssessment, OPEN_ASSESSMENT_STATUSES, requireOpen, storeAnswers } from './answers.ts';
import { type Questionnaire, questionnaireOf } from './questionnaire.ts';
import type { AnswerInput } from './scoring.ts';

// Reassessments: requested (by a person or the scheduler), answered in drafts that can be resumed,
// then submitted (assessments-submit.ts). Deps may carry a deployment's own questionnaire.

export type AssessmentDeps = CoreDeps & { questionnaire?: Questionnaire };

/** Days given to answer when the vendor has no upcoming review date. */
export const DEFAULT_ANSWER_DAYS = 14;

export async function loadVendorForAssessment(tx: Tx, vendorId: number) {
  const vendor = await tx
    .selectFrom('vendors')
    .select(['id', 'name', 'tier', 'owner_id', 'channel', 'status', 'next_review_on', 'last_review_on'])
    .where('id', '=', vendorId)
    .executeTakeFirst();
  if (!vendor) throw notFound(`Vendor #${vendorId} was not found.`);
  return vendor;
}

/**
 * Asks the vendor owner to reassess, reusing an assessment already open for the vendor. Due on the
 * vendor's next review date, or in 14 days when there is none or it has already passed.
 */
export async function requestReassessment(
  tx: Tx,
  deps: AssessmentDeps,
  actor: Actor,
  vendorId: number,
): Promise<{ assessment: AssessmentRow; created: boolean }> {
  const vendor = await loadVendorForAssessment(tx, vendorId);
  await authorize(tx, deps, actor, 'assessment.request', vendor.owner_id);
  if (vendor.status === 'offboarded') {
    throw invalidState(`${vendor.name} is offboarded, so it is not reassessed. Nothing was changed.`);
  }
  const open = await tx
    .selectFrom('assessments')
    .selectAll()
    .where('vendor_id', '=', vendorId)
    .where('status', 'in', OPEN_ASSESSMENT_STATUSES)
    .orderBy('id')
    .executeTakeFirst();
  if (open) return { assessment: open, created: false };

  const today = todayOf(deps);
  const dueOn =
    vendor.next_review_on && vendor.next_review_on >= today
      ? vendor.next_review_on
      : addDaysIso(today, DEFAULT_ANSWER_DAYS);
  const inserted = await tx
    .insertInto('assessments')
    .values({
      vendor_id: vendorId,
      status: 'requested',
      questionnaire_version: questionnaireOf(deps).version,
      requested_by: actor.id,
      requested_at: deps.clock.now().toISOString(),
      due_on: dueOn,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const assessment = await loadAssessment(tx, inserted.id);
  await appendAudit(tx, deps.clock, {
    actor,
    action: 'assessment.request',
    entityType: 'assessment',
    entityId: assessment.id,
    after: assessment,
  });
  // The owner answers; a vendor without an owner gets the prompt where its findings go.
  const targets = vendor.owner_id ? [vendor.owner_id] : await findingTargets(tx, deps.routing, vendor);
  for (const target of targets) {
    await enqueue(tx, deps.clock, {
      key: `assessment:${assessment.id}:prompt:${target}`,
      target,
      subject: `assessment:${assessment.id}`,
      template: 'reassessment-prompt',
      data: { assessmentId: assessment.id },
    });
    await adoptPrompt(tx, deps, {
      vendorId,
      target,
      subject: `assessment:${assessment.id}`,
      assessmentId: assessment.id,
    });
  }
  await refreshOwnerHome(tx, deps.clock, vendorId);
  return { assessment, created: true };
}

export interface DraftResult {
  assessment: AssessmentRow;
  answered: number;
  total: number;
}

/** Saves some answers; later saves overwrite per control. The assessment is then in progress. */
export async function saveDraft(
  tx: Tx,
  deps: AssessmentDeps,
  actor: Actor,
  assessmentId: number,
  answers: Record<string, AnswerInput>,
): Promise<DraftResult> {
  const assessment = await loadAssessment(tx, assessmentId);
  const vendor = await loadVendorForAssessment(tx, assessment.vendor_id);
  await authorize(tx, deps, actor, 'assessment.answer', vendor.owner_id);
  await requireOpen(tx, assessment);
  const questionnaire = questionnaireOf(deps);
  const checked = checkAnswers(questionnaire, answers);
  await storeAnswers(tx, deps, actor, assessmentId, checked);
  const now = deps.clock.now().toISOString();
  const result = await tx
    .updateTable('assessments')
    .set({ status: 'in_progress', started_at: assessment.started_at ?? now, version: assessment.version + 1 })
    .where('id', '=', assessmentId)
    .where('version', '=', assessment.version)
    .where('status', 'in', OPEN_ASSESSMENT_STATUSES)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    await requireOpen(tx, await loadAssessment(tx, assessmentId));
    throw conflict('Someone else saved this assessment at the same moment. Open it again and retry.');
  }
  const after = await loadAssessment(tx, assessmentId);
  await refreshOwnerHome(tx, deps.clock, assessment.vendor_id);
  await appendAudit(tx, deps.clock, {
    actor,
    action: 'assessment.save_draft',
    entityType: 'assessment',
    entityId: assessmentId,
    before: { status: assessment.status, version: assessment.version },
    after: { status: after.status, version: after.version, answers: checked },
  });
  const answered = await tx
    .selectFrom('assessment_answers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('assessment_id', '=', assessmentId)
    .where(
      'control_id',
      'in',
      questionnaire.controls.map((c) => c.id),
    )
    .executeTakeFirstOrThrow();
  return { assessment: after, answered: Number(answered.n), total: questionnaire.controls.length };
}
