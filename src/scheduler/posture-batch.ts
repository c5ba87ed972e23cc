import { sql } from 'kysely';
import { type Questionnaire, questionnaireOf } from '../core/assessments/questionnaire.ts';
import { requiredEvidenceOf, requiredEvidenceRules, ruleKey } from '../core/evidence/required.ts';
import { requiredFindingsOutOfStep } from '../core/evidence/required-key.ts';
import { evidenceStatus } from '../core/evidence/status.ts';
import { ACTIVE_STATES } from '../core/findings/states.ts';
import { IN_CADENCE } from '../core/lifecycle/states.ts';
import type { Policy, RequiredEvidenceRule } from '../core/policy/policy.ts';
import type { Snapshot } from '../core/posture/drift.ts';
import { findingFacts, ratingFrom, withWeights } from '../core/posture/posture.ts';
import { nextDatedChange } from '../core/posture/rescore.ts';
import { type Driver, type Grade, scorePosture } from '../core/posture/score.ts';
import { parseTier } from '../core/vendors/input.ts';
import type { Tx } from '../store/database.ts';
import type { EvidenceRow } from '../store/tables.ts';

// The daily snapshot scores the vendors whose score may have changed (posture-trigger.ts picks them),
// up to every vendor in service, so it cannot afford the five reads per vendor a single posture lookup
// makes (10,000 vendors would be 50,000 statements). This loads the same inputs for a few hundred
// vendors at a time in six set-based statements and scores them with the core's own pure scorer; a
// test holds the result equal to getPosture for each vendor.

export interface ScoredVendor {
  vendorId: number;
  /** Each cause of today's score once, as the single lookup lists them. */
  drivers: Driver[];
  /** Required evidence (policy.requiredEvidence) the vendor does not hold today. */
  requiredMissing: RequiredEvidenceRule[];
  /** Its required-evidence findings no longer match what is missing (requiredFindingsOutOfStep). */
  requiredFindingStale: boolean;
  current: Snapshot;
  /**
   * What detectDrift looks at in the window before today: its best score (dated at the window's start)
   * and its last snapshot. Enough to decide drift without reading every day of every vendor.
   */
  previous: Snapshot[];
  /** The first later day on which the score may change with no input changing (nextDatedChange). */
  datedChangeOn: string;
}

const IN_SERVICE = IN_CADENCE;
/** Vendors are read this many at a time, named in an IN list. */
const LISTED = 500;

/** Of `vendorIds`, those in service without a snapshot for `today`. */
function pendingVendors(tx: Tx, vendorIds: readonly number[], today: string) {
  return tx
    .selectFrom('vendors as v')
    .select(['v.id', 'v.tier', 'v.next_review_on', 'v.last_review_on', 'v.data_types', 'v.regulatory_scope'])
    .where('v.id', 'in', vendorIds)
    .where('v.status', 'in', IN_SERVICE)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('posture_snapshots as ps')
            .select('ps.vendor_id')
            .whereRef('ps.vendor_id', '=', 'v.id')
            .where('ps.taken_on', '=', today),
        ),
      ),
    )
    .orderBy('v.id')
    .execute();
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

async function loadInputs(tx: Tx, vendorIds: number[], today: string, windowStart: string) {
  const inScope = (column: string) => sql<boolean>`${sql.ref(column)} in (${sql.join(vendorIds)})`;
  const open = await tx
    .selectFrom('findings')
    .select(['id', 'vendor_id', 'severity', 'source', 'dedupe_key', 'title', 'opened_at'])
    .where('state', 'in', ACTIVE_STATES)
    .where(inScope('vendor_id'))
    .orderBy('id')
    .execute();
  // The score reads a document's id, type and dates only; fewer columns than all halve this read.
  const evidence = await tx
    .selectFrom('evidence')
    .select(['id', 'vendor_id', 'type', 'issued_on', 'expires_on'])
    .where(inScope('vendor_id'))
    .execute();
  // The latest submitted assessment per vendor, as the single lookup picks it (submitted_at, then id).
  const failed = await tx
    .selectFrom('assessment_answers as aa')
    .innerJoin('assessments as a', 'a.id', 'aa.assessment_id')
    .select(['a.vendor_id', 'aa.control_id', 'aa.answer'])
    .where('aa.answer', 'in', ['no', 'partial'])
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
    .where(inScope('a.vendor_id'))
    .execute();
  const ratings = await tx
    .selectFrom('signals as s')
    .select(['s.vendor_id', 's.details', 's.source', 's.observed_at', 's.finding_id'])
    .where('s.kind', '=', 'rating_change')
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
    .where(inScope('s.vendor_id'))
    .execute();
  // Per vendor, the window's best score and last day, driven from vendors so each is a key-range seek
  // (the snapshot table grows by a row per vendor per day); then that last day's row. No status filter:
  // it would make SQLite walk the status index and sort for the grouping, where a walk in id order
  // needs no sort; a vendor out of service has no recent snapshots, and nobody asks for its window.
  const window = tx
    .selectFrom('vendors as v')
    .innerJoin('posture_snapshots as p', (j) =>
      j.onRef('p.vendor_id', '=', 'v.id').on('p.taken_on', '>=', windowStart).on('p.taken_on', '<', today),
    )
    .select([
      'v.id as vendor_id',
      (eb) => eb.fn.max('p.score').as('best'),
      (eb) => eb.fn.max('p.taken_on').as('last_on'),
    ])
    .where(inScope('v.id'))
    .groupBy('v.id');
  const drift = await tx
    .selectFrom(window.as('w'))
    .innerJoin('posture_snapshots as l', (j) =>
      j.onRef('l.vendor_id', '=', 'w.vendor_id').onRef('l.taken_on', '=', 'w.last_on'),
    )
    .select(['w.vendor_id', 'w.best', 'l.taken_on', 'l.score', 'l.grade'])
    .execute();
  return { open, evidence, failed, ratings, drift };
}

/** Scores those of `vendorIds` in service and still without a snapshot for `today`, with their recent snapshots. */
export async function scoreVendors(
  tx: Tx,
  deps: { policy: Policy; questionnaire?: Questionnaire },
  vendorIds: readonly number[],
  today: string,
  windowStart: string,
): Promise<ScoredVendor[]> {
  const scored: ScoredVendor[] = [];
  for (let i = 0; i < vendorIds.length; i += LISTED) {
    scored.push(...(await scoreChunk(tx, deps, vendorIds.slice(i, i + LISTED), today, windowStart)));
  }
  return scored;
}

async function scoreChunk(
  tx: Tx,
  deps: { policy: Policy; questionnaire?: Questionnaire },
  vendorIds: readonly number[],
  today: string,
  windowStart: string,
): Promise<ScoredVendor[]> {
  const vendors = await pendingVendors(tx, vendorIds, today);
  if (vendors.length === 0) return [];
  const inputs = await loadInputs(
    tx,
    vendors.map((v) => v.id),
    today,
    windowStart,
  );
  const questionnaire = questionnaireOf(deps);
  const open = groupBy(inputs.open, (r) => r.vendor_id);
  const evidence = groupBy(inputs.evidence as EvidenceRow[], (r) => r.vendor_id);
  const failed = groupBy(inputs.failed, (r) => r.vendor_id);
  const ratings = new Map(inputs.ratings.map((r) => [r.vendor_id, r]));
  const drift = new Map(inputs.drift.map((r) => [r.vendor_id, r]));
  return vendors.map((v) => {
    const findingRows = open.get(v.id) ?? [];
    const evidenceOfVendor = evidence.get(v.id) ?? [];
    const rules = requiredEvidenceRules(deps.policy, v);
    const required = requiredEvidenceOf(rules, evidenceOfVendor, today);
    const requiredMissing = required.filter((r) => !r.satisfiedBy).map((r) => r.rule);
    const facts = findingFacts(findingRows);
    const scored = scorePosture(
      {
        tier: parseTier(v.tier),
        today,
        findings: facts,
        evidence: evidenceStatus(evidenceOfVendor, today, deps.policy),
        nextReviewOn: v.next_review_on,
        lastReviewOn: v.last_review_on,
        failedControls: withWeights(failed.get(v.id) ?? [], questionnaire),
        externalRating: ratingFrom(ratings.get(v.id)),
        requiredMissing,
        assessed: v.last_review_on !== null,
      },
      deps.policy,
    );
    const w = drift.get(v.id);
    const grade = w?.grade as Grade;
    return {
      vendorId: v.id,
      drivers: scored.drivers,
      requiredMissing,
      requiredFindingStale: requiredFindingsOutOfStep(facts, new Set(requiredMissing.map(ruleKey))),
      current: { takenOn: today, score: scored.score, grade: scored.grade },
      previous: w
        ? [
            { takenOn: windowStart, score: Number(w.best), grade },
            { takenOn: w.taken_on, score: w.score, grade },
          ]
        : [],
      datedChangeOn: nextDatedChange(today, v.next_review_on, evidenceOfVendor, rules),
    };
  });
}
