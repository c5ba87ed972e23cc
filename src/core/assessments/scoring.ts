import { SEVERITIES, type Severity, type Tier } from '../common/vocabulary.ts';
import type { Answer, Control } from './questionnaire.ts';

// Scoring a submitted questionnaire, pure.
//
// Score: the weighted share of controls met, 0-100. "yes" earns the control's full weight, "partial"
// half of it, "no" nothing; "n/a" leaves the control out of both sides. All n/a scores 100: nothing
// that applies was missed.
//
// Failed controls: every "no", and a "partial" on a control of weight 4 or 5 (half an MFA rollout is a
// real gap; half of a weight-2 hygiene control is not worth a finding).
//
// Severity of the finding a failed control opens, by control weight (rows) and vendor tier (columns):
//
//   weight | critical  high      medium    low
//   -------+----------------------------------------
//     5    | critical  high      high      medium
//     4    | high      high      medium    medium
//     3    | high      medium    medium    low
//     2    | medium    medium    low       low
//     1    | medium    low       low       low
//
// A "partial" answer opens its finding one step lower than a "no" would (never below low).

export interface AnswerInput {
  answer: Answer;
  comment?: string | null;
}

export type AnswerSet = Readonly<Record<string, AnswerInput>>;

export const ANSWER_CREDIT: Record<Answer, number | null> = { yes: 1, partial: 0.5, no: 0, 'n/a': null };

export const SEVERITY_MATRIX: Readonly<Record<number, Record<Tier, Severity>>> = {
  5: { critical: 'critical', high: 'high', medium: 'high', low: 'medium' },
  4: { critical: 'high', high: 'high', medium: 'medium', low: 'medium' },
  3: { critical: 'high', high: 'medium', medium: 'medium', low: 'low' },
  2: { critical: 'medium', high: 'medium', medium: 'low', low: 'low' },
  1: { critical: 'medium', high: 'low', medium: 'low', low: 'low' },
};

/** Controls of at least this weight fail on a "partial" answer. */
export const PARTIAL_FAILS_FROM_WEIGHT = 4;

export function scoreAnswers(controls: readonly Control[], answers: AnswerSet): number {
  let earned = 0;
  let possible = 0;
  for (const control of controls) {
    const answer = answers[control.id]?.answer;
    const credit = answer === undefined ? 0 : ANSWER_CREDIT[answer];
    if (credit === null) continue;
    earned += control.weight * credit;
    possible += control.weight;
  }
  return possible === 0 ? 100 : Math.round((100 * earned) / possible);
}

export function isFailed(control: Pick<Control, 'weight'>, answer: Answer): boolean {
  return answer === 'no' || (answer === 'partial' && control.weight >= PARTIAL_FAILS_FROM_WEIGHT);
}

export function failedControlSeverity(weight: number, tier: Tier, answer: Answer): Severity {
  const row = SEVERITY_MATRIX[Math.min(5, Math.max(1, Math.round(weight)))] ?? SEVERITY_MATRIX[3]!;
  const severity = row[tier] ?? row.medium;
  if (answer !== 'partial') return severity;
  return SEVERITIES[Math.min(SEVERITIES.length - 1, SEVERITIES.indexOf(severity) + 1)]!;
}

/** The controls still without an answer, in questionnaire order. */
export function missingControls(controls: readonly Control[], answers: AnswerSet): Control[] {
  return controls.filter((c) => answers[c.id] === undefined);
}

export interface FailedControl {
  control: Control;
  answer: Answer;
  comment: string | null;
  severity: Severity;
}

export function evaluateAnswers(
  controls: readonly Control[],
  answers: AnswerSet,
  tier: Tier,
): { score: number; failed: FailedControl[] } {
  const failed: FailedControl[] = [];
  for (const control of controls) {
    const given = answers[control.id];
    if (!given || !isFailed(control, given.answer)) continue;
    failed.push({
      control,
      answer: given.answer,
      comment: given.comment ?? null,
      severity: failedControlSeverity(control.weight, tier, given.answer),
    });
  }
  return { score: scoreAnswers(controls, answers), failed };
}
