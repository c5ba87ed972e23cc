import type { DbOrTx, Tx } from '../../store/database.ts';
import type { Clock } from '../common/clock.ts';
import { conflict } from '../common/errors.ts';

// The inbox of durable inbound interactions. Slack does not redeliver a click, and answers it the
// moment we acknowledge, before the handler has committed anything; a process killed in between
// would lose the click. So a click is stored with its receipt (inbound_receipts, one row per
// delivery, see inbound-receipts.ts) before it is acknowledged, and the row is marked done inside
// the transaction that makes the click's change (src/store/commit-hook.ts), or after the handler when
// it changes nothing. A row acknowledged but never done, whose lease has run out, is re-run by
// whichever process sweeps first (it takes a fresh lease with a conditional update), with the
// original person, at most MAX_ATTEMPTS times. Marking done is conditional too: of two runs racing
// (a slow first run and a re-run), the one committing second rolls back, so a click acts once.

/** Runs of one interaction (the first, then re-runs) before it is given up and logged. */
export const MAX_ATTEMPTS = 3;

export interface InboxEntry {
  key: string;
  payload: string;
  receivedAt: Date;
  attempts: number;
}

/** Stores an interaction before it is acknowledged. False when the key was seen before (a redelivery). */
export async function acceptIntoInbox(
  db: DbOrTx,
  clock: Clock,
  key: string,
  payload: string,
  leaseMs: number,
): Promise<boolean> {
  const now = clock.now();
  const result = await db
    .insertInto('inbound_receipts')
    .values({
      key,
      received_at: now.toISOString(),
      payload,
      lease_until: new Date(now.getTime() + leaseMs).toISOString(),
      attempts: 1,
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * Marks the interaction done; inside the change's transaction when called from its commit hook.
 * With `exclusive`, refuses (rolling that transaction back) when another run already finished it.
 */
export async function markInboxDone(db: DbOrTx | Tx, clock: Clock, key: string, exclusive: boolean): Promise<void> {
  const result = await db
    .updateTable('inbound_receipts')
    .set({ done_at: clock.now().toISOString(), payload: null })
    .where('key', '=', key)
    .where('done_at', 'is', null)
    .executeTakeFirst();
  if (exclusive && Number(result.numUpdatedRows) !== 1) {
    throw conflict('That click was already carried out. Nothing else was changed.');
  }
}

/**
 * Takes the unfinished entries whose lease has run out, each with a fresh lease held by this process:
 * a conditional update on the lease it read, so two processes sweeping at once never take the same.
 */
export async function takeUnfinished(db: DbOrTx, clock: Clock, leaseMs: number, limit = 20): Promise<InboxEntry[]> {
  const now = clock.now();
  const due = await db
    .selectFrom('inbound_receipts')
    .select(['key', 'payload', 'received_at', 'lease_until', 'attempts'])
    .where('lease_until', '<', now.toISOString())
    .where('done_at', 'is', null)
    .where('payload', 'is not', null)
    .where('attempts', '<', MAX_ATTEMPTS)
    .orderBy('received_at')
    .limit(limit)
    .execute();
  const taken: InboxEntry[] = [];
  for (const row of due) {
    const result = await db
      .updateTable('inbound_receipts')
      .set({ lease_until: new Date(now.getTime() + leaseMs).toISOString(), attempts: row.attempts + 1 })
      .where('key', '=', row.key)
      .where('lease_until', '=', row.lease_until)
      .where('done_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1 && row.payload) {
      taken.push({
        key: row.key,
        payload: row.payload,
        receivedAt: new Date(row.received_at),
        attempts: row.attempts + 1,
      });
    }
  }
  return taken;
}
