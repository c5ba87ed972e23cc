import type { DbOrTx, Tx } from '../../store/database.ts';
import type { AssessmentRow } from '../../store/tables.ts';
import type { Actor } from '../common/actor.ts';
import type { CoreDeps } from '../common/deps.ts';
import { conflict, invalidInput, notFound } from '../common/errors.ts';
import { isOneOf } from '../common/vocabulary.ts';
import { formatUtc } from '../findings/text.ts';
import { displayName } from '../roles/people.ts';
import { ANSWERS, type Answer, type Questionnaire } from './questionnaire.ts';
import type { AnswerInput, AnswerSet } from './scoring.ts';

// Reading, checking and storing questionnaire answers; shared by drafts and submission.

export const ASSESSMENT_STATUSES = ['requested', 'in_progress', 'submitted'] as const;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];
export const OPEN_ASSESSMENT_STATUSES: AssessmentStatus[] = ['requested', 'in_progress'];

const MAX_COMMENT = 2000;

export async function loadAssessment(db: DbOrTx, assessmentId: number): Promise<AssessmentRow> {
  const row = await db.selectFrom('assessments').selectAll().where('id', '=', assessmentId).executeTakeFirst();
  if (!row) throw notFound(`Assessment #${assessmentId} was not found.`);
  return row;
}

/** A submitted assessment takes no more answers; the second click learns who submitted it. */
export async function requireOpen(db: DbOrTx, assessment: AssessmentRow): Promise<void> {
  if (assessment.status !== 'submitted') return;
  const by = await displayName(db, assessment.submitted_by);
  throw conflict(`Already submitted by ${by} at ${formatUtc(assessment.submitted_at ?? '')}.`);
}

/** Checks answers against the questionnaire: known controls, known answers, comments trimmed. */
export function checkAnswers(questionnaire: Questionnaire, answers: Record<string, AnswerInput>): AnswerSet {
  const checked: Record<string, AnswerInput> = {};
  for (const [controlId, given] of Object.entries(answers)) {
    const control = questionnaire.byId.get(controlId);
    if (!control) throw invalidInput(`There is no control “${controlId}” in the questionnaire.`);
    const answer = String(given?.answer ?? '')
      .trim()
      .toLowerCase();
    if (!isOneOf(ANSWERS, answer)) {
      throw invalidInput(`Answer “${control.title}” with one of ${ANSWERS.join(', ')}.`);
    }
    const comment = given.comment?.trim() || null;
    if (comment && comment.length > MAX_COMMENT) {
      throw invalidInput(`The comment on “${control.title}” is longer than ${MAX_COMMENT} characters.`);
    }
    checked[controlId] = { answer: answer as Answer, comment };
  }
  return checked;
}

/** Writes answers; a later answer to the same control replaces the earlier one. */
export async function storeAnswers(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  assessmentId: number,
  answers: AnswerSet,
): Promise<void> {
  const at = deps.clock.now().toISOString();
  for (const [controlId, { answer, comment }] of Object.entries(answers)) {
    await tx
      .insertInto('assessment_answers')
      .values({
        assessment_id: assessmentId,
        control_id: controlId,
        answer,
        comment: comment ?? null,
        answered_by: actor.id,
        answered_at: at,
      })
      .onConflict((oc) =>
        oc.columns(['assessment_id', 'control_id']).doUpdateSet({
          answer,
          comment: comment ?? null,
          answered_by: actor.id,
          answered_at: at,
        }),
      )
      .execute();
  }
}

export async function answersOf(db: DbOrTx, assessmentId: number): Promise<AnswerSet> {
  const rows = await db
    .selectFrom('assessment_answers')
    .select(['control_id', 'answer', 'comment'])
    .where('assessment_id', '=', assessmentId)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.control_id, { answer: r.answer as Answer, comment: r.comment }]));
}
