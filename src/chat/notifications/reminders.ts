import { OPEN_ASSESSMENT_STATUSES } from '../../core/assessments/answers.ts';
import { getAssessment } from '../../core/assessments/queries.ts';
import { SYSTEM_ACTOR } from '../../core/common/actor.ts';
import { EVIDENCE_LABELS } from '../../core/common/vocabulary.ts';
import { outstandingItems } from '../../core/messaging/live-reminders.ts';
import { mergeItems, NO_ITEMS, type ReminderItems } from '../../core/messaging/reminder-items.ts';
import { displayName } from '../../core/roles/people.ts';
import type { DbOrTx } from '../../store/database.ts';
import { inert } from '../inert.ts';
import { inChannel } from '../reply.ts';
import {
  asksSomething,
  deadLetter,
  evidenceReminder,
  type OpenAssessmentRef,
  reassessmentPrompt,
  reviewReminder,
  vendorReminder,
} from '../views/reminders.ts';
import { formatUtc } from '../views/wording.ts';
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

/** Whether the message about `subject` for `target` was ever posted (an edit of it has something to change). */
export async function wasPosted(db: DbOrTx, subject: string | null, target: string): Promise<boolean> {
  if (!subject) return false;
  const ref = await db
    .selectFrom('message_refs')
    .select('subject')
    .where('subject', '=', subject)
    .where('target', '=', target)
    .executeTakeFirst();
  return ref !== undefined;
}

/**
 * The documents and findings a reminder asked for, read now: those still open, and a line for each one
 * done since ("GDPR DPA renewed.", "Finding #12 is resolved.").
 */
export async function itemProgress(db: DbOrTx, items: ReminderItems, still: ReminderItems) {
  const evidence: { label: string; expiresOn: string }[] = [];
  const findings: { id: number; title: string; dueOn: string }[] = [];
  const done: string[] = [];
  for (const id of items.evidenceIds) {
    const doc = await db.selectFrom('evidence').selectAll().where('id', '=', id).executeTakeFirst();
    if (!doc) continue;
    const label = EVIDENCE_LABELS[doc.type] ?? doc.type;
    if (still.evidenceIds.includes(id)) evidence.push({ label, expiresOn: doc.expires_on });
    else done.push(`${label} renewed.`);
  }
  for (const id of items.findingIds) {
    const f = await db
      .selectFrom('findings')
      .select(['id', 'title', 'sla_due_on', 'state'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!f) continue;
    if (still.findingIds.includes(id)) findings.push({ id: f.id, title: f.title, dueOn: f.sla_due_on });
    else done.push(`Finding #${f.id} is ${f.state.replace(/_/g, ' ')}.`);
  }
  return { evidence, findings, done };
}

export const renderVendorReminder: NotificationRenderer<'vendor-reminder'> = async ({
  deps,
  data,
  today,
  late,
  row,
}) => {
  const vendor = await deps.db
    .selectFrom('vendors')
    .select(['id', 'name', 'tier', 'status', 'next_review_on'])
    .where('id', '=', data.vendorId)
    .executeTakeFirst();
  if (!vendor) return null;
  const items = mergeItems(NO_ITEMS, data);
  const still = await outstandingItems(deps.db, vendor.id, items);
  const done: string[] = [];
  let prompt: { requestedBy: string; dueOn: string } | null = null;
  if (items.assessmentId !== undefined) {
    const a = await deps.db
      .selectFrom('assessments')
      .selectAll()
      .where('id', '=', items.assessmentId)
      .executeTakeFirst();
    if (a && still.assessmentId !== undefined) {
      const by =
        a.requested_by === SYSTEM_ACTOR.id ? 'The review schedule' : await displayName(deps.db, a.requested_by);
      prompt = { requestedBy: by ?? a.requested_by, dueOn: a.due_on };
    } else if (a?.submitted_at) done.push(await submittedLine(deps.db, a));
  }
  if (items.reviewDueOn !== null && still.reviewDueOn === null) {
    const last = await deps.db
      .selectFrom('assessments')
      .selectAll()
      .where('vendor_id', '=', vendor.id)
      .where('status', '=', 'submitted')
      .orderBy('submitted_at', 'desc')
      .executeTakeFirst();
    if (last && last.id !== items.assessmentId) done.push(await submittedLine(deps.db, last));
    else if (!last) done.push(`The reassessment due ${items.reviewDueOn} is no longer due.`);
  }
  const { evidence, findings, done: finished } = await itemProgress(deps.db, items, still);
  done.push(...finished);
  const input = {
    vendor,
    today,
    late,
    prompt,
    reviewDueOn: still.reviewDueOn,
    evidence,
    findings,
    done,
    open: await openAssessmentOf(deps.db, vendor.id, deps),
    supersededOn: data.supersededOn ?? null,
  };
  // An edit changes a message that was posted; a first post says something only while work is open.
  const posted = await wasPosted(deps.db, row.subject, row.target);
  if (input.supersededOn && !posted) return null;
  if (!posted && !asksSomething(input)) return null;
  return vendorReminder(input);
};

async function submittedLine(
  db: DbOrTx,
  a: { submitted_by: string | null; submitted_at: string | null; score: number | null },
): Promise<string> {
  const by = (await displayName(db, a.submitted_by)) ?? 'someone';
  const score = a.score === null ? '' : ` with a questionnaire score of ${a.score}`;
  return `Reassessment submitted by ${inert(by)} at ${formatUtc(a.submitted_at ?? '')}${score}.`;
}

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
