import { sql } from 'kysely';
import { questionnaireOf } from '../core/assessments/questionnaire.ts';
import { forgetAuditHead } from '../core/audit/log.ts';
import { SYSTEM_ACTOR } from '../core/common/actor.ts';
import { addDaysIso } from '../core/common/dates.ts';
import { ACTIVE_STATES } from '../core/findings/states.ts';
import { IN_CADENCE } from '../core/lifecycle/states.ts';
import { DRIFT_SOURCE, detectDrift, recordPostureSnapshot, type Snapshot } from '../core/posture/drift.ts';
import { RESCORE_NEVER, RESCORE_NOW, scoringFingerprint } from '../core/posture/rescore.ts';
import type { DbOrTx, Tx } from '../store/database.ts';
import type { SweepContext } from './firing.ts';
import { type ScoredVendor, scoreVendors } from './posture-batch.ts';

// The daily posture snapshot of every vendor in service, and a drift finding when the score fell by
// the policy's points within its window or the grade fell. The snapshot row for (vendor, day) is the
// record that the day was done: the first sweep of a day writes them all, later sweeps find nothing.
// A vendor whose score drifted goes through the core's own snapshot step, which opens the finding
// (one open drift finding per vendor at a time) with its wording.

const CHUNK = 200;
/** Vendors scored and recorded together: one batch of posture-batch.ts. */
export const SCORED_AT_ONCE = 500;

export interface PostureOutcome {
  snapshots: number;
  drifted: number[];
}

/**
 * Of `vendorIds`, those with a drift finding still active. The core opens one drift finding per vendor
 * at a time, so these never open another; they go through the core's step to see whether the score
 * recovered, which closes the finding.
 */
export async function withOpenDriftFinding(db: DbOrTx, vendorIds: readonly number[]): Promise<Set<number>> {
  const open = new Set<number>();
  for (let i = 0; i < vendorIds.length; i += 500) {
    const rows = await db
      .selectFrom('findings')
      .select('vendor_id')
      .where('vendor_id', 'in', vendorIds.slice(i, i + 500))
      .where('state', 'in', ACTIVE_STATES)
      .where('source', '=', DRIFT_SOURCE)
      .execute();
    for (const row of rows) open.add(row.vendor_id);
  }
  return open;
}

async function insertSnapshots(tx: Tx, today: string, scored: readonly ScoredVendor[]): Promise<void> {
  for (let i = 0; i < scored.length; i += CHUNK) {
    await tx
      .insertInto('posture_snapshots')
      .values(
        scored.slice(i, i + CHUNK).map((s) => ({
          vendor_id: s.vendorId,
          taken_on: today,
          score: s.current.score,
          grade: s.current.grade,
        })),
      )
      .onConflict((oc) => oc.columns(['vendor_id', 'taken_on']).doNothing())
      .execute();
  }
}

/** What the schedule held for a vendor due today: the score it carried and how long it is watched. */
interface DueVendor {
  vendor_id: number;
  score: number | null;
  watch_until: string | null;
  status: string;
}

/**
 * The vendors whose score may have moved since their last snapshot (an input changed, a dated change
 * came, or the drift window still holds a higher score) and that have no snapshot today, through the
 * schedule's index: on a quiet day a few rows, not the portfolio.
 */
function dueVendors(tx: Tx, today: string): Promise<DueVendor[]> {
  return tx
    .selectFrom('posture_schedule as s')
    .innerJoin('vendors as v', 'v.id', 's.vendor_id')
    .select(['s.vendor_id', 's.score', 's.watch_until', 'v.status'])
    .where('s.rescore_on', '<=', today)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('posture_snapshots as ps')
            .select('ps.vendor_id')
            .whereRef('ps.vendor_id', '=', 's.vendor_id')
            .where('ps.taken_on', '=', today),
        ),
      ),
    )
    .orderBy('s.vendor_id')
    .execute();
}

/**
 * Once a day, today's snapshot of every vendor whose score cannot have moved: the score it carries,
 * copied in one statement. A new policy or questionnaire, or a clock set back before the last day
 * carried, first marks every vendor to be scored again. Returns the snapshots written.
 */
async function carryForward(ctx: SweepContext): Promise<number> {
  const { tx, deps, today } = ctx;
  const fingerprint = scoringFingerprint(deps.policy, questionnaireOf(deps));
  const state = await tx.selectFrom('sweep_state').selectAll().where('id', '=', 1).executeTakeFirst();
  if (state?.posture_on === today && state.policy === fingerprint) return 0;
  if (state?.posture_on && (state.policy !== fingerprint || state.posture_on > today)) {
    await tx.updateTable('posture_schedule').set({ rescore_on: RESCORE_NOW }).execute();
  }
  const carried = await tx
    .insertInto('posture_snapshots')
    .columns(['vendor_id', 'taken_on', 'score', 'grade'])
    .expression((eb) =>
      eb
        .selectFrom('posture_schedule')
        .select(['vendor_id', sql<string>`${today}`.as('taken_on'), 'score', 'grade'])
        .where('rescore_on', '>', today)
        .where('score', 'is not', null)
        .$narrowType<{ score: number; grade: string }>(),
    )
    .onConflict((oc) => oc.columns(['vendor_id', 'taken_on']).doNothing())
    .executeTakeFirst();
  await tx
    .insertInto('sweep_state')
    .values({ id: 1, posture_on: today, policy: fingerprint })
    .onConflict((oc) => oc.column('id').doUpdateSet({ posture_on: today, policy: fingerprint }))
    .execute();
  return Number(carried.numInsertedOrUpdatedRows ?? 0);
}

interface Scheduled {
  vendor_id: number;
  score: number | null;
  grade: string | null;
  rescore_on: string;
  watch_until: string | null;
}

/**
 * When a vendor scored today must be scored again: at its next dated change, or every day while the
 * drift window still holds a higher score than today's (the window slides, and drift is measured from
 * its best) or a drift finding is open (it closes itself when the score recovers).
 */
function scheduleOf(
  s: ScoredVendor,
  prior: DueVendor,
  today: Snapshot,
  dailyForDrift: boolean,
  windowDays: number,
): Scheduled {
  const fell = prior.score === null || today.score < prior.score;
  const watchUntil = fell ? addDaysIso(today.takenOn, windowDays - 1) : prior.watch_until;
  const daily = dailyForDrift || (watchUntil !== null && watchUntil > today.takenOn);
  return {
    vendor_id: s.vendorId,
    score: today.score,
    grade: today.grade,
    rescore_on: daily ? addDaysIso(today.takenOn, 1) : s.datedChangeOn,
    watch_until: watchUntil,
  };
}

async function writeSchedule(tx: Tx, rows: readonly Scheduled[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await tx
      .insertInto('posture_schedule')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc.column('vendor_id').doUpdateSet((eb) => ({
          score: eb.ref('excluded.score'),
          grade: eb.ref('excluded.grade'),
          rescore_on: eb.ref('excluded.rescore_on'),
          watch_until: eb.ref('excluded.watch_until'),
        })),
      )
      .execute();
  }
}

/**
 * Today's snapshots of `due` (a part of the day's due vendors): scored in one batch, written, their
 * schedule set. Returns the snapshots written and the vendors whose drift opened a finding.
 */
async function scoreAndRecord(
  ctx: SweepContext,
  due: readonly DueVendor[],
  windowStart: string,
): Promise<PostureOutcome> {
  const { tx, deps, today } = ctx;
  const inService = new Set<string>(IN_CADENCE);
  const prior = new Map(due.map((d) => [d.vendor_id, d]));
  const scored = await scoreVendors(
    tx,
    deps,
    due.filter((d) => inService.has(d.status)).map((d) => d.vendor_id),
    today,
    windowStart,
  );
  // The batch knows only the window's best score, not its day, so it cannot tell which causes came
  // after it: it picks every fall, and the core's step measures it net of the causes already reported.
  const moved = scored.filter((s) => detectDrift(s.previous, s.current, deps.policy));
  const driftOpen = await withOpenDriftFinding(
    tx,
    scored.map((s) => s.vendorId),
  );
  // Through the core's own snapshot step go those that may open a drift finding, those whose open drift
  // finding may close as the score recovered, those missing a required document no finding asks for yet,
  // and those whose required-evidence findings list what is no longer missing or are still one per document.
  const throughCore = new Set([
    ...moved.filter((s) => !driftOpen.has(s.vendorId)),
    ...scored.filter((s) => driftOpen.has(s.vendorId)),
    ...scored.filter((s) => s.drivers.some((d) => d.origin === 'required_evidence' && d.since === null)),
    ...scored.filter((s) => s.requiredFindingStale),
  ]);
  const batch = scored.filter((s) => !throughCore.has(s));
  await insertSnapshots(tx, today, batch);
  const windowDays = deps.policy.driftWindowDays;
  const schedule = batch.map((s) =>
    scheduleOf(s, prior.get(s.vendorId) as DueVendor, s.current, driftOpen.has(s.vendorId), windowDays),
  );
  const drifted: number[] = [];
  for (const s of throughCore) {
    await sql`savepoint sweep_item`.execute(tx);
    try {
      const result = await recordPostureSnapshot(tx, deps, SYSTEM_ACTOR, s.vendorId, today);
      if (result.finding) drifted.push(s.vendorId);
      const current = { takenOn: today, score: result.posture.score, grade: result.posture.grade };
      const watched = driftOpen.has(s.vendorId) || result.finding !== null;
      schedule.push(scheduleOf(s, prior.get(s.vendorId) as DueVendor, current, watched, windowDays));
      await sql`release savepoint sweep_item`.execute(tx);
    } catch (error) {
      // Left due: the vendor has no snapshot today, so the next sweep scores it again.
      await sql`rollback to savepoint sweep_item`.execute(tx);
      await sql`release savepoint sweep_item`.execute(tx);
      forgetAuditHead(tx);
      ctx.failed.push(`posture:${s.vendorId}:${today}`);
      ctx.log.error({ err: error, vendorId: s.vendorId }, 'posture snapshot failed; retried next sweep');
    }
  }
  // Out of service: no snapshots, and nothing to score until a change of status marks it again.
  for (const d of due) {
    if (inService.has(d.status)) continue;
    schedule.push({ vendor_id: d.vendor_id, score: null, grade: null, rescore_on: RESCORE_NEVER, watch_until: null });
  }
  // Written last: the sweep's own steps (a finding opened above) marked their vendors, and this score
  // already counts them.
  await writeSchedule(tx, schedule);
  return { snapshots: scored.length, drifted };
}

export async function runPostureTrigger(ctx: SweepContext): Promise<PostureOutcome> {
  const { tx, deps, today } = ctx;
  const outcome: PostureOutcome = { snapshots: await carryForward(ctx), drifted: [] };
  const due = await dueVendors(tx, today);
  const windowStart = addDaysIso(today, -deps.policy.driftWindowDays);
  // A few hundred vendors at a time, each part scored and written before the next is read, so the
  // sweep holds the same few hundred scores (and their causes) whether ten or 100,000 vendors are due.
  for (let i = 0; i < due.length; i += SCORED_AT_ONCE) {
    const part = await scoreAndRecord(ctx, due.slice(i, i + SCORED_AT_ONCE), windowStart);
    outcome.snapshots += part.snapshots;
    outcome.drifted.push(...part.drifted);
  }
  return outcome;
}
