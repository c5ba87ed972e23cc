import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUserError } from '../../src/core/common/errors.ts';
import { acceptIntoInbox, MAX_ATTEMPTS, markInboxDone, takeUnfinished } from '../../src/core/messaging/inbox.ts';
import { withCommitHook } from '../../src/store/commit-hook.ts';
import { inTransaction, type Tx } from '../../src/store/database.ts';
import { insertVendor } from '../support/fixtures.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

// The rules of the inbox of durable clicks (src/core/messaging/inbox.ts), on the store itself: a
// click is done exactly when its change commits, a failed change leaves it to do, and an unfinished
// click is taken by one process at a time, only after its lease, a bounded number of times.

const LEASE_MS = 60_000;
let store: TestStore;

beforeEach(async () => {
  store = await createTestStore();
});
afterEach(() => store.cleanup());

const row = (key: string) =>
  store.db.selectFrom('inbound_receipts').selectAll().where('key', '=', key).executeTakeFirstOrThrow();
const grantees = async () =>
  (await store.db.selectFrom('role_grants').select('principal').orderBy('principal').execute()).map((g) => g.principal);
const grant = (tx: Tx, principal: string) =>
  tx.insertInto('role_grants').values({ principal, role: 'analyst', granted_by: 'test', granted_at: 'now' }).execute();
const done = (key: string) => (tx: Parameters<typeof markInboxDone>[0]) => markInboxDone(tx, store.clock, key, true);

describe('the inbox of durable clicks', () => {
  it('accepts a click once; a redelivery is refused', async () => {
    expect(await acceptIntoInbox(store.db, store.clock, 'k1', '{"a":1}', LEASE_MS)).toBe(true);
    expect(await acceptIntoInbox(store.db, store.clock, 'k1', '{"a":1}', LEASE_MS)).toBe(false);
    expect(await row('k1')).toMatchObject({ payload: '{"a":1}', done_at: null, attempts: 1 });
  });

  it('marks the click done in the transaction of its change, and not when that transaction rolls back', async () => {
    await acceptIntoInbox(store.db, store.clock, 'k2', '{}', LEASE_MS);
    const failed = withCommitHook(done('k2'), () =>
      inTransaction(store.db, async (tx) => {
        await grant(tx, 'slack:UFAILED');
        throw new Error('the change failed');
      }),
    );
    await expect(failed).rejects.toThrow('the change failed');
    expect((await row('k2')).done_at).toBeNull();

    await withCommitHook(done('k2'), async () => {
      await insertVendor(store, { name: 'Written outside any transaction' });
      expect((await row('k2')).done_at).toBeNull();
      await inTransaction(store.db, (tx) => grant(tx, 'slack:UCHANGED'));
    });
    expect(await grantees()).toEqual(['slack:UCHANGED']);
    expect(await row('k2')).toMatchObject({ payload: null, done_at: store.clock.now().toISOString() });
  });

  it('rolls back a second run of the same click: its change is made once', async () => {
    await acceptIntoInbox(store.db, store.clock, 'k3', '{}', LEASE_MS);
    const run = (principal: string) =>
      withCommitHook(done('k3'), () => inTransaction(store.db, (tx) => grant(tx, principal)));
    await run('slack:UFIRST');
    const second = await run('slack:USECOND').catch((error: unknown) => error);
    expect(isUserError(second) && second.message).toBe('That click was already carried out. Nothing else was changed.');
    expect(await grantees()).toEqual(['slack:UFIRST']);
  });

  it('gives an unfinished click to one taker at a time, after its lease, at most MAX_ATTEMPTS runs in all', async () => {
    await acceptIntoInbox(store.db, store.clock, 'k4', '{"click":4}', LEASE_MS);
    expect(await takeUnfinished(store.db, store.clock, LEASE_MS)).toEqual([]);
    store.clock.advance(LEASE_MS + 1);
    const [one, two] = await Promise.all([
      takeUnfinished(store.db, store.clock, LEASE_MS),
      takeUnfinished(store.db, store.clock, LEASE_MS),
    ]);
    expect([...(one ?? []), ...(two ?? [])].map((e) => [e.key, e.payload, e.attempts])).toEqual([
      ['k4', '{"click":4}', 2],
    ]);
    for (let run = 3; run <= MAX_ATTEMPTS; run += 1) {
      store.clock.advance(LEASE_MS + 1);
      expect((await takeUnfinished(store.db, store.clock, LEASE_MS)).map((e) => e.attempts)).toEqual([run]);
    }
    store.clock.advance(LEASE_MS + 1);
    expect(await takeUnfinished(store.db, store.clock, LEASE_MS)).toEqual([]);
    await markInboxDone(store.db, store.clock, 'k4', false);
    expect((await row('k4')).done_at).not.toBeNull();
  });
});
