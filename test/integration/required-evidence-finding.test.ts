import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/core/common/actor.ts';
import { recordEvidence } from '../../src/core/evidence/record.ts';
import { REQUIRED_EVIDENCE_SOURCE } from '../../src/core/evidence/required-findings.ts';
import { openFinding, resolve } from '../../src/core/findings/actions.ts';
import { getPosture } from '../../src/core/posture/posture.ts';
import { runSweep } from '../../src/scheduler/sweep.ts';
import { inTransaction } from '../../src/store/database.ts';
import { createTeamStore, dana, insertVendor } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

// A vendor's missing required documents are one finding that lists them all, counted once each in the
// posture through that finding; findings opened one per document before are folded into it by the sweep.

describe('the required-evidence finding', () => {
  let store: TestStore;
  let vendorId: number;
  beforeEach(async () => {
    store = await createTeamStore();
    // PHI and critical tier: a BAA, SOC 2 or ISO 27001, and a pen test within 12 months are required.
    vendorId = await insertVendor(store, { name: 'Acme Health Cloud', tier: 'critical' });
  });
  afterEach(() => store.cleanup());

  const requiredFindings = () =>
    store.db
      .selectFrom('findings')
      .select(['id', 'state', 'title', 'resolution'])
      .where('source', '=', REQUIRED_EVIDENCE_SOURCE)
      .orderBy('id')
      .execute();
  const sweepOn = (day: string) => runSweep(store.deps, { now: new Date(`${day}T09:00:00.000Z`) });

  it('folds the findings opened one per document into one, closing the others as merged, audited', async () => {
    const legacy = [];
    for (const [rule, names] of [
      ['hipaa_baa', 'HIPAA BAA'],
      ['iso27001+soc2_type2', 'SOC 2 Type II or ISO 27001'],
    ]) {
      const { finding } = await inTransaction(store.db, (tx) =>
        openFinding(tx, store.deps, SYSTEM_ACTOR, {
          vendorId,
          dedupeKey: `required-evidence:${vendorId}:${rule}`,
          source: REQUIRED_EVIDENCE_SOURCE,
          title: `Acme Health Cloud: required evidence missing: ${names}`,
          detail: 'Policy requires it.',
          severity: 'high',
        }),
      );
      legacy.push(finding.id);
    }
    await sweepOn('2026-06-01');
    const [kept, merged] = legacy as [number, number];
    expect(await requiredFindings()).toEqual([
      {
        id: kept,
        state: 'open',
        title: 'Acme Health Cloud: required evidence missing: HIPAA BAA, SOC 2 Type II or ISO 27001, Penetration test',
        resolution: null,
      },
      { id: merged, state: 'resolved', title: expect.any(String), resolution: `Merged into #${kept}` },
    ]);
    const audit = await store.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id', 'reason'])
      .where('action', 'in', ['finding.update', 'finding.resolve'])
      .orderBy('seq')
      .execute();
    expect(audit).toEqual([
      {
        action: 'finding.update',
        entity_id: String(kept),
        reason:
          'Now also missing: Penetration test; Takes over SOC 2 Type II or ISO 27001 from the findings merged into it',
      },
      { action: 'finding.resolve', entity_id: String(merged), reason: `Merged into #${kept}` },
    ]);
    // Each missing document is one named deduction, counted from the finding; the finding adds none of its own.
    const posture = await getPosture(store.db, store.deps, vendorId, '2026-06-01');
    expect(posture.drivers.filter((d) => d.origin !== 'assessment').map((d) => [d.label, d.points, d.from])).toEqual([
      ['Required evidence missing: HIPAA BAA', -15, `finding #${kept}`],
      ['Required evidence missing: SOC 2 Type II or ISO 27001', -15, `finding #${kept}`],
      ['Required evidence missing: Penetration test', -15, `finding #${kept}`],
    ]);
    // A later sweep changes nothing.
    await sweepOn('2026-06-02');
    expect((await requiredFindings()).map((f) => f.state)).toEqual(['open', 'resolved']);
  });

  it('adds a document that stops counting to the same finding, and the fall is no drift: it was just reported', async () => {
    await inTransaction(store.db, (tx) =>
      recordEvidence(tx, store.deps, dana, {
        vendorId,
        type: 'Penetration test',
        issuedOn: '2025-06-02',
        expiresOn: '2027-06-02',
      }),
    );
    await sweepOn('2026-06-01');
    const [only] = await requiredFindings();
    expect(only!.title).toBe('Acme Health Cloud: required evidence missing: HIPAA BAA, SOC 2 Type II or ISO 27001');
    // On 2026-06-03 the pen test is more than 12 months old: required again, and on the same finding.
    await sweepOn('2026-06-02');
    await sweepOn('2026-06-03');
    expect(await requiredFindings()).toEqual([
      {
        id: only!.id,
        state: 'open',
        title: 'Acme Health Cloud: required evidence missing: HIPAA BAA, SOC 2 Type II or ISO 27001, Penetration test',
        resolution: null,
      },
    ]);
    const snapshots = await store.db
      .selectFrom('posture_snapshots')
      .select(['taken_on', 'score'])
      .where('vendor_id', '=', vendorId)
      .orderBy('taken_on')
      .execute();
    expect(snapshots.map((s) => s.score)).toEqual([70, 70, 55]);
    const drift = await store.db.selectFrom('findings').select('id').where('source', '=', 'posture_drift').execute();
    expect(drift).toEqual([]);
  });

  it('is not asked again for documents a person closed it for while they were missing', async () => {
    await sweepOn('2026-06-01');
    const [first] = await requiredFindings();
    await inTransaction(store.db, (tx) =>
      resolve(tx, store.deps, dana, first!.id, { note: 'Covered by the master agreement' }),
    );
    await sweepOn('2026-06-02');
    await sweepOn('2026-06-03');
    expect((await requiredFindings()).map((f) => [f.id, f.state])).toEqual([[first!.id, 'resolved']]);
  });
});
