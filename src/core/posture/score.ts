import { daysBetween } from '../common/dates.ts';
import { SEVERITIES, type Severity, type Tier } from '../common/vocabulary.ts';
import type { EvidenceStatus } from '../evidence/status.ts';
import type { Policy } from '../policy/policy.ts';
import type { Rating } from '../signals/findings.ts';

// The posture score, pure: 100 minus named deductions, floored at 0. Every deduction is a driver the
// user sees line by line, so the score is never a black box ("2 open critical findings  -50").

export const GRADES = ['A', 'B', 'C', 'D', 'F'] as const;
export type Grade = (typeof GRADES)[number];
export type Residual = Tier;

export interface Driver {
  label: string;
  /** Negative: points taken off the score. */
  points: number;
  detail: string;
}

export interface FailedAnswer {
  id: string;
  title: string;
  weight: number;
  answer: 'no' | 'partial';
}

export interface PostureInputs {
  tier: Tier;
  today: string;
  openFindings: Record<Severity, number>;
  evidence: readonly EvidenceStatus[];
  nextReviewOn: string | null;
  /** Controls answered "no" or "partial" in the latest submitted assessment. */
  failedControls: readonly FailedAnswer[];
  externalRating: { rating: Rating; source: string; observedAt: string } | null;
}

export interface PostureScore {
  score: number;
  grade: Grade;
  residual: Residual;
  drivers: Driver[];
}

/**
 * Residual risk: what is left of the inherent risk (tier) given how well the vendor is managed (grade).
 *
 *   tier \ grade |  A        B        C         D         F
 *   -------------+---------------------------------------------
 *   critical     |  medium   high     critical  critical  critical
 *   high         |  low      medium   high      critical  critical
 *   medium       |  low      low      medium    high      high
 *   low          |  low      low      low       medium    medium
 *
 * Even an A cannot make a PHI processor low risk; a D or F makes a critical or high vendor critical.
 */
const RESIDUAL: Record<Tier, Record<Grade, Residual>> = {
  critical: { A: 'medium', B: 'high', C: 'critical', D: 'critical', F: 'critical' },
  high: { A: 'low', B: 'medium', C: 'high', D: 'critical', F: 'critical' },
  medium: { A: 'low', B: 'low', C: 'medium', D: 'high', F: 'high' },
  low: { A: 'low', B: 'low', C: 'low', D: 'medium', F: 'medium' },
};

export function residualRisk(tier: Tier, grade: Grade): Residual {
  return RESIDUAL[tier][grade];
}

export function gradeFor(score: number, policy: Policy): Grade {
  const bands = policy.gradeBands;
  if (score >= bands.A) return 'A';
  if (score >= bands.B) return 'B';
  if (score >= bands.C) return 'C';
  if (score >= bands.D) return 'D';
  return 'F';
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function postureDrivers(inputs: PostureInputs, policy: Policy): Driver[] {
  const d = policy.deductions;
  const drivers: Driver[] = [];
  for (const severity of SEVERITIES) {
    const n = inputs.openFindings[severity];
    if (n > 0) {
      drivers.push({
        label: `${n} open ${severity} ${n === 1 ? 'finding' : 'findings'}`,
        points: -n * d.openFinding[severity],
        detail: `${d.openFinding[severity]} points each until resolved or the risk is accepted.`,
      });
    }
  }
  for (const e of inputs.evidence) {
    if (e.status !== 'expired' || !e.latest) continue;
    const ago = daysBetween(e.latest.expires_on, inputs.today);
    drivers.push({
      label: `${e.label} expired`,
      points: -d.expiredEvidence,
      detail: `Expired on ${e.latest.expires_on}${ago > 0 ? ` (${plural(ago, 'day')} ago)` : ' (today)'}; record the renewed document.`,
    });
  }
  if (inputs.nextReviewOn && inputs.nextReviewOn < inputs.today) {
    drivers.push({
      label: 'Reassessment overdue',
      points: -d.overdueReassessment,
      detail: `Was due ${inputs.nextReviewOn}, ${plural(daysBetween(inputs.nextReviewOn, inputs.today), 'day')} ago.`,
    });
  }
  if (inputs.failedControls.length > 0) {
    const each = inputs.failedControls.map((c) => ({
      c,
      points: c.weight * d.failedControlPerWeight * (c.answer === 'partial' ? 0.5 : 1),
    }));
    drivers.push({
      label: `${plural(inputs.failedControls.length, 'questionnaire control')} not met`,
      points: -Math.round(each.reduce((sum, x) => sum + x.points, 0)),
      detail: each
        .map(({ c, points }) => `${c.title} (${c.answer}, weight ${c.weight}): -${Math.round(points * 10) / 10}`)
        .join('; '),
    });
  }
  const rating = inputs.externalRating;
  if (rating && d.externalRating[rating.rating] > 0) {
    drivers.push({
      label: `External security rating ${rating.rating}`,
      points: -d.externalRating[rating.rating],
      detail: `Reported by ${rating.source} on ${rating.observedAt.slice(0, 10)}.`,
    });
  }
  return drivers;
}

export function scorePosture(inputs: PostureInputs, policy: Policy): PostureScore {
  const drivers = postureDrivers(inputs, policy);
  const score = Math.max(0, 100 + drivers.reduce((sum, x) => sum + x.points, 0));
  const grade = gradeFor(score, policy);
  return { score, grade, residual: residualRisk(inputs.tier, grade), drivers };
}
