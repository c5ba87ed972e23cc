import { describe, expect, it } from 'vitest';
import type { EvidenceStatus } from '../../src/core/evidence/status.ts';
import { DEFAULT_POLICY as policy } from '../../src/core/policy/policy.ts';
import { gradeFor, type PostureInputs, residualRisk, scorePosture } from '../../src/core/posture/score.ts';

const clean: PostureInputs = {
  tier: 'high',
  today: '2026-06-01',
  openFindings: { critical: 0, high: 0, medium: 0, low: 0 },
  evidence: [],
  nextReviewOn: '2026-09-01',
  failedControls: [],
  externalRating: null,
};

const expired = (label: string, expiresOn: string): EvidenceStatus => ({
  type: 'soc2_type2',
  label,
  status: 'expired',
  daysLeft: -1,
  latest: {
    id: 1,
    vendor_id: 1,
    type: 'soc2_type2',
    issued_on: null,
    expires_on: expiresOn,
    url: null,
    recorded_by: 'x',
    created_at: '',
    updated_at: '',
  },
});

describe('posture score', () => {
  it('is 100, grade A, with no drivers for a clean vendor', () => {
    expect(scorePosture(clean, policy)).toEqual({ score: 100, grade: 'A', residual: 'low', drivers: [] });
  });

  it('names every deduction, line by line, and the lines add up to the score', () => {
    const result = scorePosture(
      {
        ...clean,
        openFindings: { critical: 2, high: 0, medium: 1, low: 0 },
        evidence: [expired('SOC 2 Type II', '2026-05-01')],
        nextReviewOn: '2026-05-25',
        failedControls: [
          { id: 'mfa-admin', title: 'MFA on admin access', weight: 5, answer: 'no' },
          { id: 'backups', title: 'Tested backups', weight: 3, answer: 'partial' },
        ],
        externalRating: { rating: 'D', source: 'RatingCo', observedAt: '2026-05-30T10:00:00Z' },
      },
      policy,
    );
    expect(result.drivers).toEqual([
      {
        label: '2 open critical findings',
        points: -50,
        detail: '25 points each until resolved or the risk is accepted.',
      },
      { label: '1 open medium finding', points: -5, detail: '5 points each until resolved or the risk is accepted.' },
      {
        label: 'SOC 2 Type II expired',
        points: -8,
        detail: 'Expired on 2026-05-01 (31 days ago); record the renewed document.',
      },
      { label: 'Reassessment overdue', points: -10, detail: 'Was due 2026-05-25, 7 days ago.' },
      {
        label: '2 questionnaire controls not met',
        points: -13,
        detail: 'MFA on admin access (no, weight 5): -10; Tested backups (partial, weight 3): -3',
      },
      { label: 'External security rating D', points: -15, detail: 'Reported by RatingCo on 2026-05-30.' },
    ]);
    // 100 - 50 - 5 - 8 - 10 - 13 - 15 = -1, floored at 0.
    expect(result).toMatchObject({ score: 0, grade: 'F', residual: 'critical' });
  });

  it('adds up exactly when not floored', () => {
    const result = scorePosture(
      { ...clean, openFindings: { critical: 0, high: 1, medium: 0, low: 3 }, nextReviewOn: '2026-05-31' },
      policy,
    );
    expect(100 + result.drivers.reduce((s, d) => s + d.points, 0)).toBe(result.score);
    expect(result.score).toBe(100 - 12 - 6 - 10);
    expect(result.drivers.map((d) => d.label)).toEqual([
      '1 open high finding',
      '3 open low findings',
      'Reassessment overdue',
    ]);
  });

  it('is not overdue on the due day itself, and an A rating costs nothing', () => {
    const result = scorePosture(
      {
        ...clean,
        nextReviewOn: '2026-06-01',
        externalRating: { rating: 'A', source: 'RatingCo', observedAt: '2026-05-30T10:00:00Z' },
      },
      policy,
    );
    expect(result.drivers).toEqual([]);
  });
});

describe('grade bands', () => {
  it.each([
    [100, 'A'],
    [90, 'A'],
    [89, 'B'],
    [80, 'B'],
    [79, 'C'],
    [70, 'C'],
    [69, 'D'],
    [60, 'D'],
    [59, 'F'],
    [0, 'F'],
  ] as const)('%i is %s', (score, grade) => {
    expect(gradeFor(score, policy)).toBe(grade);
  });
});

describe('residual risk', () => {
  it('keeps a critical vendor at least medium and makes a poorly graded one critical', () => {
    expect(residualRisk('critical', 'A')).toBe('medium');
    expect(residualRisk('critical', 'C')).toBe('critical');
    expect(residualRisk('high', 'A')).toBe('low');
    expect(residualRisk('high', 'D')).toBe('critical');
    expect(residualRisk('medium', 'F')).toBe('high');
    expect(residualRisk('low', 'F')).toBe('medium');
    expect(residualRisk('low', 'C')).toBe('low');
  });
});
