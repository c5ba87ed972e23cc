import type { DbOrTx } from '../../store/database.ts';
import type { VendorRow } from '../../store/tables.ts';
import { type Questionnaire, questionnaireOf } from '../assessments/questionnaire.ts';
import { daysBetween } from '../common/dates.ts';
import { notFound } from '../common/errors.ts';
import type { Severity } from '../common/vocabulary.ts';
import { type EvidenceStatus, evidenceStatus } from '../evidence/status.ts';
import type { Policy } from '../policy/policy.ts';
import { ratingOf } from '../signals/findings.ts';
import { parseTier } from '../vendors/input.ts';
import { evidenceRows, failedAnswerRows, latestRatingRow, openFindingsBySeverity, vendorRow } from './queries.ts';
import { type Driver, type FailedAnswer, type Grade, type Residual, scorePosture } from './score.ts';

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
}

export interface PostureDeps {
  policy: Policy;
  questionnaire?: Questionnaire;
}

function countsBySeverity(rows: readonly { severity: Severity; n: number }[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const row of rows) if (row.severity in counts) counts[row.severity] = Number(row.n);
  return counts;
}

/** Failed answers with their control's title and weight; a control dropped from a newer questionnaire weighs as average. */
export function withWeights(rows: readonly { control_id: string; answer: string }[], q: Questionnaire): FailedAnswer[] {
  return rows.map((r) => {
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

function ratingFrom(row: { details: string; source: string; observed_at: string } | undefined) {
  const rating = row ? ratingOf(JSON.parse(row.details) as Record<string, unknown>) : null;
  return row && rating ? { rating, source: row.source, observedAt: row.observed_at } : null;
}

export async function getPosture(db: DbOrTx, deps: PostureDeps, vendorId: number, today: string): Promise<Posture> {
  const [vendor] = await vendorRow(db, vendorId);
  if (!vendor) throw notFound(`There is no vendor #${vendorId}.`);
  const openFindings = countsBySeverity(await openFindingsBySeverity(db, vendorId));
  const evidenceRowsOfVendor = await evidenceRows(db, vendorId);
  const failedControls = withWeights(await failedAnswerRows(db, vendorId), questionnaireOf(deps));
  const externalRating = ratingFrom((await latestRatingRow(db, vendorId))[0]);
  const evidence = evidenceStatus(evidenceRowsOfVendor, today, deps.policy);
  // An offboarded vendor is no longer reviewed, so it cannot be overdue.
  const nextReviewOn = vendor.status === 'offboarded' ? null : vendor.next_review_on;
  const scored = scorePosture(
    {
      tier: parseTier(vendor.tier),
      today,
      openFindings,
      evidence,
      nextReviewOn,
      failedControls,
      externalRating,
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
  };
}
