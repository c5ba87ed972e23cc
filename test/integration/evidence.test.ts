import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditCount, auditTrail } from '../../src/core/audit/log.ts';
import { SYSTEM_ACTOR } from '../../src/core/common/actor.ts';
import { expiredEvidenceSeverity, openExpiredEvidenceFinding } from '../../src/core/evidence/expiry.ts';
import { evidenceStatus, listEvidence, listEvidenceDue, recordEvidence } from '../../src/core/evidence/record.ts';
import { createVendor } from '../../src/core/vendors/create-update.ts';
import { inTransaction } from '../../src/store/database.ts';
import { createAnalystStore, dana, olive } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

describe('evidence', () => {
  let store: TestStore;
  let vendorId: number;
  beforeEach(async () => {
    store = await createAnalystStore();
    vendorId = (
      await inTransaction(store.deps.db, (tx) =>
        createVendor(tx, store.deps, dana, { name: 'Acme', criticality: 'high', ownerId: olive.id }),
      )
    ).id;
  });
  afterEach(() => store.cleanup());

  it('records once per document: repeating it changes nothing, adding a link updates it, audited', async () => {
    const input = { vendorId, type: 'SOC 2 Type II', issuedOn: '2025-07-01', expiresOn: '2026-07-01' };
    const first = await inTransaction(store.deps.db, (tx) => recordEvidence(tx, store.deps, olive, input));
    expect(first.outcome).toBe('created');
    expect(first.evidence).toMatchObject({ type: 'soc2_type2', recorded_by: olive.id });
    const audited = await auditCount(store.db);
    expect((await inTransaction(store.deps.db, (tx) => recordEvidence(tx, store.deps, dana, input))).outcome).toBe(
      'unchanged',
    );
    expect(await auditCount(store.db)).toBe(audited);
    const linked = await inTransaction(store.deps.db, (tx) =>
      recordEvidence(tx, store.deps, dana, { ...input, url: 'https://trust.acme.example/soc2' }),
    );
    expect(linked.outcome).toBe('updated');
    expect(await listEvidence(store.db, vendorId)).toHaveLength(1);
    const trail = await auditTrail(store.db, 'evidence', first.evidence.id);
    expect(trail.map((a) => a.action)).toEqual(['evidence.record', 'evidence.record']);
    expect(JSON.parse(trail[1]?.before ?? '{}')).toMatchObject({ url: null });
    expect(JSON.parse(trail[1]?.after ?? '{}')).toMatchObject({ url: 'https://trust.acme.example/soc2' });
  });

  it('refuses unknown types and impossible dates with the accepted values', async () => {
    await expect(
      inTransaction(store.deps.db, (tx) =>
        recordEvidence(tx, store.deps, olive, { vendorId, type: 'SOC 3', expiresOn: '2027-01-01' }),
      ),
    ).rejects.toThrow(/must be one of SOC 2 Type II, ISO 27001, Penetration test/);
    await expect(
      inTransaction(store.deps.db, (tx) =>
        recordEvidence(tx, store.deps, olive, {
          vendorId,
          type: 'pentest',
          issuedOn: '2027-02-01',
          expiresOn: '2027-01-01',
        }),
      ),
    ).rejects.toThrow('The Penetration test cannot expire (2027-01-01) before it was issued (2027-02-01).');
  });

  it('reports valid, expiring, expired and missing from the latest document of each type', async () => {
    const rec = (type: string, expiresOn: string) =>
      inTransaction(store.deps.db, (tx) => recordEvidence(tx, store.deps, olive, { vendorId, type, expiresOn }));
    await rec('soc2_type2', '2026-05-01');
    await rec('soc2_type2', '2027-05-01'); // the renewal supersedes the lapsed report
    await rec('iso27001', '2026-07-01');
    await rec('pentest', '2026-06-01');
    await rec('insurance', '2026-07-02');
    const status = evidenceStatus(await listEvidence(store.db, vendorId), '2026-06-01', store.deps.policy);
    expect(status.map((s) => [s.type, s.status, s.daysLeft])).toEqual([
      ['soc2_type2', 'valid', 334],
      ['iso27001', 'expiring', 30],
      ['pentest', 'expired', 0],
      ['hipaa_baa', 'missing', null],
      ['gdpr_dpa', 'missing', null],
      ['insurance', 'valid', 31],
      ['part11_attestation', 'missing', null],
    ]);
  });

  it('lists current documents due for the scheduler, skipping renewed ones and offboarded vendors', async () => {
    const rec = (vendor: number, type: string, expiresOn: string) =>
      inTransaction(store.deps.db, (tx) => recordEvidence(tx, store.deps, dana, { vendorId: vendor, type, expiresOn }));
    await rec(vendorId, 'soc2_type2', '2026-06-20');
    await rec(vendorId, 'iso27001', '2026-05-01');
    await rec(vendorId, 'iso27001', '2029-05-01');
    await rec(vendorId, 'pentest', '2026-12-01');
    const gone = await inTransaction(store.deps.db, (tx) =>
      createVendor(tx, store.deps, dana, { name: 'Gone', criticality: 'low', status: 'offboarded' }),
    );
    await rec(gone.id, 'soc2_type2', '2026-06-10');
    const due = await listEvidenceDue(store.db, '2026-07-01');
    expect(due.map((e) => [e.vendor_name, e.type, e.expires_on, e.owner_id])).toEqual([
      ['Acme', 'soc2_type2', '2026-06-20', olive.id],
    ]);
  });
});

describe('evidence expiry findings', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createAnalystStore();
  });
  afterEach(() => store.cleanup());

  it('opens one finding for a lapsed BAA, more severe for a critical vendor, and none once renewed', async () => {
    const vendor = await inTransaction(store.deps.db, (tx) =>
      createVendor(tx, store.deps, dana, { name: 'Acme', criticality: 'low', dataTypes: ['PHI'] }),
    );
    const baa = await inTransaction(store.deps.db, (tx) =>
      recordEvidence(tx, store.deps, dana, {
        vendorId: vendor.id,
        type: 'hipaa_baa',
        expiresOn: '2026-06-01',
      }),
    );
    const open = () =>
      inTransaction(store.db, (tx) => openExpiredEvidenceFinding(tx, store.deps, SYSTEM_ACTOR, baa.evidence.id));
    const first = await open();
    expect(first).toMatchObject({
      created: true,
      finding: { title: 'Acme: HIPAA BAA expired on 2026-06-01', severity: 'critical', source: 'evidence_expiry' },
    });
    expect(first?.finding.detail).toContain('is itself a HIPAA violation');
    expect((await open())?.created).toBe(false);

    const pentest = await inTransaction(store.deps.db, (tx) =>
      recordEvidence(tx, store.deps, dana, {
        vendorId: vendor.id,
        type: 'pentest',
        expiresOn: '2026-05-01',
      }),
    );
    await inTransaction(store.deps.db, (tx) =>
      recordEvidence(tx, store.deps, dana, { vendorId: vendor.id, type: 'pentest', expiresOn: '2027-05-01' }),
    );
    expect(
      await inTransaction(store.db, (tx) =>
        openExpiredEvidenceFinding(tx, store.deps, SYSTEM_ACTOR, pentest.evidence.id),
      ),
    ).toBeNull();
  });

  it('weighs reports below contracts for an ordinary vendor', () => {
    expect(expiredEvidenceSeverity('soc2_type2', 'medium')).toBe('medium');
    expect(expiredEvidenceSeverity('soc2_type2', 'critical')).toBe('high');
    expect(expiredEvidenceSeverity('gdpr_dpa', 'high')).toBe('high');
    expect(expiredEvidenceSeverity('insurance', 'low')).toBe('low');
  });
});
