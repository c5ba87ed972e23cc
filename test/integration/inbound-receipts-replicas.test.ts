import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimReceipt } from '../../src/core/messaging/inbound-receipts.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

// Replicas behind one URL receive the same platform retry at different processes: Slack resends an
// event to whichever replica the load balancer picks, Teams an activity. Each replica is its own
// connection pool on the shared store; the receipt's primary key decides which one acts, once.

const REPLICAS = 3;
const KEYS = 40;

let store: TestStore;
let others: Store[];

beforeEach(async () => {
  store = await createTestStore();
  others = await Promise.all(Array.from({ length: REPLICAS - 1 }, () => openStore(store.path)));
});

afterEach(async () => {
  await Promise.all(others.map((o) => o.close()));
  await store.cleanup();
});

describe('inbound receipts across replicas', () => {
  it('lets exactly one replica act on each delivery that reaches all of them at once', async () => {
    const dbs = [store.db, ...others.map((o) => o.db)];
    const keys = Array.from({ length: KEYS }, (_, i) => `slack:event:Ev${i}`);
    const claims = await Promise.all(
      keys.flatMap((key) => dbs.map(async (db) => ({ key, won: await claimReceipt(db, store.clock, key) }))),
    );
    const winners = new Map<string, number>();
    for (const { key, won } of claims) if (won) winners.set(key, (winners.get(key) ?? 0) + 1);
    expect([...winners.values()].filter((n) => n !== 1)).toEqual([]);
    expect(winners.size).toBe(KEYS);
    // A redelivery after the race is still recognised, whichever replica it reaches.
    expect(await Promise.all(dbs.map((db) => claimReceipt(db, store.clock, keys[0]!)))).toEqual(
      Array(REPLICAS).fill(false),
    );
  });
});
