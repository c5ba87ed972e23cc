import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';

// Migration 0019 moves a queued message's thread out of its data JSON into the outbox's thread_of
// column, so history queued before an upgrade still goes into its finding's thread after it.

let dir: string;
let store: Store;
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it('copies threadOf out of queued rows into thread_of and leaves other rows alone', async () => {
  dir = mkdtempSync(join(tmpdir(), 'vendor-risk-0019-'));
  store = await openStore(join(dir, 'store.db'));
  const migrator = new Migrator({ db: store.db, provider: { getMigrations: async () => migrations } });
  expect((await migrator.migrateTo('0012_leases')).error).toBeUndefined();
  const row = (key: string, data: Record<string, unknown>) => ({
    idempotency_key: key,
    target: 'slack:C1',
    template: 'finding-history',
    data: JSON.stringify(data),
    late: 0,
    status: 'pending',
    attempts: 0,
    available_at: '2026-06-01T09:00:00.000Z',
    created_at: '2026-06-01T09:00:00.000Z',
  });
  await store.db
    .insertInto('outbox')
    .values([row('hist', { text: 'Acknowledged', threadOf: 'finding:7' }), row('card', { findingId: 7 })])
    .execute();

  await migrateToLatest(store.db);
  const rows = await store.db
    .selectFrom('outbox')
    .select(['idempotency_key', 'data', 'thread_of'])
    .orderBy('id')
    .execute();
  expect(rows.map((r) => ({ ...r, data: JSON.parse(r.data) }))).toEqual([
    { idempotency_key: 'hist', data: { text: 'Acknowledged' }, thread_of: 'finding:7' },
    { idempotency_key: 'card', data: { findingId: 7 }, thread_of: null },
  ]);
});
