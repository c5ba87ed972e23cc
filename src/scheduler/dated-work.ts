import { RESCORE_NOW, RESCORE_SEEN } from '../core/posture/rescore.ts';
import type { Tx } from '../store/database.ts';

// Most of a sweep's work is dated: review and evidence reminders, finding deadlines, acceptances,
// stalled due diligence, the daily snapshot. All of it is decided by the calendar day and the store,
// so once a day's sweep has done it without a failure, a later tick that day can only find something
// new if the store changed. Database triggers mark every vendor whose rows change (posture_schedule,
// migration 0024); a tick takes those marks as seen, and skips the dated work when there were none.
// Clocks that run by the hour (incident deadlines, the weekly digest) are checked at every tick.

/**
 * Whether this tick must run the dated triggers: the first tick of a day, after a failure, or after
 * a change to the store since the previous tick. Takes the pending change marks as seen; changes this
 * sweep itself makes mark again, so the next tick looks once more at what they may have made due.
 */
export async function datedWorkPending(tx: Tx, today: string): Promise<boolean> {
  const seen = await tx
    .updateTable('posture_schedule')
    .set({ rescore_on: RESCORE_SEEN })
    .where('rescore_on', '=', RESCORE_NOW)
    .executeTakeFirst();
  if (Number(seen.numUpdatedRows) > 0) return true;
  const state = await tx.selectFrom('sweep_state').select('dated_on').where('id', '=', 1).executeTakeFirst();
  return state?.dated_on !== today;
}

/** Records that every dated trigger of `today` ran without a failure. */
export async function datedWorkDone(tx: Tx, today: string): Promise<void> {
  await tx
    .insertInto('sweep_state')
    .values({ id: 1, dated_on: today })
    .onConflict((oc) => oc.column('id').doUpdateSet({ dated_on: today }))
    .execute();
}
