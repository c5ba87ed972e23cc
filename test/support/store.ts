import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/core/common/clock.ts';
import type { CoreDeps } from '../../src/core/common/deps.ts';
import { DEFAULT_POLICY } from '../../src/core/policy/policy.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';

export interface TestStore extends Store {
  path: string;
  clock: ManualClock;
  deps: CoreDeps;
  cleanup(): Promise<void>;
}

/** A real SQLite file in a fresh temporary folder, migrated with the real migrations. */
export async function createTestStore(now = '2026-06-01T09:00:00.000Z'): Promise<TestStore> {
  const dir = mkdtempSync(join(tmpdir(), 'vendor-risk-test-'));
  const path = join(dir, 'test.db');
  const store = await openStore(path);
  await migrateToLatest(store.db);
  const clock = new ManualClock(now);
  const deps: CoreDeps = {
    db: store.db,
    clock,
    policy: DEFAULT_POLICY,
    routing: { findingsChannels: ['slack:CFINDINGS'], approvalsChannels: ['slack:CAPPROVALS'] },
    timeZone: 'UTC',
  };
  return {
    ...store,
    path,
    clock,
    deps,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
