import type { DbOrTx, Tx } from '../../store/database.ts';
import type { FindingRow } from '../../store/tables.ts';
import type { Actor } from '../common/actor.ts';
import { addDaysIso } from '../common/dates.ts';
import type { CoreDeps } from '../common/deps.ts';
import { openFinding } from '../findings/actions.ts';
import { ACTIVE_STATES } from '../findings/states.ts';
import type { Policy } from '../policy/policy.ts';
import { getPosture, type Posture, type PostureDeps } from './posture.ts';
import { GRADES, type Grade } from './score.ts';

// Posture drift: a daily snapshot per vendor, and a finding when the score falls by policy.driftPoints
// or more within policy.driftWindowDays, or the grade falls at all. Snapshots are derived data (they
// can be recomputed), so they are not audited; the drift finding they open is.

export interface Snapshot {
  takenOn: string;
  score: number;
  grade: Grade;
}

export interface Drift {
  kind: 'score_drop' | 'grade_drop';
  /** The snapshot the fall is measured from: the window's best score, or the previous day's grade. */
  from: Snapshot;
  to: Snapshot;
  message: string;
}

export const DRIFT_SOURCE = 'posture_drift';

/** Pure. `previous` may hold any snapshots; only those within the window before `current` count. */
export function detectDrift(previous: readonly Snapshot[], current: Snapshot, policy: Policy): Drift | null {
  const windowStart = addDaysIso(current.takenOn, -policy.driftWindowDays);
  const inWindow = previous
    .filter((s) => s.takenOn >= windowStart && s.takenOn < current.takenOn)
    .sort((a, b) => (a.takenOn < b.takenOn ? -1 : 1));
  if (inWindow.length === 0) return null;
  const best = inWindow.reduce((a, b) => (b.score > a.score ? b : a));
  const last = inWindow[inWindow.length - 1]!;
  const gradeFell = GRADES.indexOf(current.grade) > GRADES.indexOf(last.grade);
  const gradeNote = (from: Snapshot) =>
    GRADES.indexOf(current.grade) > GRADES.indexOf(from.grade) ? `, grade ${from.grade} → ${current.grade}` : '';
  if (best.score - current.score >= policy.driftPoints) {
    return {
      kind: 'score_drop',
      from: best,
      to: current,
      message: `Posture fell ${best.score - current.score} points since ${best.takenOn} (${best.score} → ${current.score}${gradeNote(best)}).`,
    };
  }
  if (gradeFell) {
    return {
      kind: 'grade_drop',
      from: last,
      to: current,
      message: `Posture grade fell from ${last.grade} to ${current.grade} since ${last.takenOn} (${last.score} → ${current.score}).`,
    };
  }
  return null;
}

export interface SnapshotResult {
  posture: Posture;
  drift: Drift | null;
  /** The drift finding opened now; null when there was no drift or one is already open. */
  finding: FindingRow | null;
}

/**
 * Scores the vendor, stores today's snapshot (a re-run the same day replaces it) and opens a drift
 * finding when warranted. Only one drift finding per vendor is open at a time, so the points that
 * finding itself costs cannot set off another one.
 */
export async function recordPostureSnapshot(
  tx: Tx,
  deps: CoreDeps & PostureDeps,
  actor: Actor,
  vendorId: number,
  today: string,
): Promise<SnapshotResult> {
  const posture = await getPosture(tx, deps, vendorId, today);
  const previous = await listSnapshots(tx, vendorId, addDaysIso(today, -deps.policy.driftWindowDays));
  const current: Snapshot = { takenOn: today, score: posture.score, grade: posture.grade };
  await tx
    .insertInto('posture_snapshots')
    .values({ vendor_id: vendorId, taken_on: today, score: current.score, grade: current.grade })
    .onConflict((oc) =>
      oc.columns(['vendor_id', 'taken_on']).doUpdateSet({ score: current.score, grade: current.grade }),
    )
    .execute();
  const drift = detectDrift(previous, current, deps.policy);
  if (!drift) return { posture, drift, finding: null };
  const alreadyOpen = await tx
    .selectFrom('findings')
    .select('id')
    .where('vendor_id', '=', vendorId)
    .where('state', 'in', ACTIVE_STATES)
    .where('source', '=', DRIFT_SOURCE)
    .executeTakeFirst();
  if (alreadyOpen) return { posture, drift, finding: null };
  const name = posture.vendor.name;
  const causes = posture.drivers.map((d) => `${d.label} (${d.points})`).join('; ');
  const { finding, created } = await openFinding(tx, deps, actor, {
    vendorId,
    dedupeKey: `drift:${vendorId}:${today}`,
    source: DRIFT_SOURCE,
    title: `${name}: posture fell from ${drift.from.score} (${drift.from.grade}) to ${current.score} (${current.grade})`,
    detail:
      `${drift.message} A falling score means new problems are arriving faster than they are fixed. ` +
      `What pulls the score down now: ${causes || 'nothing left; the fall has already been recovered'}. ` +
      `Review the newest items with ${name}'s owner and agree dates for each.`,
    severity: posture.residual === 'critical' || posture.residual === 'high' ? 'high' : 'medium',
  });
  return { posture, drift, finding: created ? finding : null };
}

export async function listSnapshots(db: DbOrTx, vendorId: number, since: string): Promise<Snapshot[]> {
  const rows = await db
    .selectFrom('posture_snapshots')
    .select(['taken_on', 'score', 'grade'])
    .where('vendor_id', '=', vendorId)
    .where('taken_on', '>=', since)
    .orderBy('taken_on')
    .execute();
  return rows.map((r) => ({ takenOn: r.taken_on, score: r.score, grade: r.grade as Grade }));
}
