import { afterEach, beforeEach, expect, it } from 'vitest';
import { getPosture } from '../../src/core/posture/posture.ts';
import { withOpenDriftFinding } from '../../src/scheduler/posture-trigger.ts';
import { runSweep } from '../../src/scheduler/sweep.ts';
import { createTeamStore, insertVendor, openTestFinding } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

// A vendor that keeps sliding while its drift finding is open: the sweep stores its snapshot with
// everyone else's (the core would only refuse a second finding), and the numbers stay the lookup's.

let store: TestStore;
beforeEach(async () => {
  store = await createTeamStore('2026-06-01T10:00:00.000Z');
});
afterEach(() => store.cleanup());

it('keeps a sliding vendor to one drift finding and records each day the score a lookup shows', async () => {
  const vendorId = await insertVendor(store, { name: 'Slipping', tier: 'high', nextReviewOn: '2027-01-01' });
  const steady = await insertVendor(store, { name: 'Steady', tier: 'low', nextReviewOn: '2027-01-01' });
  await runSweep(store.deps);
  await openTestFinding(store, vendorId, 'scan:1', 'critical');
  store.clock.set('2026-06-02T10:00:00.000Z');
  expect((await runSweep(store.deps)).drifted).toEqual([vendorId]);
  // The sweep recognises the finding the core opened as a drift finding still open.
  expect(await withOpenDriftFinding(store.db, [vendorId, steady])).toEqual(new Set([vendorId]));

  for (const [day, scan] of [
    ['2026-06-03', 'scan:2'],
    ['2026-06-04', 'scan:3'],
  ] as const) {
    await openTestFinding(store, vendorId, scan, 'high');
    store.clock.set(`${day}T10:00:00.000Z`);
    const report = await runSweep(store.deps);
    expect(report.drifted).toEqual([]);
    expect(report.snapshots).toBe(2);
    const today = await store.db
      .selectFrom('posture_snapshots')
      .select(['vendor_id', 'score', 'grade'])
      .where('taken_on', '=', day)
      .orderBy('vendor_id')
      .execute();
    const looked = [];
    for (const id of [vendorId, steady]) {
      const posture = await getPosture(store.db, store.deps, id, day);
      looked.push({ vendor_id: id, score: posture.score, grade: posture.grade });
    }
    expect(today).toEqual(looked);
  }
  const drift = await store.db
    .selectFrom('findings')
    .select('id')
    .where('vendor_id', '=', vendorId)
    .where('source', '=', 'posture_drift')
    .execute();
  expect(drift).toHaveLength(1);
  // And it really kept sliding: every day's snapshot is lower than the one before.
  const scores = await store.db
    .selectFrom('posture_snapshots')
    .select('score')
    .where('vendor_id', '=', vendorId)
    .orderBy('taken_on')
    .execute();
  expect(scores.map((s) => s.score)).toEqual([...scores.map((s) => s.score)].sort((a, b) => b - a));
  expect(new Set(scores.map((s) => s.score)).size).toBe(4);
});
