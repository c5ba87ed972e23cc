import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLeaderLease } from '../../src/scheduler/leader-lease.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

// Replicas on one store: one sweeps, the others stand by, and a standby takes over when the holder
// stops renewing (it crashed) or gives the lease up (it shut down).

let store: TestStore;

beforeEach(async () => {
  store = await createTestStore();
});

afterEach(async () => {
  await store.cleanup();
});

const lease = (holder: string) =>
  createLeaderLease(store.db, store.clock, { name: 'scheduler', holder, ttlMs: 60_000 });

describe('the scheduler lease among replicas', () => {
  it('lets one replica lead and tells the others who does', async () => {
    const [a, b] = [lease('replica-a'), lease('replica-b')];
    expect(await a.acquire()).toEqual({ held: true, holder: 'replica-a' });
    expect(await b.acquire()).toEqual({ held: false, holder: 'replica-a' });
    expect(await a.acquire()).toEqual({ held: true, holder: 'replica-a' });
  });

  it('passes to a standby once the holder stops renewing', async () => {
    const [a, b] = [lease('replica-a'), lease('replica-b')];
    await a.acquire();
    store.clock.advance(59_000);
    expect((await b.acquire()).held).toBe(false);
    store.clock.advance(2_000);
    expect(await b.acquire()).toEqual({ held: true, holder: 'replica-b' });
    expect(await a.acquire()).toEqual({ held: false, holder: 'replica-b' });
  });

  it('passes at once when the holder shuts down and releases it', async () => {
    const [a, b] = [lease('replica-a'), lease('replica-b')];
    await a.acquire();
    await b.release();
    expect((await b.acquire()).held).toBe(false);
    await a.release();
    expect((await b.acquire()).held).toBe(true);
  });
});
