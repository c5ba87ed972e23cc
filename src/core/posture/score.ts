import { daysBetween } from '../common/dates.ts';
import { EVIDENCE_LABELS, SEVERITIES, type Severity, type Tier } from '../common/vocabulary.ts';
import { askedRulesOf } from '../evidence/required-key.ts';
import type { EvidenceStatus } from '../evidence/status.ts';
import type { Policy, RequiredEvidenceRule } from '../policy/policy.ts';
import type { Rating } from '../signals/findings.ts';

// The posture score, pure: 100 minus named deductions, floored at 0. Every deduction is a driver the
// user sees line by line, so the score is never a black box ("2 open critical findings  -50").

export const GRADES = ['A', 'B', 'C', 'D', 'F'] as const;
export type Grade = (typeof GRADES)[number];
export type Residual = Tier;

/** Where a cause is counted from: its open finding, or the rule that notices it while no finding is open. */
export type CauseOrigin =
  | 'finding'
  | 'questionnaire'
  | 'evidence'
  | 'review'
  | 'rating'
  | 'required_evidence'
  | 'assessment';

export interface Driver {
  label: string;
  /** Negative: points taken off the score. */
  points: number;
  detail: string;
  origin: CauseOrigin;
  /** Where it comes from, for people: "finding #12", "evidence on record", "review schedule". */
  from: string;
  /** The day the cause began (a finding's opening, a document's expiry); null when it has no such day. */
  since: string | null;
  /** Someone was already told about it (a finding card, a reminder); drift looks only past these. */
  notified: boolean;
}

export interface FailedAnswer {
  id: string;
  title: string;
  weight: number;
  answer: 'no' | 'partial';
}

/** An active finding, as the score needs it: what it is about is read from its dedupe key. */
export interface OpenFindingFact {
  id: number;
  severity: Severity;
  source: string;
  dedupeKey: string;
  title: string;
  openedOn: string;
}

export interface PostureInputs {
  tier: Tier;
  today: string;
  /** Active findings (open, acknowledged, assigned, escalated, escalation pending). */
  findings: readonly OpenFindingFact[];
  evidence: readonly EvidenceStatus[];
  nextReviewOn: string | null;
  /** The day of the last completed review, when the failed controls were answered. */
  lastReviewOn: string | null;
  /** Controls answered "no" or "partial" in the latest submitted assessment. */
  failedControls: readonly FailedAnswer[];
  externalRating: { rating: Rating; source: string; observedAt: string; findingId: number | null } | null;
  /** Required-evidence rules (policy.requiredEvidence) this vendor does not satisfy today. */
  requiredMissing: readonly RequiredEvidenceRule[];
  /** False for a vendor never reviewed: its score is capped by policy. */
  assessed: boolean;
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

/** Findings that report the fall of the score itself: counting them would count the fall's causes twice. */
export const POSTURE_DRIFT_SOURCE = 'posture_drift';

/**
 * What an active finding stands for, as the rule that would otherwise count the same cause names it:
 * a failed control, a document, the overdue review, or nothing else (its own cause). A required-evidence
 * finding is read by askedRulesOf instead: it stands for several documents.
 */
export function causeKeyOfFinding(f: Pick<OpenFindingFact, 'id' | 'dedupeKey'>): string {
  const parts = f.dedupeKey.split(':');
  if (parts[0] === 'questionnaire' && parts.length >= 4) return `control:${parts[2]}`;
  if (parts[0] === 'evidence-expired' && parts.length === 2) return `evidence:${parts[1]}`;
  if (parts[0] === 'evidence' && parts[2] === 'expired') return `evidence:${parts[1]}`;
  if (parts[0] === 'review-overdue') return 'review';
  return `finding:${f.id}`;
}

const requiredKey = (rule: RequiredEvidenceRule) => [...rule.anyOf].sort().join('+');

/**
 * Every cause once: an active finding counts through its severity, and the rules (controls, documents,
 * the review date, required evidence, the rating) count only what no active finding already stands for.
 * The vendor's required-evidence finding is the exception: it lists several documents, so each missing
 * one keeps its own named deduction, counted from the finding that asks for it.
 */
export function postureDrivers(inputs: PostureInputs, policy: Policy): Driver[] {
  const d = policy.deductions;
  const drivers: Driver[] = [];
  const covered = new Set<string>();
  const findingIds = new Set<number>();
  const askedBy = new Map<string, { id: number; since: string }>();
  for (const severity of SEVERITIES) {
    for (const f of inputs.findings) {
      if (f.severity !== severity || f.source === POSTURE_DRIFT_SOURCE) continue;
      const asked = askedRulesOf(f);
      if (asked) {
        for (const a of asked) if (!askedBy.has(a.rule)) askedBy.set(a.rule, { id: f.id, since: a.since });
        continue;
      }
      covered.add(causeKeyOfFinding(f));
      findingIds.add(f.id);
      drivers.push({
        label: f.title,
        points: -d.openFinding[severity],
        detail: `Open ${severity} finding: ${d.openFinding[severity]} points until resolved or the risk is accepted.`,
        origin: 'finding',
        from: `finding #${f.id}`,
        since: f.openedOn,
        notified: true,
      });
    }
  }
  const expiredByType = new Map(
    inputs.evidence.filter((e) => e.status === 'expired' && e.latest).map((e) => [e.type, e]),
  );
  const absorbed = new Set<string>();
  for (const rule of inputs.requiredMissing) {
    const expired = rule.anyOf.map((t) => expiredByType.get(t)).find((e) => e !== undefined);
    for (const t of rule.anyOf) absorbed.add(t);
    const key = expired?.latest ? `evidence:${expired.latest.id}` : `required:${requiredKey(rule)}`;
    if (covered.has(key)) continue;
    covered.add(key);
    const names = rule.anyOf.map((t) => EVIDENCE_LABELS[t] ?? t).join(' or ');
    const age = rule.maxAgeMonths === null ? '' : ` issued within ${rule.maxAgeMonths} months`;
    const asked = expired ? undefined : askedBy.get(requiredKey(rule));
    drivers.push({
      label: expired?.latest
        ? `Required ${expired.label} expired on ${expired.latest.expires_on}`
        : `Required evidence missing: ${names}`,
      points: -d.missingRequiredEvidence,
      detail: `Policy requires ${names}${age} because the vendor is ${rule.because.replace(/^holds /, 'holding ')}.`,
      origin: 'required_evidence',
      from: asked ? `finding #${asked.id}` : 'required-evidence policy',
      // Null only while no finding asks for the document yet: the sweep then opens or updates it.
      since: expired?.latest?.expires_on ?? asked?.since ?? null,
      notified: expired !== undefined || asked !== undefined,
    });
  }
  for (const e of inputs.evidence) {
    if (e.status !== 'expired' || !e.latest || absorbed.has(e.type)) continue;
    if (covered.has(`evidence:${e.latest.id}`)) continue;
    const ago = daysBetween(e.latest.expires_on, inputs.today);
    drivers.push({
      label: `${e.label} expired`,
      points: -d.expiredEvidence,
      detail: `Expired on ${e.latest.expires_on}${ago > 0 ? ` (${plural(ago, 'day')} ago)` : ' (today)'}; record the renewed document.`,
      origin: 'evidence',
      from: 'evidence on record',
      since: e.latest.expires_on,
      notified: true,
    });
  }
  if (inputs.nextReviewOn && inputs.nextReviewOn < inputs.today && !covered.has('review')) {
    drivers.push({
      label: 'Reassessment overdue',
      points: -d.overdueReassessment,
      detail: `Was due ${inputs.nextReviewOn}, ${plural(daysBetween(inputs.nextReviewOn, inputs.today), 'day')} ago.`,
      origin: 'review',
      from: 'review schedule',
      since: inputs.nextReviewOn,
      notified: true,
    });
  }
  for (const c of inputs.failedControls) {
    if (covered.has(`control:${c.id}`)) continue;
    const points = c.weight * d.failedControlPerWeight * (c.answer === 'partial' ? 0.5 : 1);
    drivers.push({
      label: `${c.answer === 'partial' ? 'Control only partly met' : 'Control not met'}: ${c.title}`,
      points: -Math.round(points),
      detail: `Answered "${c.answer}" in the latest questionnaire (weight ${c.weight}); no finding is open for it.`,
      origin: 'questionnaire',
      from: 'latest questionnaire',
      since: inputs.lastReviewOn,
      notified: true,
    });
  }
  const rating = inputs.externalRating;
  const ratingCovered = rating?.findingId != null && findingIds.has(rating.findingId);
  if (rating && d.externalRating[rating.rating] > 0 && !ratingCovered) {
    drivers.push({
      label: `External security rating ${rating.rating}`,
      points: -d.externalRating[rating.rating],
      detail: `Reported by ${rating.source} on ${rating.observedAt.slice(0, 10)}.`,
      origin: 'rating',
      from: `rating signal from ${rating.source}`,
      since: rating.observedAt.slice(0, 10),
      notified: rating.findingId != null,
    });
  }
  if (!inputs.assessed) {
    const cap = d.neverAssessedMaxScore;
    const before = Math.max(0, 100 + drivers.reduce((sum, x) => sum + x.points, 0));
    drivers.push({
      label: 'Not yet assessed',
      points: Math.min(0, cap - before),
      detail: `No review has been completed, so the score is at most ${cap} (grade ${gradeFor(cap, policy)} at best).`,
      origin: 'assessment',
      from: 'no completed review',
      since: null,
      notified: true,
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
