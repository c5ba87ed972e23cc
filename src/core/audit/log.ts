import { sql } from 'kysely';
import type { Db, DbOrTx, Tx } from '../../store/database.ts';
import type { AuditLogRow } from '../../store/tables.ts';
import type { Actor } from '../common/actor.ts';
import { canonicalJson, sha256 } from '../common/canonical.ts';
import type { Clock } from '../common/clock.ts';
import { auditKey, mac } from './key.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  actor: Actor;
  action: string;
  entityType: string;
  entityId: string | number;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

type Unhashed = Omit<AuditLogRow, 'hash' | 'mac'>;

/**
 * The hash covers every column but itself (and its MAC), including the previous row's hash: the chain.
 * The bytes are the row's canonical JSON (keys sorted); the literal below lists the keys already in that
 * order, as every value is a string, a number or null, so `audit verify` need not sort 200,000 objects.
 */
export function hashAuditRow(row: Unhashed): string {
  return sha256(
    JSON.stringify({
      action: row.action,
      actor_id: row.actor_id,
      actor_name: row.actor_name,
      after: row.after,
      at: row.at,
      before: row.before,
      entity_id: row.entity_id,
      entity_type: row.entity_type,
      prev_hash: row.prev_hash,
      reason: row.reason,
      seq: row.seq,
    }),
  );
}

/** The action of the row that starts keying a store whose earlier rows were written without a key. */
export const KEY_ADOPTED = 'audit.key_adopted';

/**
 * Appends one entry inside the caller's transaction, so the change and its record commit together.
 * The caller's transaction holds the write lock (BEGIN IMMEDIATE on SQLite), so `seq` cannot race.
 * With an audit key installed, the row carries the HMAC of its hash (see key.ts).
 */
export async function appendAudit(tx: Tx, clock: Clock, entry: AuditEntry): Promise<AuditLogRow> {
  let last =
    heads.get(tx) ??
    (await tx
      .selectFrom('audit_log')
      .select(['seq', 'hash', 'mac'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst());
  const key = auditKey();
  if (key && last && last.mac === null) {
    // The first keyed row vouches for the unkeyed rows before it, so `audit verify` can tell a store
    // that was keyed later from one whose MACs were stripped.
    const adopted = await insertRow(tx, key, last, {
      at: clock.now().toISOString(),
      actor: { id: 'system', name: 'vendor-risk' },
      action: KEY_ADOPTED,
      entityType: 'audit_log',
      entityId: last.seq,
      after: { unkeyed_through: last.seq, head_hash: last.hash },
      reason: 'audit key configured: rows from here on carry a MAC',
    });
    last = adopted;
  }
  const row = await insertRow(tx, key, last, { ...entry, at: clock.now().toISOString() });
  if (tx.isTransaction) heads.set(tx, row);
  return row;
}

type Head = Pick<AuditLogRow, 'seq' | 'hash' | 'mac'>;

/**
 * The chain's head as each open transaction last wrote it. The transaction holds the write lock, so
 * nobody else appends meanwhile, and a sweep that audits thousands of steps need not read the head
 * back before each. Forgotten with the transaction, or by forgetAuditHead when part of it is undone.
 */
const heads = new WeakMap<Tx, Head>();

/** After a rollback to a savepoint: rows this transaction appended since may be gone, so read the head again. */
export function forgetAuditHead(tx: Tx): void {
  heads.delete(tx);
}

async function insertRow(
  tx: Tx,
  key: Buffer | null,
  last: { seq: number; hash: string } | undefined,
  entry: AuditEntry & { at: string },
): Promise<AuditLogRow> {
  const row: Unhashed = {
    seq: (last?.seq ?? 0) + 1,
    at: entry.at,
    actor_id: entry.actor.id,
    actor_name: entry.actor.name,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: String(entry.entityId),
    before: entry.before === undefined ? null : canonicalJson(entry.before),
    after: entry.after === undefined ? null : canonicalJson(entry.after),
    reason: entry.reason ?? null,
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  const hash = hashAuditRow(row);
  const full: AuditLogRow = { ...row, hash, mac: key ? mac(key, hash) : null };
  await tx.insertInto('audit_log').values(full).execute();
  return full;
}

export type ChainVerdict =
  | { ok: true; rows: number }
  | { ok: false; rows: number; firstBadSeq: number; reason: string };

/** Walks the chain in order; reports the first row whose sequence, link or content does not hold. */
export async function verifyAuditChain(db: Db, batchSize = 5000): Promise<ChainVerdict> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(batchSize)
      .execute();
    if (rows.length === 0) return { ok: true, rows: expectedSeq - 1 };
    for (const row of rows) {
      const bad = (reason: string, firstBadSeq = row.seq): ChainVerdict => ({
        ok: false,
        rows: expectedSeq - 1,
        firstBadSeq,
        reason,
      });
      if (row.seq !== expectedSeq) return bad(`row ${expectedSeq} is missing`, expectedSeq);
      if (row.prev_hash !== prevHash) return bad('link to the previous row is broken');
      if (hashAuditRow(row) !== row.hash) return bad('row content does not match its hash');
      prevHash = row.hash;
      expectedSeq += 1;
    }
  }
}

export async function auditTrail(db: DbOrTx, entityType: string, entityId: string | number): Promise<AuditLogRow[]> {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', String(entityId))
    .orderBy('seq')
    .execute();
}

export async function auditCount(db: DbOrTx): Promise<number> {
  const { count } = await db
    .selectFrom('audit_log')
    .select(sql<number>`count(*)`.as('count'))
    .executeTakeFirstOrThrow();
  return Number(count);
}
