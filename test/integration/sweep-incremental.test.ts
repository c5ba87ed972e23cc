import { afterEach, beforeEach, expect, it } from 'vitest';
import { addDaysIso } from '../../src/core/common/dates.ts';
import type { EvidenceType } from '../../src/core/common/vocabulary.ts';
import { DEFAULT_POLICY } from '../../src/core/policy/policy.ts';
import { getPosture } from '../../src/core/posture/posture.ts';
import { runSweep } from '../../src/scheduler/sweep.ts';
import { createTeamStore, insertVendor, openTestFinding } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

// The daily sweep scores again only the vendors whose inputs changed or whose dated inputs passed a
// date; every other vendor carries yesterday's score. Whatever the path, each day's snapshot must be
// the score a lookup shows that day: a review falling overdue, a document expiring or growing too old
// for the policy, a change written straight into the store, a vendor back in service, a new policy.

let store: TestStore;
beforeEach(async () => {
  store = await createTeamStore('2026-06-01T10:00:00.000Z');
});
afterEach(() => store.cleanup());

/** Reviewed once, so no "not yet assessed" cap hides the deductions these tests watch. */
async function reviewed(ids: readonly number[]): Promise<void> {
  await store.db.updateTable('vendors').set({ last_review_on: '2025-06-01' }).where('id', 'in', ids).execute();
}

async function snapshotsOn(day: string): Promise<Map<number, number>> {
  const rows = await store.db
    .selectFrom('posture_snapshots')
    .select(['vendor_id', 'score'])
    .where('taken_on', '=', day)
    .execute();
  return new Map(rows.map((r) => [r.vendor_id, r.score]));
}

async function lookups(ids: readonly number[], day: string, deps = store.deps): Promise<Map<number, number>> {
  const scores = new Map<number, number>();
  for (const id of ids) scores.set(id, (await getPosture(store.db, deps, id, day)).score);
  return scores;
}

it('snapshots every vendor each day at the score a lookup shows, though only changed vendors are scored', async () => {
  const at = store.clock.now().toISOString();
  const dueSoon = await insertVendor(store, { name: 'Due Soon', tier: 'low', nextReviewOn: '2026-06-12' });
  const papers = await insertVendor(store, { name: 'Papers', tier: 'critical', nextReviewOn: '2027-03-01' });
  const quiet = await insertVendor(store, { name: 'Quiet', tier: 'low', nextReviewOn: '2027-03-01' });
  const touched = await insertVendor(store, { name: 'Touched', tier: 'medium', nextReviewOn: '2027-03-01' });
  const doc = (vendor_id: number, type: EvidenceType, issued_on: string, expires_on: string) => ({
    vendor_id,
    type,
    issued_on,
    expires_on,
    recorded_by: 'slack:UDANA',
    created_at: at,
    updated_at: at,
  });
  await store.db
    .insertInto('evidence')
    .values([
      // Past the first week (when every vendor is still watched for drift): the pen test, valid for
      // years, turns 12 months old on day 12, and the BAA expires on day 14.
      doc(papers, 'hipaa_baa', '2025-06-15', '2026-06-15'),
      doc(papers, 'soc2_type2', '2026-01-01', '2027-01-01'),
      doc(papers, 'pentest', '2025-06-12', '2028-01-01'),
    ])
    .execute();
  const finding = await openTestFinding(store, touched, 'scan:1', 'low');
  const ids = [dueSoon, papers, quiet, touched];
  await reviewed(ids);
  const seen = new Map<number, Set<number>>(ids.map((id) => [id, new Set()]));
  for (let day = 0; day < 17; day++) {
    const today = addDaysIso('2026-06-01', day);
    store.clock.set(`${today}T10:00:00.000Z`);
    // A change written straight into the store, past every command: the score still follows it.
    if (day === 3)
      await store.db.updateTable('findings').set({ severity: 'critical' }).where('id', '=', finding.id).execute();
    const report = await runSweep(store.deps);
    expect(report.snapshots).toBe(ids.length);
    const snapshots = await snapshotsOn(today);
    expect(snapshots).toEqual(await lookups(ids, today));
    for (const id of ids) seen.get(id)?.add(snapshots.get(id) ?? -1);
    // A later tick the same day writes nothing more.
    store.clock.set(`${today}T10:05:00.000Z`);
    expect((await runSweep(store.deps)).snapshots).toBe(0);
  }
  // The dates passed with nobody writing anything, and the scores moved with them.
  expect(seen.get(dueSoon)?.size).toBe(2);
  expect(seen.get(papers)?.size).toBe(3);
  expect(seen.get(touched)?.size).toBe(2);
  expect(seen.get(quiet)?.size).toBe(1);
});

it('scores again a vendor back in service, and every vendor under a new policy', async () => {
  const overdue = await insertVendor(store, { name: 'Overdue', tier: 'high', nextReviewOn: '2026-05-01' });
  const paused = await insertVendor(store, { name: 'Paused', tier: 'low', nextReviewOn: '2026-05-01' });
  await reviewed([overdue, paused]);
  await runSweep(store.deps);
  await store.db.updateTable('vendors').set({ status: 'offboarded' }).where('id', '=', paused).execute();
  store.clock.set('2026-06-02T10:00:00.000Z');
  await runSweep(store.deps);
  expect([...(await snapshotsOn('2026-06-02')).keys()]).toEqual([overdue]);
  await store.db.updateTable('vendors').set({ status: 'active' }).where('id', '=', paused).execute();
  store.clock.set('2026-06-03T10:00:00.000Z');
  await runSweep(store.deps);
  expect(await snapshotsOn('2026-06-03')).toEqual(await lookups([overdue, paused], '2026-06-03'));
  // A deployment that weighs every open finding more: the next day's snapshots count it.
  const d = DEFAULT_POLICY.deductions;
  const openFinding = Object.fromEntries(Object.entries(d.openFinding).map(([k, v]) => [k, v + 3]));
  const policy = { ...DEFAULT_POLICY, deductions: { ...d, openFinding: openFinding as typeof d.openFinding } };
  const deps = { ...store.deps, policy };
  store.clock.set('2026-06-04T10:00:00.000Z');
  await runSweep(deps);
  const scores = await snapshotsOn('2026-06-04');
  expect(scores).toEqual(await lookups([overdue, paused], '2026-06-04', deps));
  expect(scores.get(overdue)).toBeLessThan((await lookups([overdue], '2026-06-04')).get(overdue) ?? 0);
});

it('looks at the day again after a change, however it was written, and not otherwise', async () => {
  const vendor = await insertVendor(store, { name: 'Late Papers', tier: 'low', nextReviewOn: '2027-03-01' });
  // The day's first sweep (a Monday: the weekly digest goes out too).
  await runSweep(store.deps);
  store.clock.set('2026-06-01T10:05:00.000Z');
  expect((await runSweep(store.deps)).fired).toEqual([]);
  // A document expiring tomorrow, recorded straight into the store: its reminder is due today.
  const at = store.clock.now().toISOString();
  const { id } = await store.db
    .insertInto('evidence')
    .values({
      vendor_id: vendor,
      type: 'soc2_type2',
      expires_on: '2026-06-02',
      recorded_by: 'slack:UDANA',
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  store.clock.set('2026-06-01T10:06:00.000Z');
  const report = await runSweep(store.deps);
  expect(report.fired.map((f) => f.key)).toEqual([`evidence:${id}:before-1`]);
  // Expiring tomorrow is a heads-up: it goes into the owner's digest of the day.
  expect(report.messages.map((m) => m.template)).toEqual(['owner-digest']);
  store.clock.set('2026-06-01T10:07:00.000Z');
  expect((await runSweep(store.deps)).fired).toEqual([]);
});
