import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestReply, loadDigest } from '../../src/chat/views/digest.ts';
import { startDueDiligence } from '../../src/core/lifecycle/due-diligence.ts';
import { requestVendor } from '../../src/core/lifecycle/intake.ts';
import { createVendor } from '../../src/core/vendors/create-update.ts';
import { runSweep } from '../../src/scheduler/sweep.ts';
import { inTransaction } from '../../src/store/database.ts';
import { createTeamStore, dana, sam } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

// The lifecycle's scheduled work: gated vendors get no review reminders, stalled due diligence is
// chased once per stall period, a contract about to end prompts offboarding, and the digest counts it.

const texts = async (store: TestStore, since: number) =>
  (
    await store.db
      .selectFrom('outbox')
      .selectAll()
      .where('id', '>', since)
      .where('template', '=', 'text')
      .orderBy('id')
      .execute()
  ).map((r) => [r.target, JSON.parse(r.data).text as string]);
const lastId = async (store: TestStore) =>
  Number(
    (
      await store.db
        .selectFrom('outbox')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirst()
    )?.id ?? 0,
  );

describe('scheduled lifecycle work', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTeamStore();
  });
  afterEach(() => store.cleanup());

  const run = <T>(work: Parameters<typeof inTransaction<T>>[1]) => inTransaction(store.db, work);

  it('never sends review reminders for vendors not yet approved, while an active one gets its own', async () => {
    for (const [name, status] of [
      ['Gated Co', 'requested'],
      ['Reviewing Co', 'in_review'],
      ['Live Co', 'active'],
    ] as const) {
      await run((tx) =>
        createVendor(tx, store.deps, dana, {
          name,
          criticality: 'high',
          dataTypes: ['PHI'],
          status,
          lastReviewOn: '2025-11-20',
        }),
      );
    }
    const report = await runSweep(store.deps, { now: new Date('2026-06-01T09:00:00Z') });
    const reviewed = report.fired.filter((f) => f.key.startsWith('review:')).map((f) => f.key);
    const live = (
      await store.db.selectFrom('vendors').select('id').where('name', '=', 'Live Co').executeTakeFirstOrThrow()
    ).id;
    expect(reviewed).toEqual([`review:${live}:2026-05-20:overdue-7`]);
  });

  it('chases stalled due diligence once per stall period, and prompts offboarding before a contract ends', async () => {
    const { vendor: idle } = await run((tx) =>
      requestVendor(tx, store.deps, sam, { name: 'Idle Labs', service: 'Lab portal', data: ['none'] }),
    );
    const { vendor: reviewing } = await run((tx) =>
      requestVendor(tx, store.deps, sam, { name: 'Slow Diaries', service: 'eCOA', data: ['PHI'] }),
    );
    await run((tx) => startDueDiligence(tx, store.deps, dana, reviewing.id));
    await run((tx) =>
      createVendor(tx, store.deps, dana, { name: 'Ending CRO', criticality: 'low', contractEnd: '2026-06-25' }),
    );
    let since = await lastId(store);
    await runSweep(store.deps, { now: new Date('2026-06-01T09:30:00Z') });
    expect(await texts(store, since)).toEqual([
      [
        'slack:CFINDINGS',
        'The contract with Ending CRO ends on 2026-06-25 (in 24 days). Start offboarding with `/vendor offboard "Ending CRO"`: access, integrations, our data and the BAA/DPA duties.',
      ],
    ]);
    since = await lastId(store);
    await runSweep(store.deps, { now: new Date('2026-06-08T09:30:00Z') });
    expect(await texts(store, since)).toEqual([
      [
        'slack:CFINDINGS',
        'Idle Labs (requested) has not been picked up for 7 days, since 2026-06-01. Start due diligence with `/vendor review "Idle Labs"`.',
      ],
      [
        dana.id,
        expect.stringMatching(
          /^Slow Diaries \(in due diligence\) has not moved for 7 days, since 2026-06-01\. Still missing: HIPAA BAA \(holds PHI\);/,
        ),
      ],
    ]);
    since = await lastId(store);
    await runSweep(store.deps, { now: new Date('2026-06-10T09:30:00Z') });
    expect(await texts(store, since)).toEqual([]);
    const digest = await loadDigest(store.db, '2026-06-08', store.deps.policy);
    expect(digest.dueDiligence).toEqual({ requested: 1, inReview: 1, stalled: 2 });
    const text = (digestReply(digest, false).blocks ?? []).map((b) => ('text' in b ? b.text : '')).join('\n');
    expect(text).toContain('**Due diligence**: 1 vendor requested, 1 in review, ⚠️ 2 stalled');
    expect(idle.status).toBe('requested');
  });
});
