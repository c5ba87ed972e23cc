import { sql } from 'kysely';
import { SYSTEM_ACTOR } from '../core/actor.ts';
import { addDaysIso } from '../core/dates.ts';
import { detectDrift, recordPostureSnapshotIn } from '../core/drift.ts';
import type { SweepContext } from './firing.ts';
import { scorePendingVendors } from './posture-batch.ts';

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

export async function runPostureTrigger(ctx: SweepContext): Promise<PostureOutcome> {
  const { tx, deps, today } = ctx;
  const windowStart = addDaysIso(today, -deps.policy.driftWindowDays);
  const scored = await scorePendingVendors(tx, deps, today, windowStart);
  const steady: typeof scored = [];
  const moved: typeof scored = [];
  for (const s of scored) (detectDrift(s.previous, s.current, deps.policy) ? moved : steady).push(s);
  for (let i = 0; i < steady.length; i += CHUNK) {
    await tx
      .insertInto('posture_snapshots')
      .values(
        steady.slice(i, i + CHUNK).map((s) => ({
          vendor_id: s.vendorId,
          taken_on: today,
          score: s.current.score,
          grade: s.current.grade,
        })),
      )
      .onConflict((oc) => oc.columns(['vendor_id', 'taken_on']).doNothing())
      .execute();
  }
  const drifted: number[] = [];
  for (const s of moved) {
    await sql`savepoint sweep_item`.execute(tx);
    try {
      const result = await recordPostureSnapshotIn(tx, deps, SYSTEM_ACTOR, s.vendorId, today);
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
