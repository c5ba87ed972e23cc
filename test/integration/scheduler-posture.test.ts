import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EvidenceType, TIERS } from '../../src/core/common/vocabulary.ts';
import { getPosture } from '../../src/core/posture/posture.ts';
import { recordSignal } from '../../src/core/signals/record.ts';
import { runSweep } from '../../src/scheduler/sweep.ts';
import { inTransaction } from '../../src/store/database.ts';
import { createTeamStore, dana, insertVendor, openTestFinding } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

// The daily snapshot scores every vendor in a handful of set-based statements. It must agree with
// the posture a person looks up, driver for driver, or the drift it reports would be fiction.

const TODAY = '2026-06-01';

async function portfolio(store: TestStore): Promise<number[]> {
  const at = store.clock.now().toISOString();
  const plain = await insertVendor(store, { name: 'Plain', tier: 'low', nextReviewOn: '2027-01-01' });
  const overdue = await insertVendor(store, { name: 'Overdue', tier: 'high', nextReviewOn: '2026-05-01' });
  const busy = await insertVendor(store, { name: 'Busy', tier: 'critical', nextReviewOn: '2026-12-01' });
  const rated = await insertVendor(store, { name: 'Rated', tier: 'medium', nextReviewOn: '2026-09-01' });
  await openTestFinding(store, busy, 'scan:1', 'critical');
  await openTestFinding(store, busy, 'scan:2', 'high');
  const accepted = await openTestFinding(store, busy, 'scan:3', 'high');
  await store.db.updateTable('findings').set({ state: 'risk_accepted' }).where('id', '=', accepted.id).execute();
  const evidence = (vendor_id: number, type: EvidenceType, expires_on: string) => ({
    vendor_id,
    type,
    expires_on,
    recorded_by: 'slack:UDANA',
    created_at: at,
    updated_at: at,
  });
  await store.db
    .insertInto('evidence')
    .values([
      evidence(busy, 'soc2_type2', '2026-05-01'), // expired
      evidence(busy, 'iso27001', '2026-04-01'), // expired, then renewed
      evidence(busy, 'iso27001', '2027-04-01'),
      evidence(rated, 'pentest', '2026-06-01'), // expires today: counts as expired
    ])
    .execute();
  // Two submitted assessments: only the later one's failed answers count; one control is not in the set.
  for (const [submitted_at, answers] of [
    ['2026-01-01T00:00:00.000Z', [['mfa-admin', 'no']]],
    [
      '2026-03-01T00:00:00.000Z',
      [
        ['least-privilege', 'partial'],
        ['retired-control', 'no'],
        ['mfa-admin', 'yes'],
      ],
    ],
  ] as const) {
    const { id } = await store.db
      .insertInto('assessments')
      .values({
        vendor_id: rated,
        status: 'submitted',
        questionnaire_version: '1',
        requested_by: 'system',
        requested_at: submitted_at,
        due_on: '2026-03-01',
        submitted_at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await store.db
      .insertInto('assessment_answers')
      .values(
        answers.map(([control_id, answer]) => ({
          assessment_id: id,
          control_id,
          answer,
          answered_by: 'slack:UOLIVE',
          answered_at: submitted_at,
        })),
      )
      .execute();
  }
  for (const [external_id, rating, received_at] of [
    ['r1', 'F', '2026-05-01T00:00:00.000Z'],
    ['r2', 'C', '2026-05-20T00:00:00.000Z'],
  ] as const) {
    await store.db
      .insertInto('signals')
      .values({
        vendor_id: rated,
        source: 'ratings',
        external_id,
        kind: 'rating_change',
        severity: 'low',
        summary: `Rated ${rating}`,
        details: JSON.stringify({ rating }),
        observed_at: received_at,
        received_at,
      })
      .execute();
  }
  await insertVendor(store, { name: 'Gone', tier: 'high', nextReviewOn: '2026-01-01' }).then((id) =>
    store.db.updateTable('vendors').set({ status: 'offboarded' }).where('id', '=', id).execute(),
  );
  return [plain, overdue, busy, rated];
}

describe('daily posture snapshots', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTeamStore(`${TODAY}T10:00:00.000Z`);
  });
  afterEach(() => store.cleanup());

  it('score every vendor in service exactly as a posture lookup does, once a day', async () => {
    const inService = await portfolio(store);
    const report = await runSweep(store.deps);
    expect(report.snapshots).toBe(4);
    const snapshots = await store.db.selectFrom('posture_snapshots').selectAll().orderBy('vendor_id').execute();
    const expected = [];
    for (const id of inService) {
      const posture = await getPosture(store.db, store.deps, id, TODAY);
      expected.push({ vendor_id: id, taken_on: TODAY, score: posture.score, grade: posture.grade });
    }
    expect(snapshots).toEqual(expected);
    // The lookup agrees, and the portfolio is varied enough that the comparison means something.
    expect(new Set(snapshots.map((s) => s.score)).size).toBe(4);
    expect((await runSweep(store.deps)).snapshots).toBe(0);
  });

  it('scores a portfolio too large to name vendor by vendor the same way', async () => {
    const at = store.clock.now().toISOString();
    const tiers = TIERS;
    const vendors = Array.from({ length: 520 }, (_, i) => ({
      name: `Vendor ${i}`,
      name_key: `vendor ${i}`,
      services: '',
      data_types: '[]',
      regulatory_scope: '[]',
      criticality: 'medium' as const,
      tier: tiers[i % 4] ?? 'low',
      status: i % 50 === 0 ? ('offboarded' as const) : ('active' as const),
      next_review_on: i % 3 === 0 ? '2026-05-15' : '2026-12-01',
      created_at: at,
      updated_at: at,
    }));
    const ids = (await store.db.insertInto('vendors').values(vendors).returning('id').execute()).map((r) => r.id);
    for (const [i, id] of ids.entries()) {
      if (i % 7 === 0) await openTestFinding(store, id, `scan:${i}`, i % 2 ? 'high' : 'low');
    }
    await store.db
      .insertInto('evidence')
      .values(
        ids
          .filter((_, i) => i % 5 === 0)
          .map((vendor_id) => ({
            vendor_id,
            type: 'soc2_type2',
            expires_on: '2026-05-01',
            recorded_by: 'slack:UDANA',
            created_at: at,
            updated_at: at,
          })),
      )
      .execute();
    const report = await runSweep(store.deps);
    // 520 less the 11 offboarded: more than the scorer names in a list, so it reads every vendor's rows.
    expect(report.snapshots).toBe(509);
    const snapshots = await store.db.selectFrom('posture_snapshots').select(['vendor_id', 'score']).execute();
    const looked = [];
    for (const { vendor_id } of snapshots) {
      looked.push({ vendor_id, score: (await getPosture(store.db, store.deps, vendor_id, TODAY)).score });
    }
    expect(snapshots).toEqual(looked);
    expect(new Set(looked.map((s) => s.score)).size).toBeGreaterThan(4);
  }, 120_000);

  it('posts a drift finding only for a fall nobody was told about, and closes it when the score recovers', async () => {
    const slipping = await insertVendor(store, { name: 'Slipping', tier: 'high', nextReviewOn: '2027-01-01' });
    const known = await insertVendor(store, { name: 'Known', tier: 'high', nextReviewOn: '2027-01-01' });
    expect((await runSweep(store.deps)).snapshots).toBe(2);
    store.clock.set('2026-06-02T08:00:00.000Z');
    // Known: a high finding, posted as a card when it opened: its 12 points are news to nobody.
    await openTestFinding(store, known, 'scan:1', 'high');
    // Slipping: a rating provider reports D at low severity, which opens no finding: 15 points nobody saw.
    const rating = (externalId: string, value: string) =>
      inTransaction(store.db, (tx) =>
        recordSignal(tx, store.deps, dana, {
          vendorId: slipping,
          source: 'ratings',
          externalId,
          kind: 'rating_change',
          severity: 'low',
          summary: `Rating ${value}`,
          details: { rating: value },
          observedAt: store.clock.now().toISOString(),
        }),
      );
    await rating('r1', 'D');
    store.clock.set('2026-06-02T10:00:00.000Z');
    const knownCards = (await store.db.selectFrom('findings').select('id').where('vendor_id', '=', known).execute())
      .length;
    const next = await runSweep(store.deps);
    expect(next.drifted).toEqual([slipping]);
    const cards = next.messages.filter((m) => m.template === 'finding-card');
    expect(cards).toHaveLength(1);
    // Nothing new was opened for Known: its fall was the finding everyone already saw.
    expect(await store.db.selectFrom('findings').select('id').where('vendor_id', '=', known).execute()).toHaveLength(
      knownCards,
    );
    const drift = await store.db
      .selectFrom('findings')
      .selectAll()
      .where('source', '=', 'posture_drift')
      .executeTakeFirstOrThrow();
    expect(drift).toMatchObject({ vendor_id: slipping, state: 'open' });
    expect(drift.detail).toContain('External security rating D (-15, rating signal from ratings)');
    // The drift finding reports the fall; it does not deepen it.
    const before = (await getPosture(store.db, store.deps, slipping, '2026-06-02')).score;
    store.clock.set('2026-06-03T10:00:00.000Z');
    expect((await runSweep(store.deps)).drifted).toEqual([]);
    expect((await getPosture(store.db, store.deps, slipping, '2026-06-03')).score).toBe(before);
    // The rating recovers: the drift finding closes itself, said by the system.
    await rating('r2', 'A');
    store.clock.set('2026-06-04T10:00:00.000Z');
    await runSweep(store.deps);
    const closed = await store.db
      .selectFrom('findings')
      .selectAll()
      .where('id', '=', drift.id)
      .executeTakeFirstOrThrow();
    expect(closed).toMatchObject({ state: 'resolved', resolved_by: 'system' });
    expect(closed.resolution).toMatch(/^Posture recovered/);
  });
});
