import type { DbOrTx } from '../../store/database.ts';
import type { VendorRow } from '../../store/tables.ts';
import { type Answer, type Questionnaire, questionnaireOf } from '../assessments/questionnaire.ts';
import { isFailed } from '../assessments/scoring.ts';
import { daysBetween } from '../common/dates.ts';
import { notFound } from '../common/errors.ts';
import { isOneOf, SEVERITIES, type Severity } from '../common/vocabulary.ts';
import { type RequiredEvidence, requiredEvidenceOf, requiredEvidenceRules } from '../evidence/required.ts';
import { type EvidenceStatus, evidenceStatus } from '../evidence/status.ts';
import { IN_CADENCE } from '../lifecycle/states.ts';
import type { Policy } from '../policy/policy.ts';
import { ratingOf } from '../signals/findings.ts';
import { parseTier } from '../vendors/input.ts';
import { activeFindingRows, evidenceRows, failedAnswerRows, latestRatingRow, vendorRow } from './queries.ts';
import {
  type Driver,
  type FailedAnswer,
  type Grade,
  type OpenFindingFact,
  type Residual,
  scorePosture,
} from './score.ts';

// A vendor's posture: five indexed reads (posture-queries.ts), scored in memory (posture-score.ts).

export interface Posture {
  vendor: VendorRow;
  score: number;
  grade: Grade;
  residual: Residual;
  drivers: Driver[];
  evidence: EvidenceStatus[];
  openFindings: Record<Severity, number>;
  lastReviewOn: string | null;
  nextReviewOn: string | null;
  overdue: boolean;
  /** Days past the review date; 0 when not overdue. */
  overdueDays: number;
  /** False until a first review is completed: "not yet assessed", and the grade is capped. */
  assessed: boolean;
  /** The documents policy requires of this vendor, each with what satisfies it today (or null). */
  requiredEvidence: RequiredEvidence[];
}

export interface PostureDeps {
  policy: Policy;
  questionnaire?: Questionnaire;
}

function countsBySeverity(rows: readonly { severity: string }[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const row of rows) if (row.severity in counts) counts[row.severity as Severity] += 1;
  return counts;
}

/** Active finding rows as the scorer reads them. */
export function findingFacts(
  rows: readonly {
    id: number;
    severity: string;
    source: string;
    dedupe_key: string;
    title: string;
    opened_at: string;
  }[],
): OpenFindingFact[] {
  return rows
    .filter((r) => isOneOf(SEVERITIES, r.severity))
    .map((r) => ({
      id: r.id,
      severity: r.severity as Severity,
      source: r.source,
      dedupeKey: r.dedupe_key,
      title: r.title,
      openedOn: r.opened_at.slice(0, 10),
    }));
}

/** Failed answers with their control's title and weight; a control dropped from a newer questionnaire weighs as average. */
export function withWeights(rows: readonly { control_id: string; answer: string }[], q: Questionnaire): FailedAnswer[] {
  // Only what the questionnaire itself counts as failed: a partial answer on a light control is in the
  // assessment's score but is no failed control (and opened no finding), so it is not a cause here either.
  const failed = rows.filter((r) => isFailed({ weight: q.byId.get(r.control_id)?.weight ?? 3 }, r.answer as Answer));
  return failed.map((r) => {
    const control = q.byId.get(r.control_id);
    // A control dropped from a newer questionnaire still counts when answered: weigh it as average.
    return {
      id: r.control_id,
      title: control?.title ?? r.control_id,
      weight: control?.weight ?? 3,
      answer: r.answer === 'no' ? 'no' : 'partial',
    };
  });
}

export function ratingFrom(
  row: { details: string; source: string; observed_at: string; finding_id: number | null } | undefined,
) {
  const rating = row ? ratingOf(JSON.parse(row.details) as Record<string, unknown>) : null;
  return row && rating ? { rating, source: row.source, observedAt: row.observed_at, findingId: row.finding_id } : null;
}

export async function getPosture(db: DbOrTx, deps: PostureDeps, vendorId: number, today: string): Promise<Posture> {
  const [vendor] = await vendorRow(db, vendorId);
  if (!vendor) throw notFound(`There is no vendor #${vendorId}.`);
  const findingRows = await activeFindingRows(db, vendorId);
  const openFindings = countsBySeverity(findingRows);
  const evidenceRowsOfVendor = await evidenceRows(db, vendorId);
  const failedControls = withWeights(await failedAnswerRows(db, vendorId), questionnaireOf(deps));
  const externalRating = ratingFrom((await latestRatingRow(db, vendorId))[0]);
  const evidence = evidenceStatus(evidenceRowsOfVendor, today, deps.policy);
  // Only vendors in the cadence are reviewed: an offboarded vendor, or one not yet approved, cannot be overdue.
  const nextReviewOn = (IN_CADENCE as string[]).includes(vendor.status) ? vendor.next_review_on : null;
  const required = requiredEvidenceOf(requiredEvidenceRules(deps.policy, vendor), evidenceRowsOfVendor, today);
  const scored = scorePosture(
    {
      tier: parseTier(vendor.tier),
      today,
      findings: findingFacts(findingRows),
      evidence,
      nextReviewOn,
      lastReviewOn: vendor.last_review_on,
      failedControls,
      externalRating,
      requiredMissing: required.filter((r) => !r.satisfiedBy).map((r) => r.rule),
      assessed: vendor.last_review_on !== null,
    },
    deps.policy,
  );
  const overdueDays = nextReviewOn ? Math.max(0, daysBetween(nextReviewOn, today)) : 0;
  return {
    vendor,
    ...scored,
    evidence,
    openFindings,
    lastReviewOn: vendor.last_review_on,
    nextReviewOn: vendor.next_review_on,
    overdue: overdueDays > 0,
    overdueDays,
    assessed: vendor.last_review_on !== null,
    requiredEvidence: required as RequiredEvidence[],
  };
}
