import { describe, expect, it } from 'vitest';
import type { EvidenceType, Severity } from '../../src/core/common/vocabulary.ts';
import type { EvidenceStatus } from '../../src/core/evidence/status.ts';
import type { RequiredEvidenceRule } from '../../src/core/policy/policy.ts';
import { DEFAULT_POLICY as policy } from '../../src/core/policy/policy.ts';
import {
  gradeFor,
  type OpenFindingFact,
  type PostureInputs,
  residualRisk,
  scorePosture,
} from '../../src/core/posture/score.ts';

const clean: PostureInputs = {
  tier: 'high',
  today: '2026-06-01',
  findings: [],
  evidence: [],
  nextReviewOn: '2026-09-01',
  lastReviewOn: '2026-03-01',
  failedControls: [],
  externalRating: null,
  requiredMissing: [],
  assessed: true,
};

const expired = (label: string, expiresOn: string, type: EvidenceType = 'soc2_type2', id = 1): EvidenceStatus => ({
  type,
  label,
  status: 'expired',
  daysLeft: -1,
  latest: {
    id,
    vendor_id: 1,
    type,
    issued_on: null,
    expires_on: expiresOn,
    url: null,
    recorded_by: 'x',
    created_at: '',
    updated_at: '',
  },
});

const finding = (id: number, severity: Severity, dedupeKey: string, title = `Finding ${id}`): OpenFindingFact => ({
  id,
  severity,
  source: dedupeKey.split(':')[0]!,
  dedupeKey,
  title,
  openedOn: '2026-05-20',
});

const rule = (anyOf: EvidenceType[], because: string): RequiredEvidenceRule => ({
  when: {},
  anyOf,
  maxAgeMonths: null,
  because,
});

describe('posture score', () => {
  it('is 100, grade A, with no drivers for a clean vendor', () => {
    expect(scorePosture(clean, policy)).toEqual({ score: 100, grade: 'A', residual: 'low', drivers: [] });
  });

  it('names every cause, line by line, with where it comes from, and the lines add up to the score', () => {
    const result = scorePosture(
      {
        ...clean,
        findings: [finding(7, 'critical', 'analyst:1:1', 'Admin portal without MFA'), finding(8, 'medium', 'x:1')],
        evidence: [expired('SOC 2 Type II', '2026-05-01')],
        nextReviewOn: '2026-05-25',
        failedControls: [
          { id: 'mfa-admin', title: 'MFA on admin access', weight: 5, answer: 'no' },
          { id: 'backups', title: 'Tested backups', weight: 3, answer: 'partial' },
        ],
        externalRating: { rating: 'D', source: 'RatingCo', observedAt: '2026-05-30T10:00:00Z', findingId: null },
      },
      policy,
    );
    expect(result.drivers.map((d) => [d.points, d.label, d.from])).toEqual([
      [-25, 'Admin portal without MFA', 'finding #7'],
      [-5, 'Finding 8', 'finding #8'],
      [-8, 'SOC 2 Type II expired', 'evidence on record'],
      [-10, 'Reassessment overdue', 'review schedule'],
      [-10, 'Control not met: MFA on admin access', 'latest questionnaire'],
      [-3, 'Control only partly met: Tested backups', 'latest questionnaire'],
      [-15, 'External security rating D', 'rating signal from RatingCo'],
    ]);
    // 100 - 25 - 5 - 8 - 10 - 10 - 3 - 15 = 24.
    expect(result).toMatchObject({ score: 24, grade: 'F', residual: 'critical' });
  });

  it('counts a failed control, an expired document, an overdue review and a rating once: through its open finding', () => {
    const inputs: PostureInputs = {
      ...clean,
      findings: [
        finding(11, 'high', 'questionnaire:1:mfa-admin:4', 'Control not met: MFA on admin access'),
        finding(12, 'medium', 'evidence-expired:1', 'SOC 2 Type II expired'),
        finding(13, 'high', 'review-overdue:1:2026-05-01', 'Reassessment overdue'),
        finding(14, 'high', 'signal:ratingco:r1', 'Rating fell to D'),
        finding(15, 'high', 'drift:1:2026-05-30', 'Posture fell'),
      ].map((f) => (f.id === 15 ? { ...f, source: 'posture_drift' } : f)),
      evidence: [expired('SOC 2 Type II', '2026-05-01')],
      nextReviewOn: '2026-05-01',
      failedControls: [{ id: 'mfa-admin', title: 'MFA on admin access', weight: 5, answer: 'no' }],
      externalRating: { rating: 'D', source: 'RatingCo', observedAt: '2026-05-30T10:00:00Z', findingId: 14 },
    };
    const result = scorePosture(inputs, policy);
    expect(result.drivers.map((d) => d.from)).toEqual(['finding #11', 'finding #13', 'finding #14', 'finding #12']);
    // The drift finding reports the fall these causes made; it is not a cause of its own.
    expect(result.score).toBe(100 - 12 - 12 - 12 - 5);
    // Once those findings are resolved, the rules count the same causes instead, still once each.
    const rules = scorePosture({ ...inputs, findings: [] }, policy);
    expect(rules.drivers.map((d) => d.origin)).toEqual(['evidence', 'review', 'questionnaire', 'rating']);
    expect(rules.score).toBe(100 - 8 - 10 - 10 - 15);
  });

  it('deducts each missing required document once, and an expired required one once', () => {
    const result = scorePosture(
      {
        ...clean,
        evidence: [expired('Penetration test', '2026-05-01', 'pentest', 9)],
        requiredMissing: [rule(['hipaa_baa'], 'holds PHI'), rule(['pentest'], 'critical or high tier')],
      },
      policy,
    );
    expect(result.drivers.map((d) => [d.points, d.label])).toEqual([
      [-15, 'Required evidence missing: HIPAA BAA'],
      [-15, 'Required Penetration test expired on 2026-05-01'],
    ]);
    expect(result.drivers[0]!.detail).toBe('Policy requires HIPAA BAA because the vendor is holding PHI.');
    // With its expiry finding open, the pen test counts through that finding alone.
    const withFinding = scorePosture(
      {
        ...clean,
        findings: [finding(3, 'medium', 'evidence-expired:9')],
        evidence: [expired('Penetration test', '2026-05-01', 'pentest', 9)],
        requiredMissing: [rule(['pentest'], 'critical or high tier')],
      },
      policy,
    );
    expect(withFinding.drivers.map((d) => d.from)).toEqual(['finding #3']);
  });

  it('never grades a vendor that was never assessed above C, and says so', () => {
    const result = scorePosture({ ...clean, assessed: false, lastReviewOn: null }, policy);
    expect(result).toMatchObject({ score: 79, grade: 'C' });
    expect(result.drivers).toEqual([expect.objectContaining({ label: 'Not yet assessed', points: -21 })]);
    // A PHI vendor with no BAA and no assessment: nowhere near an A.
    const phi = scorePosture(
      { ...clean, assessed: false, lastReviewOn: null, requiredMissing: [rule(['hipaa_baa'], 'holds PHI')] },
      policy,
    );
    expect(phi.grade).toBe('C');
    expect(phi.score).toBe(79);
    const worse = scorePosture(
      {
        ...clean,
        assessed: false,
        lastReviewOn: null,
        requiredMissing: [rule(['hipaa_baa'], 'holds PHI'), rule(['gdpr_dpa'], 'in GDPR scope')],
        findings: [finding(1, 'high', 'a:1')],
      },
      policy,
    );
    expect(worse.score).toBe(100 - 15 - 15 - 12);
    expect(worse.drivers.at(-1)).toMatchObject({ label: 'Not yet assessed', points: 0 });
  });

  it('is not overdue on the due day itself, and an A rating costs nothing', () => {
    const result = scorePosture(
      {
        ...clean,
        nextReviewOn: '2026-06-01',
        externalRating: { rating: 'A', source: 'RatingCo', observedAt: '2026-05-30T10:00:00Z', findingId: null },
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
