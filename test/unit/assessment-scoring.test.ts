import { describe, expect, it } from 'vitest';
import type { Control } from '../../src/core/assessments/questionnaire.ts';
import {
  type AnswerSet,
  evaluateAnswers,
  failedControlSeverity,
  isFailed,
  missingControls,
  scoreAnswers,
} from '../../src/core/assessments/scoring.ts';

const control = (id: string, weight: number): Control => ({
  id,
  title: `Control ${id}`,
  question: '?',
  weight,
  why: 'because',
  frameworks: [{ framework: 'HIPAA', ref: '45 CFR 164.312(d)' }],
});

const controls = [control('a', 5), control('b', 3), control('c', 2)];

describe('questionnaire score', () => {
  it('is the weighted share of yes, with partial worth half', () => {
    expect(scoreAnswers(controls, { a: { answer: 'yes' }, b: { answer: 'yes' }, c: { answer: 'yes' } })).toBe(100);
    expect(scoreAnswers(controls, { a: { answer: 'no' }, b: { answer: 'no' }, c: { answer: 'no' } })).toBe(0);
    // (5 + 1.5 + 0) / 10
    expect(scoreAnswers(controls, { a: { answer: 'yes' }, b: { answer: 'partial' }, c: { answer: 'no' } })).toBe(65);
  });

  it('leaves n/a controls out of the sum, and an all-n/a questionnaire scores 100', () => {
    // 3 / (3 + 2)
    expect(scoreAnswers(controls, { a: { answer: 'n/a' }, b: { answer: 'yes' }, c: { answer: 'no' } })).toBe(60);
    expect(scoreAnswers(controls, { a: { answer: 'n/a' }, b: { answer: 'n/a' }, c: { answer: 'n/a' } })).toBe(100);
  });

  it('lists unanswered controls in questionnaire order', () => {
    expect(missingControls(controls, { b: { answer: 'yes' } }).map((c) => c.id)).toEqual(['a', 'c']);
  });
});

describe('failed controls', () => {
  it('fails every no, and partial only on weight 4 or 5', () => {
    expect(isFailed({ weight: 1 }, 'no')).toBe(true);
    expect(isFailed({ weight: 5 }, 'partial')).toBe(true);
    expect(isFailed({ weight: 4 }, 'partial')).toBe(true);
    expect(isFailed({ weight: 3 }, 'partial')).toBe(false);
    expect(isFailed({ weight: 5 }, 'yes')).toBe(false);
    expect(isFailed({ weight: 5 }, 'n/a')).toBe(false);
  });

  it('sets severity by weight and tier as the documented matrix says', () => {
    const tiers = ['critical', 'high', 'medium', 'low'] as const;
    const row = (w: number) => tiers.map((t) => failedControlSeverity(w, t, 'no'));
    expect(row(5)).toEqual(['critical', 'high', 'high', 'medium']);
    expect(row(4)).toEqual(['high', 'high', 'medium', 'medium']);
    expect(row(3)).toEqual(['high', 'medium', 'medium', 'low']);
    expect(row(2)).toEqual(['medium', 'medium', 'low', 'low']);
    expect(row(1)).toEqual(['medium', 'low', 'low', 'low']);
  });

  it('opens a partial one step lower than a no, never below low', () => {
    expect(failedControlSeverity(5, 'critical', 'partial')).toBe('high');
    expect(failedControlSeverity(4, 'low', 'partial')).toBe('low');
  });

  it('evaluates a whole answer set', () => {
    const answers: AnswerSet = {
      a: { answer: 'partial', comment: 'MFA on half the consoles' },
      b: { answer: 'no' },
      c: { answer: 'yes' },
    };
    const { score, failed } = evaluateAnswers(controls, answers, 'critical');
    expect(score).toBe(45);
    expect(failed.map((f) => [f.control.id, f.answer, f.severity, f.comment])).toEqual([
      ['a', 'partial', 'high', 'MFA on half the consoles'],
      ['b', 'no', 'high', null],
    ]);
  });
});
