import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/core/audit/log.ts';
import { SYSTEM_ACTOR } from '../../src/core/common/actor.ts';
import { grantRole } from '../../src/core/roles/permissions.ts';
import { inTransaction, openStore, type Store } from '../../src/store/database.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

// Replicas write through their own connection pools at the same moment. Each state change reads the
// audit chain's head and appends after it; the write lock (BEGIN IMMEDIATE on SQLite, one advisory
// transaction lock per schema on PostgreSQL) makes them take turns, so the chain never forks. Replicas
// share PostgreSQL only (SQLite is one process: its driver waits for a lock synchronously), so this runs
// there whatever the run's store.

const REPLICAS = 3;
const WRITES_EACH = 15;

let store: TestStore;
let others: Store[];

beforeEach(async () => {
  store = await createTestStore(undefined, { on: 'postgres' });
  others = await Promise.all(Array.from({ length: REPLICAS - 1 }, () => openStore(store.path)));
});

afterEach(async () => {
  await Promise.all(others.map((o) => o.close()));
  await store.cleanup();
});

describe('write transactions from several replicas at once', () => {
  it('take turns: every change is kept and the audit chain stays one unbroken line', async () => {
    const dbs = [store.db, ...others.map((o) => o.db)];
    await Promise.all(
      dbs.flatMap((db, r) =>
        Array.from({ length: WRITES_EACH }, (_, i) =>
          inTransaction(db, (tx) => grantRole(tx, store.clock, SYSTEM_ACTOR, `slack:U${r}X${i}`, 'analyst')),
        ),
      ),
    );
    const grants = await store.db.selectFrom('role_grants').select('principal').execute();
    expect(grants).toHaveLength(REPLICAS * WRITES_EACH);
    const verdict = await verifyAuditChain(store.db);
    expect(verdict).toMatchObject({ ok: true, rows: REPLICAS * WRITES_EACH });
  });
});
