import { OPEN_ASSESSMENT_STATUSES } from '../../core/assessments/answers.ts';
import { getAssessment } from '../../core/assessments/queries.ts';
import { SYSTEM_ACTOR } from '../../core/common/actor.ts';
import { EVIDENCE_LABELS } from '../../core/common/vocabulary.ts';
import { displayName } from '../../core/roles/people.ts';
import type { DbOrTx } from '../../store/database.ts';
import { inChannel } from '../reply.ts';
import {
  deadLetter,
  evidenceReminder,
  type OpenAssessmentRef,
  reassessmentPrompt,
  reviewReminder,
} from '../views/reminders.ts';
import type { NotificationRenderer } from './types.ts';

// Reminders and prompts for people, and the notices for admins. A reminder that no longer applies
// (the review was done, the certificate renewed, the vendor offboarded) renders as null: not sent.

async function openAssessmentOf(
  db: DbOrTx,
  vendorId: number,
  deps: Parameters<typeof getAssessment>[2],
): Promise<OpenAssessmentRef | null> {
  const open = await db
    .selectFrom('assessments')
    .select('id')
    .where('vendor_id', '=', vendorId)
    .where('status', 'in', OPEN_ASSESSMENT_STATUSES)
    .orderBy('id')
    .executeTakeFirst();
  if (!open) return null;
  const detail = await getAssessment(db, open.id, deps);
  return { id: open.id, answered: detail.controls.length - detail.unanswered.length, total: detail.controls.length };
}

export const renderReviewReminder: NotificationRenderer<'review-reminder'> = async ({ deps, data, today, late }) => {
  const vendor = await deps.db
    .selectFrom('vendors')
    .select(['id', 'name', 'tier', 'status', 'next_review_on'])
    .where('id', '=', data.vendorId)
    .executeTakeFirst();
  if (!vendor || vendor.status === 'offboarded' || vendor.next_review_on !== data.dueOn) return null;
  const open = await openAssessmentOf(deps.db, vendor.id, deps);
  return reviewReminder({ vendor, dueOn: data.dueOn, today, late, open });
};

export const renderReassessmentPrompt: NotificationRenderer<'reassessment-prompt'> = async ({ deps, data, today }) => {
  const exists = await deps.db
    .selectFrom('assessments')
    .select('id')
    .where('id', '=', data.assessmentId)
    .executeTakeFirst();
  if (!exists) return null;
  const detail = await getAssessment(deps.db, data.assessmentId, deps);
  const a = detail.assessment;
  const requester =
    a.requested_by === SYSTEM_ACTOR.id ? 'The review schedule' : await displayName(deps.db, a.requested_by);
  const submitted =
    a.status === 'submitted' && a.submitted_at
      ? { by: (await displayName(deps.db, a.submitted_by)) ?? 'someone', at: a.submitted_at, score: a.score }
      : null;
  return reassessmentPrompt({
    assessmentId: a.id,
    vendor: detail.vendor,
    dueOn: a.due_on,
    today,
    requestedBy: requester ?? a.requested_by,
    answered: detail.controls.length - detail.unanswered.length,
    total: detail.controls.length,
    submitted,
  });
};

export const renderEvidenceReminder: NotificationRenderer<'evidence-reminder'> = async ({
  deps,
  data,
  today,
  late,
}) => {
  const evidence = await deps.db
    .selectFrom('evidence')
    .innerJoin('vendors', 'vendors.id', 'evidence.vendor_id')
    .select(['evidence.vendor_id', 'evidence.type', 'evidence.expires_on', 'vendors.name as vendor_name'])
    .where('evidence.id', '=', data.evidenceId)
    .executeTakeFirst();
  if (!evidence) return null;
  const renewed = await deps.db
    .selectFrom('evidence')
    .select('id')
    .where('vendor_id', '=', evidence.vendor_id)
    .where('type', '=', evidence.type)
    .where('expires_on', '>', evidence.expires_on)
    .executeTakeFirst();
  if (renewed) return null;
  return evidenceReminder({
    label: EVIDENCE_LABELS[evidence.type] ?? evidence.type,
    vendorName: evidence.vendor_name,
    expiresOn: evidence.expires_on,
    today,
    late,
  });
};

export const renderDeadLetter: NotificationRenderer<'dead-letter'> = async ({ deps, data }) => {
  const row = await deps.db
    .selectFrom('outbox')
    .select(['template', 'subject', 'attempts'])
    .where('id', '=', data.outboxId)
    .executeTakeFirst();
  return deadLetter({
    outboxId: data.outboxId,
    target: data.target,
    error: data.error,
    template: row?.template ?? null,
    subject: row?.subject ?? null,
    attempts: row?.attempts ?? null,
  });
};

export const renderText: NotificationRenderer<'text'> = async ({ data }) => inChannel(data.text);
