import type { DbOrTx } from '../../store/database.ts';
import type { Clock } from '../common/clock.ts';

// One record per inbound delivery we have acted on (a Slack event or interaction, a Teams activity, a
// signed webhook message), so a platform's redelivery is recognised and ignored. Each adapter names
// its keys; the claim is the same everywhere.

/** True the first time a key is claimed; false for every redelivery after that. */
export async function claimReceipt(db: DbOrTx, clock: Clock, key: string): Promise<boolean> {
  const result = await db
    .insertInto('inbound_receipts')
    .values({ key, received_at: clock.now().toISOString() })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Gives a key back, for an item that was refused and will legitimately arrive again. */
export async function releaseReceipt(db: DbOrTx, key: string): Promise<void> {
  await db.deleteFrom('inbound_receipts').where('key', '=', key).execute();
}

/** Forgets receipts older than `before`; platforms stop redelivering within minutes, so a day is plenty. */
export async function pruneReceipts(db: DbOrTx, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('inbound_receipts')
    .where('received_at', '<', before.toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
