import { sql, type UpdateObject } from 'kysely';
import type { Clock } from '../core/common/clock.ts';
import { type Db, inTransaction, type Tx } from '../store/database.ts';
import type { Database, OutboxRow } from '../store/tables.ts';
import { saveMessageRef } from './message-refs.ts';
import type { PlatformMessage } from './sender.ts';

// The relay's reads and writes on `outbox`. Every write is one short transaction and never spans a
// platform call. `lease_until` doubles as a fencing token: each claim sets a later value than any
// before it, and failure outcomes only apply while the row still carries the caller's lease, so a
// relay whose lease expired cannot undo the work of the relay that took the row over.

/**
 * A row leased to this relay. `resumed`: an earlier claim ran out without any outcome recorded, so a
 * relay may have died after the platform accepted the message; look for it before posting again.
 */
export type ClaimedRow = OutboxRow & { resumed: boolean };

export interface ClaimOptions {
  limit: number;
  leaseMs: number;
  /** Platforms this relay can send to (`slack`, `teams`); other rows wait for a relay that can. */
  platforms: string[];
  /** Rows this process is already working on (their lease may have run out while they wait). */
  excludeIds?: number[];
}

/**
 * Claims due rows with a lease. Only the oldest pending row of each target is eligible, so messages
 * to one channel or person go out in the order they were enqueued, and an edit never overtakes the
 * post it edits. A row that waits for a retry holds back the rows behind it on that target only.
 */
export async function claimDue(db: Db, clock: Clock, options: ClaimOptions): Promise<ClaimedRow[]> {
  if (options.limit <= 0 || options.platforms.length === 0) return [];
  const now = clock.now();
  const nowIso = now.toISOString();
  const leaseUntil = new Date(now.getTime() + options.leaseMs).toISOString();
  return inTransaction(db, async (tx) => {
    const heads = tx
      .selectFrom('outbox')
      .select((eb) => ['target', eb.fn.min('id').as('head_id')])
      .where('status', '=', 'pending')
      .groupBy('target');
    let query = tx
      .selectFrom('outbox as o')
      .innerJoin(heads.as('h'), 'h.head_id', 'o.id')
      .selectAll('o')
      .where('o.available_at', '<=', nowIso)
      .where((eb) => eb.or([eb('o.lease_until', 'is', null), eb('o.lease_until', '<=', nowIso)]))
      .where((eb) => eb.or(options.platforms.map((p) => eb('o.target', 'like', `${p}:%`))));
    if (options.excludeIds && options.excludeIds.length > 0) query = query.where('o.id', 'not in', options.excludeIds);
    const rows = await query.orderBy('o.id').limit(options.limit).execute();
    if (rows.length === 0) return [];
    await tx
      .updateTable('outbox')
      .set({ lease_until: leaseUntil })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    return rows.map((r) => ({ ...r, lease_until: leaseUntil, resumed: r.lease_until !== null }));
  });
}

export interface SentRecord {
  row: OutboxRow;
  /** Where it landed; null when there was nothing to send any more. */
  message: PlatformMessage | null;
  /** Also lease the next row of the same target, so the relay can go on without a claim of its own. */
  claimNext: boolean;
}

/**
 * Marks rows sent (done for good) and remembers where the message about each subject is, all in one
 * transaction. For each record that asks, the next due row of its target is leased in the same commit
 * and returned (or null). A row already recorded by a relay that took over an expired lease keeps
 * that record.
 */
export function recordSent(
  db: Db,
  clock: Clock,
  records: SentRecord[],
  leaseMs: number,
): Promise<(ClaimedRow | null)[]> {
  const now = clock.now();
  const nowIso = now.toISOString();
  const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
  return inTransaction(db, async (tx) => {
    for (const { row, message } of records) {
      const result = await tx
        .updateTable('outbox')
        .set({ status: 'sent', sent_at: nowIso, lease_until: null, last_error: null })
        .where('id', '=', row.id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) > 0 && row.subject && message) {
        await saveMessageRef(tx, clock, row.subject, row.target, message);
      }
    }
    const next: (ClaimedRow | null)[] = [];
    for (const { row, claimNext } of records) {
      next.push(claimNext ? await leaseHead(tx, row.target, nowIso, leaseUntil) : null);
    }
    return next;
  });
}

async function leaseHead(tx: Tx, target: string, nowIso: string, leaseUntil: string): Promise<ClaimedRow | null> {
  const head = await tx
    .selectFrom('outbox')
    .selectAll()
    .where('status', '=', 'pending')
    .where('target', '=', target)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (!head || head.available_at > nowIso || (head.lease_until !== null && head.lease_until > nowIso)) return null;
  await tx.updateTable('outbox').set({ lease_until: leaseUntil }).where('id', '=', head.id).execute();
  return { ...head, lease_until: leaseUntil, resumed: head.lease_until !== null };
}

/**
 * Extends the leases of rows this relay is still working on (waiting for its pacing slot, or mid-call),
 * so that a wait longer than the lease does not let another relay send the same row as well. Fenced
 * like every outcome: a row another relay has taken over keeps that relay's lease. Each renewed row's
 * `lease_until` is updated in place, so its outcome is recorded against the new lease. Returns the rows
 * that were no longer ours.
 */
export async function renewLeases(db: Db, clock: Clock, rows: ClaimedRow[], leaseMs: number): Promise<ClaimedRow[]> {
  if (rows.length === 0) return [];
  const leaseUntil = new Date(clock.now().getTime() + leaseMs).toISOString();
  const renewed = await inTransaction(db, async (tx) => {
    const ours: ClaimedRow[] = [];
    for (const row of rows) if (await fenced(tx, row, { lease_until: leaseUntil })) ours.push(row);
    return ours;
  });
  for (const row of renewed) row.lease_until = leaseUntil;
  return rows.filter((row) => !renewed.includes(row));
}

type OutboxChange = UpdateObject<Database, 'outbox'>;

/**
 * How a row waits for its next try. `maybePosted`: the message may already be on the platform (a timed
 * out call, or a crash before we could check), so the row keeps a spent lease (its time is now, already
 * past) and the next claim sees it as resumed and looks for the earlier post first.
 */
export interface Wait {
  at: Date;
  error: string;
  maybePosted: boolean;
  now: Date;
}

const waitChange = (wait: Wait) => ({
  available_at: wait.at.toISOString(),
  lease_until: wait.maybePosted ? wait.now.toISOString() : null,
  last_error: wait.error,
});

/** Rate limited: try again later, attempts unchanged. False if another relay has taken the row over. */
export function reschedule(db: Db, row: OutboxRow, wait: Wait): Promise<boolean> {
  return inTransaction(db, (tx) => fenced(tx, row, waitChange(wait)));
}

/** A failed attempt: count it and wait before the next one. */
export function recordRetry(db: Db, row: OutboxRow, wait: Wait): Promise<boolean> {
  return inTransaction(db, (tx) => fenced(tx, row, { ...waitChange(wait), attempts: sql<number>`attempts + 1` }));
}

/** The last failed attempt: the row is dead. `alsoInTx` adds the dead-letter notices to the same commit. */
export function markDead(db: Db, row: OutboxRow, error: string, alsoInTx: (tx: Tx) => Promise<void>): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const change = { status: 'dead', attempts: sql<number>`attempts + 1`, lease_until: null, last_error: error };
    const updated = await fenced(tx, row, change);
    if (updated) await alsoInTx(tx);
    return updated;
  });
}

async function fenced(tx: Tx, row: OutboxRow, change: OutboxChange): Promise<boolean> {
  let query = tx.updateTable('outbox').set(change).where('id', '=', row.id).where('status', '=', 'pending');
  query =
    row.lease_until === null
      ? query.where('lease_until', 'is', null)
      : query.where('lease_until', '=', row.lease_until);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
