import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditTrail } from '../../src/core/audit/log.ts';
import { SYSTEM_ACTOR } from '../../src/core/common/actor.ts';
import { recordEvidence } from '../../src/core/evidence/record.ts';
import { openFinding } from '../../src/core/findings/actions.ts';
import { listSnapshots, recordPostureSnapshot } from '../../src/core/posture/drift.ts';
import { createVendor } from '../../src/core/vendors/create-update.ts';
import { inTransaction } from '../../src/store/database.ts';
import { createAnalystStore, dana } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

describe('posture snapshots and drift', () => {
  let store: TestStore;
  let vendorId: number;
  beforeEach(async () => {
    store = await createAnalystStore();
    // Reviewed and holding the documents policy requires, so only the findings below move its score.
    vendorId = (
      await inTransaction(store.deps.db, (tx) =>
        createVendor(tx, store.deps, dana, {
          name: 'Acme',
          criticality: 'low',
          dataTypes: ['PII'],
          lastReviewOn: '2026-05-01',
        }),
      )
    ).id;
    await inTransaction(store.deps.db, async (tx) => {
      await recordEvidence(tx, store.deps, dana, { vendorId, type: 'soc2_type2', expiresOn: '2027-12-31' });
      await recordEvidence(tx, store.deps, dana, {
        vendorId,
        type: 'pentest',
        issuedOn: '2026-03-01',
        expiresOn: '2027-03-01',
      });
    });
  });
  afterEach(() => store.cleanup());

  const highFinding = (key: string) =>
    inTransaction(store.db, (tx) =>
      openFinding(tx, store.deps, dana, {
        vendorId,
        dedupeKey: key,
        source: 'test',
        title: key,
        detail: key,
        severity: 'high',
      }),
    );
  const driftFindings = () =>
    store.db.selectFrom('findings').selectAll().where('source', '=', 'posture_drift').execute();

  it('stores one snapshot a day, replacing a re-run', async () => {
    await inTransaction(store.deps.db, (tx) =>
      recordPostureSnapshot(tx, store.deps, SYSTEM_ACTOR, vendorId, '2026-06-01'),
    );
    await highFinding('x');
    const rerun = await inTransaction(store.deps.db, (tx) =>
      recordPostureSnapshot(tx, store.deps, SYSTEM_ACTOR, vendorId, '2026-06-01'),
    );
    expect(rerun.drift).toBeNull();
    expect(await listSnapshots(store.db, vendorId, '2026-01-01')).toEqual([
      { takenOn: '2026-06-01', score: 88, grade: 'B' },
    ]);
  });

  it('opens one drift finding when the score falls 10 points within the week, not one a day', async () => {
    expect(
      (
        await inTransaction(store.deps.db, (tx) =>
          recordPostureSnapshot(tx, store.deps, SYSTEM_ACTOR, vendorId, '2026-06-01'),
        )
      ).finding,
    ).toBeNull();
    await highFinding('a');
    const dayTwo = await inTransaction(store.deps.db, (tx) =>
      recordPostureSnapshot(tx, store.deps, SYSTEM_ACTOR, vendorId, '2026-06-02'),
    );
    expect(dayTwo.drift).toMatchObject({
      kind: 'score_drop',
      message: 'Posture fell 12 points since 2026-06-01 (100 → 88, grade A → B).',
    });
    expect(dayTwo.finding).toMatchObject({
      title: 'Acme: posture fell from 100 (A) to 88 (B)',
      severity: 'medium', // a high-tier vendor at grade B: medium residual risk
      state: 'open',
    });
    expect(dayTwo.finding?.detail).toContain('What pulls the score down now: a (-12, finding #1).');
    const audited = await auditTrail(store.db, 'finding', dayTwo.finding!.id);
    expect(audited.map((a) => [a.action, a.actor_name])).toEqual([['finding.open', 'Vendor Risk Bot']]);

    // The drift finding itself costs points; the next days fall further but open nothing new.
    await highFinding('b');
    const dayThree = await inTransaction(store.deps.db, (tx) =>
      recordPostureSnapshot(tx, store.deps, SYSTEM_ACTOR, vendorId, '2026-06-03'),
    );
    expect(dayThree.drift).toMatchObject({ kind: 'score_drop' });
    expect(dayThree.finding).toBeNull();
    expect(await driftFindings()).toHaveLength(1);
  });

  it('opens a new drift finding after the last one was resolved', async () => {
    await inTransaction(store.deps.db, (tx) =>
      recordPostureSnapshot(tx, store.deps, SYSTEM_ACTOR, vendorId, '2026-06-01'),
    );
    await highFinding('a');
    await inTransaction(store.deps.db, (tx) =>
      recordPostureSnapshot(tx, store.deps, SYSTEM_ACTOR, vendorId, '2026-06-02'),
    );
    await store.db.updateTable('findings').set({ state: 'resolved' }).where('source', '=', 'posture_drift').execute();
    await highFinding('b');
    await highFinding('c');
    const later = await inTransaction(store.deps.db, (tx) =>
      recordPostureSnapshot(tx, store.deps, SYSTEM_ACTOR, vendorId, '2026-06-04'),
    );
    expect(later.finding).not.toBeNull();
    expect(await driftFindings()).toHaveLength(2);
  });
});
