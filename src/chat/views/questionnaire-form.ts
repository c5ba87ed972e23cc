import type { AssessmentDetail } from '../../core/assessments/queries.ts';
import { ANSWERS, type Answer, type Control } from '../../core/assessments/questionnaire.ts';
import type { AnswerInput } from '../../core/assessments/scoring.ts';
import { isOneOf } from '../../core/common/vocabulary.ts';
import type { FormValues } from '../command.ts';
import { inert, inertTitle } from '../inert.ts';
import type { Block, Form, FormField, Reply } from '../reply.ts';
import { ephemeral } from '../reply.ts';
import { capitalize, dueWording } from './wording.ts';

// The reassessment questionnaire as one form: per control a yes / partly / no / not applicable choice
// and an optional comment, opened with the saved draft filled in. Long questionnaires are split into
// pages by the platform adapter; closing the form keeps what was answered as a draft.

export const ASSESSMENT_FORM = 'assessment.answer';

export const ANSWER_LABELS: Record<Answer, string> = {
  yes: 'Yes',
  partial: 'Partly',
  no: 'No',
  'n/a': 'Not applicable',
};

export const answerField = (controlId: string) => `answer.${controlId}`;
export const commentField = (controlId: string) => `comment.${controlId}`;

function controlFields(control: Control, index: number, draft: AnswerInput | undefined): FormField[] {
  return [
    {
      id: answerField(control.id),
      label: `${index + 1}. ${control.title}: ${control.question}`,
      kind: 'radio',
      options: ANSWERS.map((a) => ({ value: a, label: ANSWER_LABELS[a] })),
      hint: `Why it matters: ${control.why}`,
      ...(draft ? { initial: draft.answer } : {}),
    },
    {
      id: commentField(control.id),
      label: `Comment on “${control.title}”`,
      kind: 'text',
      optional: true,
      placeholder: 'Evidence, scope, or the plan to close a gap',
      ...(draft?.comment ? { initial: draft.comment } : {}),
    },
  ];
}

export function questionnaireForm(detail: AssessmentDetail, today: string): Form {
  const { assessment, vendor, controls, answers } = detail;
  const answered = controls.length - detail.unanswered.length;
  const progress = answered > 0 ? ` ${answered} of ${controls.length} controls are answered from your draft.` : '';
  return {
    id: ASSESSMENT_FORM,
    title: 'Reassessment',
    submitLabel: 'Submit',
    state: String(assessment.id),
    intro:
      `Reassessment of **${inert(vendor.name)}** (${vendor.tier} tier), due ${assessment.due_on} ` +
      `(${dueWording(today, assessment.due_on)}).${progress}\n` +
      'Close the form at any time: your answers are kept as a draft and filled in when you open it again.',
    fields: controls.flatMap((c, i) => controlFields(c, i, answers[c.id])),
  };
}

/** The answers given in the form (a comment travels with its control's answer). */
export function answersFrom(values: FormValues, controls: readonly Control[]): Record<string, AnswerInput> {
  const answers: Record<string, AnswerInput> = {};
  for (const control of controls) {
    const raw = values[answerField(control.id)];
    const answer = typeof raw === 'string' ? raw.trim() : '';
    if (!isOneOf(ANSWERS, answer)) continue;
    const comment = values[commentField(control.id)];
    answers[control.id] = { answer, comment: typeof comment === 'string' && comment.trim() ? comment.trim() : null };
  }
  return answers;
}

/** Errors next to every control still unanswered, counting the saved draft. */
export function unansweredErrors(
  controls: readonly Control[],
  draft: Readonly<Record<string, AnswerInput>>,
  given: Readonly<Record<string, AnswerInput>>,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const c of controls)
    if (!given[c.id] && !draft[c.id]) errors[answerField(c.id)] = 'Answer this control to submit.';
  return errors;
}

export interface SubmittedSummary {
  vendorName: string;
  questionnaireScore: number;
  posture: { score: number; grade: string };
  nextReviewOn: string | null;
  failed: { title: string; severity: string; findingId: number }[];
}

/** What the owner sees after submitting: the new posture, the next review and what failed. */
export function submittedReply(s: SubmittedSummary): Reply {
  const headline = `Reassessment of ${s.vendorName} submitted. Posture is now ${s.posture.score}/100, grade ${s.posture.grade}.`;
  const facts = `Questionnaire score: ${s.questionnaireScore}/100. Next review: ${s.nextReviewOn ?? 'not scheduled'}.`;
  const failed =
    s.failed.length === 0
      ? 'Every control was met: no findings were opened.'
      : `Controls that failed, each now a finding posted to the vendor’s channel:\n${s.failed
          .map((f) => `• ${inertTitle(f.title)}: finding #${f.findingId} (${capitalize(f.severity)})`)
          .join('\n')}`;
  const blocks: Block[] = [
    { type: 'header', text: `Thank you: ${s.vendorName} reassessed` },
    { type: 'text', text: `**${headline}**\n${facts}` },
    { type: 'text', text: failed },
  ];
  return ephemeral(`${headline}\n${facts}\n${failed}`, blocks);
}
