import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';

// Migration 0028 marks the vendors still holding per-document required-evidence findings to be scored
// at the next sweep, which folds those findings into one; other vendors keep their schedule.

let dir: string;
let store: Store;
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it('marks only the vendors with an unresolved per-document required-evidence finding as due', async () => {
  dir = mkdtempSync(join(tmpdir(), 'vendor-risk-0028-'));
  store = await openStore(join(dir, 'store.db'));
  const migrator = new Migrator({ db: store.db, provider: { getMigrations: async () => migrations } });
  expect((await migrator.migrateTo('0026_home_views')).error).toBeUndefined();
  const at = '2026-06-01T09:00:00.000Z';
  const vendor = (name: string) => ({
    name,
    name_key: name.toLowerCase(),
    services: 'Hosting',
    data_types: '["PHI"]',
    criticality: 'high' as const,
    tier: 'critical' as const,
    regulatory_scope: '["HIPAA"]',
    owner_id: null,
    channel: null,
    status: 'active' as const,
    next_review_on: null,
    created_at: at,
    updated_at: at,
  });
  const ids = [];
  for (const name of ['Asked', 'Closed', 'Quiet']) {
    ids.push((await store.db.insertInto('vendors').values(vendor(name)).returning('id').executeTakeFirstOrThrow()).id);
  }
  const [asked, closed, quiet] = ids as [number, number, number];
  const finding = (vendorId: number, state: 'open' | 'resolved') => ({
    vendor_id: vendorId,
    dedupe_key: `required-evidence:${vendorId}:hipaa_baa`,
    source: 'required_evidence',
    title: 'required evidence missing: HIPAA BAA',
    detail: 'Policy requires it.',
    severity: 'high' as const,
    state,
    opened_at: at,
    sla_due_on: '2026-06-15',
    updated_at: at,
  });
  await store.db
    .insertInto('findings')
    .values([finding(asked, 'open'), finding(closed, 'resolved')])
    .execute();
  // All three were scored since; nothing is due until their next dated change.
  await store.db.updateTable('posture_schedule').set({ rescore_on: '2026-09-01' }).execute();

  await migrateToLatest(store.db);
  const schedule = await store.db
    .selectFrom('posture_schedule')
    .select(['vendor_id', 'rescore_on'])
    .orderBy('vendor_id')
    .execute();
  expect(schedule).toEqual([
    { vendor_id: asked, rescore_on: '0000-00-00' },
    { vendor_id: closed, rescore_on: '2026-09-01' },
    { vendor_id: quiet, rescore_on: '2026-09-01' },
  ]);
});
