import type { DbOrTx } from '../../store/database.ts';
import type { AssessmentRow } from '../../store/tables.ts';
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

/** Open reassessments for the vendors a person owns, soonest due first. */
export async function assessmentsOwedBy(db: DbOrTx, principal: string): Promise<OwedAssessment[]> {
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
    .where('vendors.owner_id', '=', principal)
    .where('assessments.status', 'in', OPEN_ASSESSMENT_STATUSES)
    .orderBy('assessments.due_on')
    .orderBy('assessments.id')
    .execute();
  return rows.map((r) => ({ ...r, answered: Number(r.answered ?? 0) }));
}
