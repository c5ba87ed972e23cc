import { afterEach, beforeEach, expect, it } from 'vitest';
import { getPosture } from '../../src/core/posture/posture.ts';
import { SCORED_AT_ONCE } from '../../src/scheduler/posture-trigger.ts';
import { runSweep } from '../../src/scheduler/sweep.ts';
import { createTeamStore, insertVendor, openTestFinding } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

// The daily posture pass scores and records a few hundred vendors at a time, so its memory does not
// grow with the portfolio. A portfolio of more than two such parts must come out as if scored at once:
// a snapshot for every vendor, each the score a lookup shows, and a drift finding for exactly the
// vendors that slid, wherever they fall: first, last, or either side of a part's edge.

let store: TestStore;
beforeEach(async () => {
  store = await createTeamStore('2026-06-01T10:00:00.000Z');
});
afterEach(() => store.cleanup());

it('gives every vendor of a portfolio larger than one part its snapshot, and drift findings to exactly those that slid', async () => {
  const count = 2 * SCORED_AT_ONCE + 1;
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(await insertVendor(store, { name: `Vendor ${i}`, tier: 'high', nextReviewOn: '2027-01-01' }));
  }
  expect((await runSweep(store.deps)).snapshots).toBe(count);

  const slid = [ids[0], ids[SCORED_AT_ONCE - 1], ids[SCORED_AT_ONCE], ids[count - 1]] as number[];
  for (const id of slid) await openTestFinding(store, id, `scan:${id}`, 'critical');
  store.clock.set('2026-06-02T10:00:00.000Z');
  const report = await runSweep(store.deps);
  expect(report.drifted).toEqual(slid);
  expect(report.failed).toEqual([]);

  const today = await store.db
    .selectFrom('posture_snapshots')
    .select(['vendor_id', 'score'])
    .where('taken_on', '=', '2026-06-02')
    .execute();
  expect(today).toHaveLength(count);
  const scores = new Map(today.map((r) => [r.vendor_id, r.score]));
  for (const id of [...slid, ids[1], ids[SCORED_AT_ONCE + 1], ids[count - 2]] as number[]) {
    expect(scores.get(id)).toBe((await getPosture(store.db, store.deps, id, '2026-06-02')).score);
  }
});
