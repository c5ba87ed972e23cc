import { sql } from 'kysely';
import { SYSTEM_ACTOR } from '../core/common/actor.ts';
import { addDaysIso } from '../core/common/dates.ts';
import { ACTIVE_STATES } from '../core/findings/states.ts';
import { DRIFT_SOURCE, detectDrift, recordPostureSnapshot } from '../core/posture/drift.ts';
import type { DbOrTx, Tx } from '../store/database.ts';
import type { SweepContext } from './firing.ts';
import { type ScoredVendor, scorePendingVendors } from './posture-batch.ts';

// The daily posture snapshot of every vendor in service, and a drift finding when the score fell by
// the policy's points within its window or the grade fell. The snapshot row for (vendor, day) is the
// record that the day was done: the first sweep of a day writes them all, later sweeps find nothing.
// A vendor whose score drifted goes through the core's own snapshot step, which opens the finding
// (one open drift finding per vendor at a time) with its wording.

const CHUNK = 200;

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

export async function runPostureTrigger(ctx: SweepContext): Promise<PostureOutcome> {
  const { tx, deps, today } = ctx;
  const windowStart = addDaysIso(today, -deps.policy.driftWindowDays);
  const scored = await scorePendingVendors(tx, deps, today, windowStart);
  // The batch knows only the window's best score, not its day, so it cannot tell which causes came
  // after it: it picks every fall, and the core's step measures it net of the causes already reported.
  const moved = scored.filter((s) => detectDrift(s.previous, s.current, deps.policy));
  const driftOpen = await withOpenDriftFinding(
    tx,
    scored.map((s) => s.vendorId),
  );
  // Through the core's own snapshot step go those that may open a drift finding, those whose open drift
  // finding may close as the score recovered, and those missing a required document with no finding yet.
  const throughCore = new Set([
    ...moved.filter((s) => !driftOpen.has(s.vendorId)),
    ...scored.filter((s) => driftOpen.has(s.vendorId)),
    ...scored.filter((s) => s.drivers.some((d) => d.origin === 'required_evidence' && d.since === null)),
  ]);
  await insertSnapshots(
    tx,
    today,
    scored.filter((s) => !throughCore.has(s)),
  );
  const drifted: number[] = [];
  for (const s of throughCore) {
    await sql`savepoint sweep_item`.execute(tx);
    try {
      const result = await recordPostureSnapshot(tx, deps, SYSTEM_ACTOR, s.vendorId, today);
      if (result.finding) drifted.push(s.vendorId);
      await sql`release savepoint sweep_item`.execute(tx);
    } catch (error) {
      await sql`rollback to savepoint sweep_item`.execute(tx);
      await sql`release savepoint sweep_item`.execute(tx);
      ctx.failed.push(`posture:${s.vendorId}:${today}`);
      ctx.log.error({ err: error, vendorId: s.vendorId }, 'posture snapshot failed; retried next sweep');
    }
  }
  return { snapshots: scored.length, drifted };
}
