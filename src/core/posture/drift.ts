import type { DbOrTx, Tx } from '../../store/database.ts';
import type { FindingRow } from '../../store/tables.ts';
import type { Actor } from '../common/actor.ts';
import { addDaysIso } from '../common/dates.ts';
import type { CoreDeps } from '../common/deps.ts';
import { syncRequiredEvidenceFinding } from '../evidence/required-findings.ts';
import { openFinding } from '../findings/actions.ts';
import { closeDerivedFinding } from '../findings/derived.ts';
import { ACTIVE_STATES } from '../findings/states.ts';
import type { Policy } from '../policy/policy.ts';
import { getPosture, type Posture, type PostureDeps } from './posture.ts';
import { type Driver, GRADES, type Grade, gradeFor, POSTURE_DRIFT_SOURCE } from './score.ts';

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

export const DRIFT_SOURCE = POSTURE_DRIFT_SOURCE;

/**
 * Points of the current score's causes that began after `day` and were already told to someone (a
 * finding card, a reminder): a fall they explain is news to nobody. Snapshots are by day, so a cause
 * that began on the day of the snapshot measured from counts as part of it.
 */
export function knownSince(drivers: readonly Driver[]): (day: string) => number {
  return (day) =>
    drivers.reduce((sum, d) => (d.notified && d.since !== null && d.since > day ? sum - d.points : sum), 0);
}

/**
 * Pure. `previous` may hold any snapshots; only those within the window before `current` count. The fall
 * is measured net of `known` causes, so a drift finding means something we did not know about.
 */
export function detectDrift(
  previous: readonly Snapshot[],
  current: Snapshot,
  policy: Policy,
  known: (day: string) => number = () => 0,
): Drift | null {
  const windowStart = addDaysIso(current.takenOn, -policy.driftWindowDays);
  const inWindow = previous
    .filter((s) => s.takenOn >= windowStart && s.takenOn < current.takenOn)
    .sort((a, b) => (a.takenOn < b.takenOn ? -1 : 1));
  if (inWindow.length === 0) return null;
  const best = inWindow.reduce((a, b) => (b.score > a.score ? b : a));
  const last = inWindow[inWindow.length - 1]!;
  const unexplained = (from: Snapshot) => Math.min(from.score, current.score + known(from.takenOn));
  const gradeFell =
    GRADES.indexOf(gradeFor(unexplained(last), policy)) > GRADES.indexOf(last.grade) &&
    GRADES.indexOf(current.grade) > GRADES.indexOf(last.grade);
  const gradeNote = (from: Snapshot) =>
    GRADES.indexOf(current.grade) > GRADES.indexOf(from.grade) ? `, grade ${from.grade} → ${current.grade}` : '';
  const knownNote = (from: Snapshot) => {
    const k = known(from.takenOn);
    return k > 0 ? ` ${k} of those points come from causes already reported since; the rest is new.` : '';
  };
  if (best.score - unexplained(best) >= policy.driftPoints) {
    return {
      kind: 'score_drop',
      from: best,
      to: current,
      message: `Posture fell ${best.score - current.score} points since ${best.takenOn} (${best.score} → ${current.score}${gradeNote(best)}).${knownNote(best)}`,
    };
  }
  if (gradeFell) {
    return {
      kind: 'grade_drop',
      from: last,
      to: current,
      message: `Posture grade fell from ${last.grade} to ${current.grade} since ${last.takenOn} (${last.score} → ${current.score}).${knownNote(last)}`,
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
  // The vendor's required-evidence finding is brought up to date first, so the score names it as the
  // place each missing document is counted and drift sees those documents as already reported.
  await syncRequiredEvidenceFinding(tx, deps, vendorId, {
    open: true,
    closeReason: 'All required evidence is on record, or no longer required',
  });
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
  const drift = detectDrift(previous, current, deps.policy, knownSince(posture.drivers));
  const alreadyOpen = await tx
    .selectFrom('findings')
    .selectAll()
    .where('vendor_id', '=', vendorId)
    .where('state', 'in', ACTIVE_STATES)
    .where('source', '=', DRIFT_SOURCE)
    .executeTakeFirst();
  if (alreadyOpen && recovered(alreadyOpen, current, posture.drivers, deps.policy)) {
    // The fall it reported is over (recovered, or explained by causes reported since): it closes itself.
    await closeDerivedFinding(
      tx,
      deps,
      alreadyOpen,
      `Posture recovered: ${current.score} (${current.grade}) on ${today}, with no unexplained fall left`,
    );
    return { posture, drift, finding: null };
  }
  if (!drift || alreadyOpen) return { posture, drift, finding: null };
  const name = posture.vendor.name;
  const causes = posture.drivers.map((d) => `${d.label} (${d.points}, ${d.from})`).join('; ');
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

/**
 * Pure: whether the fall a drift finding reported is over: measured from the score it fell from (in its
 * title), net of causes reported since it opened, less than the policy's points and no lower grade.
 */
export function recovered(
  finding: Pick<FindingRow, 'title' | 'opened_at'>,
  current: Snapshot,
  drivers: readonly Driver[],
  policy: Policy,
): boolean {
  const match = /posture fell from (\d+) \(([A-F])\)/.exec(finding.title);
  if (!match) return false;
  const fromScore = Number(match[1]);
  const fromGrade = match[2] as Grade;
  const net = current.score + knownSince(drivers)(finding.opened_at.slice(0, 10));
  return fromScore - net < policy.driftPoints && GRADES.indexOf(gradeFor(net, policy)) <= GRADES.indexOf(fromGrade);
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
