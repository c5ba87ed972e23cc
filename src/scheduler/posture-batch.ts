import type { Snapshot } from '../core/drift.ts';
import { evidenceStatus } from '../core/evidence-status.ts';
import { ACTIVE_STATES } from '../core/finding-states.ts';
import type { Policy } from '../core/policy.ts';
import { type FailedAnswer, type Grade, scorePosture } from '../core/posture-score.ts';
import { type Questionnaire, questionnaireOf } from '../core/questionnaire.ts';
import { ratingOf } from '../core/signal-findings.ts';
import { parseTier } from '../core/vendors-input.ts';
import type { Severity } from '../core/vocabulary.ts';
import type { Tx } from '../store/database.ts';
import type { EvidenceRow } from '../store/tables.ts';

// The daily snapshot scores every vendor in service, so it cannot afford the five reads per vendor a
// single posture lookup makes (10,000 vendors would be 50,000 statements). This loads the same inputs
// for all vendors still without today's snapshot in six set-based statements and scores them with
// the core's own pure scorer; a test holds the result equal to getPosture for each vendor.

export interface ScoredVendor {
  vendorId: number;
  current: Snapshot;
  /** This vendor's snapshots within the drift window before today, oldest first. */
  previous: Snapshot[];
}

/** In-service vendors without a snapshot for `today`: the subquery every load below is limited to. */
function pending(tx: Tx, today: string) {
  return tx
    .selectFrom('vendors as pv')
    .select('pv.id')
    .where('pv.status', 'in', ['onboarding', 'active'])
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('posture_snapshots as ps')
            .select('ps.vendor_id')
            .whereRef('ps.vendor_id', '=', 'pv.id')
            .where('ps.taken_on', '=', today),
        ),
      ),
    );
}

function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}

async function loadInputs(tx: Tx, today: string, windowStart: string) {
  const vendors = await tx
    .selectFrom('vendors')
    .select(['id', 'tier', 'next_review_on'])
    .where('id', 'in', pending(tx, today))
    .orderBy('id')
    .execute();
  const open = await tx
    .selectFrom('findings')
    .select(['vendor_id', 'severity', (eb) => eb.fn.countAll<number>().as('n')])
    .where('state', 'in', ACTIVE_STATES)
    .where('vendor_id', 'in', pending(tx, today))
    .groupBy(['vendor_id', 'severity'])
    .execute();
  const evidence = await tx.selectFrom('evidence').selectAll().where('vendor_id', 'in', pending(tx, today)).execute();
  // The latest submitted assessment per vendor, as the single lookup picks it (submitted_at, then id).
  const failed = await tx
    .selectFrom('assessment_answers as aa')
    .innerJoin('assessments as a', 'a.id', 'aa.assessment_id')
    .select(['a.vendor_id', 'aa.control_id', 'aa.answer'])
    .where('aa.answer', 'in', ['no', 'partial'])
    .where('a.vendor_id', 'in', pending(tx, today))
    .where('a.id', '=', (eb) =>
      eb
        .selectFrom('assessments as latest')
        .select('latest.id')
        .whereRef('latest.vendor_id', '=', 'a.vendor_id')
        .where('latest.status', '=', 'submitted')
        .orderBy('latest.submitted_at', 'desc')
        .orderBy('latest.id', 'desc')
        .limit(1),
    )
    .execute();
  const ratings = await tx
    .selectFrom('signals as s')
    .select(['s.vendor_id', 's.details', 's.source', 's.observed_at'])
    .where('s.kind', '=', 'rating_change')
    .where('s.vendor_id', 'in', pending(tx, today))
    .where('s.id', '=', (eb) =>
      eb
        .selectFrom('signals as latest')
        .select('latest.id')
        .whereRef('latest.vendor_id', '=', 's.vendor_id')
        .where('latest.kind', '=', 'rating_change')
        .orderBy('latest.received_at', 'desc')
        .orderBy('latest.id', 'desc')
        .limit(1),
    )
    .execute();
  const snapshots = await tx
    .selectFrom('posture_snapshots')
    .select(['vendor_id', 'taken_on', 'score', 'grade'])
    .where('vendor_id', 'in', pending(tx, today))
    .where('taken_on', '>=', windowStart)
    .where('taken_on', '<', today)
    .orderBy('vendor_id')
    .orderBy('taken_on')
    .execute();
  return { vendors, open, evidence, failed, ratings, snapshots };
}

function weighted(rows: readonly { control_id: string; answer: string }[], q: Questionnaire): FailedAnswer[] {
  // As in the single lookup: a control dropped from a newer questionnaire weighs as average (3).
  return rows.map((r) => {
    const control = q.byId.get(r.control_id);
    return {
      id: r.control_id,
      title: control?.title ?? r.control_id,
      weight: control?.weight ?? 3,
      answer: r.answer === 'no' ? 'no' : 'partial',
    };
  });
}

/** Scores every in-service vendor still without a snapshot for `today`, with its recent snapshots. */
export async function scorePendingVendors(
  tx: Tx,
  deps: { policy: Policy; questionnaire?: Questionnaire },
  today: string,
  windowStart: string,
): Promise<ScoredVendor[]> {
  const inputs = await loadInputs(tx, today, windowStart);
  if (inputs.vendors.length === 0) return [];
  const questionnaire = questionnaireOf(deps);
  const open = groupBy(inputs.open, (r) => r.vendor_id);
  const evidence = groupBy<EvidenceRow, number>(inputs.evidence, (r) => r.vendor_id);
  const failed = groupBy(inputs.failed, (r) => r.vendor_id);
  const ratings = new Map(inputs.ratings.map((r) => [r.vendor_id, r]));
  const snapshots = groupBy(inputs.snapshots, (r) => r.vendor_id);
  return inputs.vendors.map((v) => {
    const openFindings: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
    for (const row of open.get(v.id) ?? []) {
      if (row.severity in openFindings) openFindings[row.severity as Severity] = Number(row.n);
    }
    const ratingRow = ratings.get(v.id);
    const rating = ratingRow ? ratingOf(JSON.parse(ratingRow.details) as Record<string, unknown>) : null;
    const scored = scorePosture(
      {
        tier: parseTier(v.tier),
        today,
        openFindings,
        evidence: evidenceStatus(evidence.get(v.id) ?? [], today, deps.policy),
        nextReviewOn: v.next_review_on,
        failedControls: weighted(failed.get(v.id) ?? [], questionnaire),
        externalRating:
          ratingRow && rating ? { rating, source: ratingRow.source, observedAt: ratingRow.observed_at } : null,
      },
      deps.policy,
    );
    return {
      vendorId: v.id,
      current: { takenOn: today, score: scored.score, grade: scored.grade },
      previous: (snapshots.get(v.id) ?? []).map((s) => ({
        takenOn: s.taken_on,
        score: s.score,
        grade: s.grade as Grade,
      })),
    };
  });
}
