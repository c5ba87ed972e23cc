import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { leadsUnlessAnotherReplicaDoes } from '../../src/main.ts';
import { createLeaderLease } from '../../src/scheduler/leader-lease.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

// Two replicas on one database without REDIS_URL would each pace Slack's and Teams' per-channel
// limits alone, together sending at twice the rate. The replica that meets another one (it finds
// the scheduler's lease held by someone else) says so once, loudly; with shared pacing it does not.

let store: TestStore;
beforeEach(async () => {
  store = await createTestStore();
});
afterEach(() => store.cleanup());

const WARNING = 'another replica shares this database but rate limits are paced per process: set REDIS_URL';

function replica(holder: string, pacingShared: boolean) {
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
  const lease = createLeaderLease(store.db, store.clock, { name: 'scheduler', holder, ttlMs: 180_000 });
  return { leads: leadsUnlessAnotherReplicaDoes(lease, { pacingShared, log }), lines };
}

describe('a second replica without REDIS_URL', () => {
  it('warns once, naming REDIS_URL, when it finds another replica leading; the leader itself does not', async () => {
    const first = replica('host-a:1', false);
    const second = replica('host-b:2', false);
    expect(await first.leads()).toBe(true);
    expect(await second.leads()).toBe(false);
    expect(await second.leads()).toBe(false);
    const warnings = second.lines.filter((l) => l.includes(WARNING));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0] ?? '{}')).toMatchObject({ level: 40, otherReplica: 'host-a:1' });
    expect(first.lines.filter((l) => l.includes(WARNING))).toEqual([]);
  });

  it('says nothing when the replicas share their pacing through Redis', async () => {
    const first = replica('host-a:1', true);
    const second = replica('host-b:2', true);
    await first.leads();
    expect(await second.leads()).toBe(false);
    expect(second.lines.filter((l) => l.includes(WARNING))).toEqual([]);
  });
});
