import { sql } from 'kysely';
import type { Tx } from '../../store/database.ts';
import type { AssessmentRow, FindingRow } from '../../store/tables.ts';
import { appendAudit } from '../audit/log.ts';
import type { Actor } from '../common/actor.ts';
import { todayOf } from '../common/dates.ts';
import { conflict, invalidInput } from '../common/errors.ts';
import { TIERS, type Tier } from '../common/vocabulary.ts';
import { openFinding } from '../findings/actions.ts';
import { closeDerivedFindings } from '../findings/derived.ts';
import { ACTIVE_STATES } from '../findings/states.ts';
import { authorize } from '../findings/transition.ts';
import { refreshOwnerHome } from '../messaging/home-refresh.ts';
import { refreshLiveReminders } from '../messaging/live-reminders.ts';
import { enqueue } from '../messaging/outbox.ts';
import { nextReviewOn } from '../policy/cadence.ts';
import { answersOf, checkAnswers, loadAssessment, requireOpen, storeAnswers } from './answers.ts';
import { questionnaireOf } from './questionnaire.ts';
import { type AssessmentDeps, loadVendorForAssessment } from './request.ts';
import { type AnswerInput, evaluateAnswers, type FailedControl, missingControls } from './scoring.ts';

// Submitting a reassessment: every control answered, scored, a finding per failed control, and the
// vendor's review dates moved on, all in one transaction.

export interface SubmitResult {
  assessment: AssessmentRow;
  score: number;
  failedControls: FailedControl[];
  /** One per failed control: newly opened, or the still-active finding an earlier assessment opened. */
  findings: FindingRow[];
}

function findingText(failed: FailedControl): { title: string; detail: string } {
  const { control, answer, comment } = failed;
  const refs = control.frameworks.map((f) => `${f.framework} ${f.ref}`).join('; ');
  return {
    title: `${answer === 'partial' ? 'Control only partly met' : 'Control not met'}: ${control.title}`,
    detail: [
      control.question,
      `Answer: ${answer}${comment ? ` (${comment})` : ''}`,
      `Why it matters: ${control.why}`,
      `Frameworks: ${refs}`,
    ].join('\n'),
  };
}

/** A control still failing from an earlier assessment keeps its finding instead of opening a second. */
async function openControlFinding(
  tx: Tx,
  deps: AssessmentDeps,
  actor: Actor,
  assessment: AssessmentRow,
  failed: FailedControl,
): Promise<FindingRow> {
  const prefix = `questionnaire:${assessment.vendor_id}:${failed.control.id}:`;
  const active = await tx
    .selectFrom('findings')
    .selectAll()
    .where('vendor_id', '=', assessment.vendor_id)
    .where('dedupe_key', 'like', `${prefix}%`)
    .where('state', 'in', [...ACTIVE_STATES, 'risk_accepted'])
    .orderBy('id')
    .executeTakeFirst();
  if (active) return active;
  const { finding } = await openFinding(tx, deps, actor, {
    vendorId: assessment.vendor_id,
    dedupeKey: `${prefix}${assessment.id}`,
    source: 'questionnaire',
    severity: failed.severity,
    ...findingText(failed),
  });
  return finding;
}

export async function submit(
  tx: Tx,
  deps: AssessmentDeps,
  actor: Actor,
  assessmentId: number,
  answers: Record<string, AnswerInput> = {},
): Promise<SubmitResult> {
  const assessment = await loadAssessment(tx, assessmentId);
  const vendor = await loadVendorForAssessment(tx, assessment.vendor_id);
  await authorize(tx, deps, actor, 'assessment.answer', vendor.owner_id);
  await requireOpen(tx, assessment);
  const questionnaire = questionnaireOf(deps);
  await storeAnswers(tx, deps, actor, assessmentId, checkAnswers(questionnaire, answers));
  const all = await answersOf(tx, assessmentId);
  const missing = missingControls(questionnaire.controls, all);
  if (missing.length > 0) {
    throw invalidInput(
      `Answer every control before submitting. Still unanswered: ${missing.map((c) => c.title).join('; ')}.`,
    );
  }
  const tier: Tier = TIERS.includes(vendor.tier) ? vendor.tier : 'medium';
  const { score, failed } = evaluateAnswers(questionnaire.controls, all, tier);

  const now = deps.clock.now().toISOString();
  const result = await tx
    .updateTable('assessments')
    .set({
      status: 'submitted',
      submitted_by: actor.id,
      submitted_at: now,
      started_at: assessment.started_at ?? now,
      score,
      questionnaire_version: questionnaire.version,
      version: assessment.version + 1,
    })
    .where('id', '=', assessmentId)
    .where('version', '=', assessment.version)
    .where('status', '!=', 'submitted')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    await requireOpen(tx, await loadAssessment(tx, assessmentId));
    throw conflict('Someone else saved this assessment at the same moment. Open it again and retry.');
  }
  const submitted = await loadAssessment(tx, assessmentId);

  const findings: FindingRow[] = [];
  for (const f of failed) findings.push(await openControlFinding(tx, deps, actor, submitted, f));

  const today = todayOf(deps);
  const next = nextReviewOn(today, tier, deps.policy);
  await tx
    .updateTable('vendors')
    .set({ last_review_on: today, next_review_on: next, updated_at: now, version: sql`version + 1` })
    .where('id', '=', vendor.id)
    .execute();
  await appendAudit(tx, deps.clock, {
    actor,
    action: 'vendor.review_completed',
    entityType: 'vendor',
    entityId: vendor.id,
    before: { last_review_on: vendor.last_review_on, next_review_on: vendor.next_review_on },
    after: { last_review_on: today, next_review_on: next },
    reason: `Assessment #${assessmentId} submitted`,
  });
  await appendAudit(tx, deps.clock, {
    actor,
    action: 'assessment.submit',
    entityType: 'assessment',
    entityId: assessmentId,
    before: { status: assessment.status, version: assessment.version },
    after: {
      status: 'submitted',
      version: submitted.version,
      score,
      questionnaire_version: questionnaire.version,
      answers: all,
      failed_controls: failed.map((f) => f.control.id),
      finding_ids: findings.map((f) => f.id),
    },
  });
  await closePrompts(tx, deps, assessmentId);
  await refreshOwnerHome(tx, deps.clock, vendor.id);
  // The vendor's live reminder says the reassessment is done, and its button goes.
  await refreshLiveReminders(tx, deps, vendor.id, 'submitted');
  // The overdue review is over: its finding (and the escalation waiting on it) closes itself.
  await closeDerivedFindings(
    tx,
    deps,
    vendor.id,
    (key) => key.startsWith(`review-overdue:${vendor.id}:`),
    `Reassessment #${assessmentId} submitted on ${today}`,
  );
  return { assessment: submitted, score, failedControls: failed, findings };
}

/** The prompt messages are edited in place to say the reassessment was submitted; their Start button goes. */
async function closePrompts(tx: Tx, deps: AssessmentDeps, assessmentId: number): Promise<void> {
  const subject = `assessment:${assessmentId}`;
  const sent = await tx.selectFrom('outbox').select('target').distinct().where('subject', '=', subject).execute();
  for (const { target } of sent) {
    await enqueue(tx, deps.clock, {
      key: `${subject}:submitted:${target}`,
      target,
      subject,
      template: 'reassessment-prompt',
      data: { assessmentId },
    });
  }
}
