import type { DbOrTx } from '../../store/database.ts';
import type { AssessmentRow } from '../../store/tables.ts';
import { IN_CADENCE } from '../lifecycle/states.ts';
import { principalsOf } from '../roles/identity.ts';
import { answersOf, loadAssessment, OPEN_ASSESSMENT_STATUSES } from './answers.ts';
import { type Control, type Questionnaire, questionnaireOf } from './questionnaire.ts';
import { type AnswerSet, missingControls } from './scoring.ts';

// Reading assessments: one with its answers (to reopen a draft where it was left), and the ones a
// person still owes.

export interface AssessmentDetail {
  assessment: AssessmentRow;
  vendor: { id: number; name: string; tier: string; owner_id: string | null };
  controls: Control[];
  answers: AnswerSet;
  unanswered: Control[];
}

export async function getAssessment(
  db: DbOrTx,
  assessmentId: number,
  deps: { questionnaire?: Questionnaire } = {},
): Promise<AssessmentDetail> {
  const assessment = await loadAssessment(db, assessmentId);
  const vendor = await db
    .selectFrom('vendors')
    .select(['id', 'name', 'tier', 'owner_id'])
    .where('id', '=', assessment.vendor_id)
    .executeTakeFirstOrThrow();
  const { controls } = questionnaireOf(deps);
  const answers = await answersOf(db, assessmentId);
  return { assessment, vendor, controls, answers, unanswered: missingControls(controls, answers) };
}

export interface OwedAssessment extends AssessmentRow {
  vendor_name: string;
  answered: number;
}

/** Open reassessments for the vendors a person owns (under any of their linked accounts), soonest due first. */
export async function assessmentsOwedBy(db: DbOrTx, principal: string): Promise<OwedAssessment[]> {
  const mine = await principalsOf(db, principal);
  const rows = await db
    .selectFrom('assessments')
    .innerJoin('vendors', 'vendors.id', 'assessments.vendor_id')
    .selectAll('assessments')
    .select('vendors.name as vendor_name')
    .select((eb) =>
      eb
        .selectFrom('assessment_answers')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('assessment_answers.assessment_id', '=', 'assessments.id')
        .as('answered'),
    )
    .where('vendors.owner_id', 'in', mine)
    .where('assessments.status', 'in', OPEN_ASSESSMENT_STATUSES)
    .orderBy('assessments.due_on')
    .orderBy('assessments.id')
    .execute();
  return rows.map((r) => ({ ...r, answered: Number(r.answered ?? 0) }));
}

/** A review an owner has to carry out: due by the vendor's cadence, or already opened as a reassessment. */
export interface ReviewDue {
  vendor_id: number;
  vendor_name: string;
  tier: string;
  /** The earlier of the vendor's next review date and its open reassessment's due date. */
  due_on: string;
  /** The reassessment already open for it, with how far it got; null when none was opened yet. */
  assessment: { id: number; answered: number } | null;
}

/**
 * The reviews a vendor owner has to do: every vendor they own (still in service) whose review falls
 * due on or before `through`, overdue ones included, and every reassessment already opened for one of
 * their vendors. Soonest first, so the overdue ones lead. One entry per vendor.
 */
export async function reviewsDueFor(db: DbOrTx, principal: string, through: string): Promise<ReviewDue[]> {
  const open = new Map((await assessmentsOwedBy(db, principal)).map((a) => [a.vendor_id, a]));
  const vendors = await db
    .selectFrom('vendors')
    .select(['id', 'name', 'tier', 'next_review_on'])
    .where('owner_id', 'in', await principalsOf(db, principal))
    .where((eb) => {
      const due = eb.and([eb('status', 'in', IN_CADENCE), eb('next_review_on', '<=', through)]);
      return open.size > 0 ? eb.or([due, eb('id', 'in', [...open.keys()])]) : due;
    })
    .execute();
  const items: ReviewDue[] = [];
  for (const v of vendors) {
    const a = open.get(v.id);
    // An overdue review stays overdue while its reassessment is answered: the earlier date leads.
    const dueOn = [a?.due_on, v.next_review_on].filter((d): d is string => Boolean(d)).sort()[0];
    if (!dueOn) continue;
    const assessment = a ? { id: a.id, answered: a.answered } : null;
    items.push({ vendor_id: v.id, vendor_name: v.name, tier: v.tier, due_on: dueOn, assessment });
  }
  return items.sort((a, b) => a.due_on.localeCompare(b.due_on) || a.vendor_name.localeCompare(b.vendor_name));
}
