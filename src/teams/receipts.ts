import type { Activity } from 'botbuilder';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../store/database.ts';

// Teams resends an activity it did not see answered within about 15 seconds, with the same activity
// id in the same conversation. The first arrival claims the pair in `inbound_receipts`; a resend
// finds it taken and changes nothing. The claim comes before the work (not after), so a resend that
// arrives while the first is still running is refused too.

/** The dedupe key of an inbound activity; null when Teams gave it no id (nothing to dedupe by). */
export function receiptKey(activity: Pick<Activity, 'id' | 'conversation'>): string | null {
  if (!activity.id || !activity.conversation?.id) return null;
  return `teams:${activity.conversation.id}:${activity.id}`;
}

/** True the first time this key is seen; false for a resend. */
export async function claimReceipt(db: Db, clock: Clock, key: string): Promise<boolean> {
  const result = await db
    .insertInto('inbound_receipts')
    .values({ key, received_at: clock.now().toISOString() })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
