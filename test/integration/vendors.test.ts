import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditCount, auditTrail } from '../../src/core/audit/log.ts';
import { overrideTier, setOwner } from '../../src/core/vendors/admin.ts';
import { addAsset, vendorIdsForAsset } from '../../src/core/vendors/assets.ts';
import { createVendor, updateVendor } from '../../src/core/vendors/create-update.ts';
import { findVendorByName, listVendors } from '../../src/core/vendors/lookup.ts';
import { upsertVendor } from '../../src/core/vendors/upsert.ts';
import { inTransaction } from '../../src/store/database.ts';
import { createAnalystStore, dana } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

describe('vendor inventory', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createAnalystStore();
  });
  afterEach(() => store.cleanup());

  const audits = async (id: number) =>
    (await auditTrail(store.db, 'vendor', id)).map((a) => ({
      action: a.action,
      before: a.before ? JSON.parse(a.before) : null,
      after: a.after ? JSON.parse(a.after) : null,
      reason: a.reason,
      actor: a.actor_name,
    }));

  it('creates a vendor with a derived tier, canonical lists and a first review 30 days out, audited', async () => {
    const v = await inTransaction(store.deps.db, (tx) =>
      createVendor(tx, store.deps, dana, {
        name: '  Acme   Health ',
        criticality: 'HIGH',
        dataTypes: 'pii; confidential',
        regulatoryScope: ['hipaa', 'pci-dss', '21 cfr part 11'],
      }),
    );
    expect(v).toMatchObject({
      name: 'Acme Health',
      tier: 'critical',
      status: 'active',
      data_types: '["PII","confidential"]',
      regulatory_scope: '["HIPAA","21 CFR Part 11","PCI DSS"]',
      next_review_on: '2026-07-01',
      last_review_on: null,
    });
    const trail = await audits(v.id);
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ action: 'vendor.create', before: null, actor: 'Dana Analyst' });
    expect(trail[0]?.after).toMatchObject({
      name: 'Acme Health',
      tier: 'critical',
      data_types: ['PII', 'confidential'],
    });
  });

  it('counts the next review from the last completed review by tier cadence', async () => {
    const v = await inTransaction(store.deps.db, (tx) =>
      createVendor(tx, store.deps, dana, {
        name: 'Labs Inc',
        criticality: 'low',
        dataTypes: ['PHI'],
        lastReviewOn: '2025-08-31',
      }),
    );
    expect(v.next_review_on).toBe('2026-02-28');
  });

  it('refuses a duplicate name ignoring case and writes nothing', async () => {
    await inTransaction(store.deps.db, (tx) =>
      createVendor(tx, store.deps, dana, { name: 'Acme Health', criticality: 'low' }),
    );
    const before = await auditCount(store.db);
    await expect(
      inTransaction(store.deps.db, (tx) =>
        createVendor(tx, store.deps, dana, { name: 'ACME  health', criticality: 'high' }),
      ),
    ).rejects.toThrow('A vendor named “Acme Health” already exists. Nothing was added.');
    expect(await auditCount(store.db)).toBe(before);
    expect((await listVendors(store.db)).total).toBe(1);
  });

  it('names accepted values when a value is not in the vocabulary', async () => {
    await expect(
      inTransaction(store.deps.db, (tx) =>
        createVendor(tx, store.deps, dana, { name: 'Acme', criticality: 'low', dataTypes: ['PHI', 'SSN'] }),
      ),
    ).rejects.toThrow('Data types must be one of PHI, PII, confidential, none; “SSN” is not.');
  });

  it('re-derives the tier on update and audits only what moved', async () => {
    const v = await inTransaction(store.deps.db, (tx) =>
      createVendor(tx, store.deps, dana, { name: 'Acme', criticality: 'medium', dataTypes: ['none'] }),
    );
    expect(v.tier).toBe('low');
    const { vendor, changed } = await inTransaction(store.deps.db, (tx) =>
      updateVendor(tx, store.deps, dana, {
        vendorId: v.id,
        changes: { dataTypes: ['confidential'], criticality: 'high', services: 'Payroll' },
      }),
    );
    expect(changed).toBe(true);
    expect(vendor.tier).toBe('high');
    expect(vendor.version).toBe(2);
    const update = (await audits(v.id))[1];
    expect(update).toEqual({
      action: 'vendor.update',
      before: { criticality: 'medium', data_types: ['none'], services: '', tier: 'low' },
      after: { criticality: 'high', data_types: ['confidential'], services: 'Payroll', tier: 'high' },
      reason: null,
      actor: 'Dana Analyst',
    });
    const again = await inTransaction(store.deps.db, (tx) =>
      updateVendor(tx, store.deps, dana, { vendorId: v.id, changes: { criticality: 'High' } }),
    );
    expect(again.changed).toBe(false);
    expect(await audits(v.id)).toHaveLength(2);
  });

  it('keeps an override through updates, needs a reason, and moves the next review with the cadence', async () => {
    const v = await inTransaction(store.deps.db, (tx) =>
      createVendor(tx, store.deps, dana, {
        name: 'Acme',
        criticality: 'low',
        lastReviewOn: '2026-01-31',
      }),
    );
    expect(v).toMatchObject({ tier: 'low', next_review_on: '2029-01-31' });
    await expect(
      inTransaction(store.deps.db, (tx) =>
        overrideTier(tx, store.deps, dana, { vendorId: v.id, tier: 'critical', reason: ' ' }),
      ),
    ).rejects.toThrow(/give a reason/);
    const { vendor } = await inTransaction(store.deps.db, (tx) =>
      overrideTier(tx, store.deps, dana, {
        vendorId: v.id,
        tier: 'critical',
        reason: 'Hosts our clinical trial randomisation',
      }),
    );
    expect(vendor).toMatchObject({ tier: 'critical', next_review_on: '2026-07-31' });
    const after = await inTransaction(store.deps.db, (tx) =>
      updateVendor(tx, store.deps, dana, { vendorId: v.id, changes: { dataTypes: ['none'] } }),
    );
    expect(after.vendor.tier).toBe('critical');
    const trail = await audits(v.id);
    expect(trail[1]).toMatchObject({
      action: 'vendor.tier_override',
      before: { tier: 'low', tier_override_reason: null, next_review_on: '2029-01-31' },
      after: { tier: 'critical', tier_override_reason: 'Hosts our clinical trial randomisation' },
      reason: 'Hosts our clinical trial randomisation',
    });
    const removed = await inTransaction(store.deps.db, (tx) =>
      overrideTier(tx, store.deps, dana, { vendorId: v.id, tier: null, reason: 'Scope reduced' }),
    );
    expect(removed.vendor).toMatchObject({ tier: 'low', tier_override_reason: null, next_review_on: '2029-01-31' });
  });

  it('sets the owner and declares assets that signals can be routed by', async () => {
    const v = await inTransaction(store.deps.db, (tx) =>
      createVendor(tx, store.deps, dana, { name: 'Acme', criticality: 'low' }),
    );
    await inTransaction(store.deps.db, (tx) =>
      setOwner(tx, store.deps, dana, { vendorId: v.id, ownerId: 'slack:UOWNER' }),
    );
    await expect(
      inTransaction(store.deps.db, (tx) => setOwner(tx, store.deps, dana, { vendorId: v.id, ownerId: 'Bob' })),
    ).rejects.toThrow(/slack:U0123/);
    expect(
      (
        await inTransaction(store.deps.db, (tx) =>
          addAsset(tx, store.deps, dana, { vendorId: v.id, value: 'https://API.acme.example/' }),
        )
      ).created,
    ).toBe(true);
    expect(
      (
        await inTransaction(store.deps.db, (tx) =>
          addAsset(tx, store.deps, dana, { vendorId: v.id, value: 'https://api.acme.example' }),
        )
      ).created,
    ).toBe(false);
    await expect(
      inTransaction(store.deps.db, (tx) => addAsset(tx, store.deps, dana, { vendorId: v.id, value: 'not a host' })),
    ).rejects.toThrow(/not a host/);
    expect(await vendorIdsForAsset(store.db, 'api.acme.example')).toEqual([v.id]);
    expect((await audits(v.id)).map((a) => a.action)).toEqual(['vendor.create', 'vendor.owner', 'vendor.asset_add']);
  });

  it('suggests the closest name when a lookup misses', async () => {
    for (const name of ['Acme Health', 'Globex Labs', 'Initech']) {
      await inTransaction(store.deps.db, (tx) => createVendor(tx, store.deps, dana, { name, criticality: 'low' }));
    }
    expect((await findVendorByName(store.db, 'acme HEALTH')).name).toBe('Acme Health');
    await expect(findVendorByName(store.db, 'Acme Healht')).rejects.toThrow(
      'No vendor named “Acme Healht”. Did you mean “Acme Health”?',
    );
    // A unique beginning of a name is taken as the name.
    expect((await findVendorByName(store.db, 'globex')).name).toBe('Globex Labs');
    await expect(findVendorByName(store.db, 'Umbrella Corp')).rejects.toThrow(/^No vendor named “Umbrella Corp”\.$/);
  });

  it('filters and pages the list, with overdue vendors most overdue first', async () => {
    const mk = (name: string, extra: object) =>
      inTransaction(store.deps.db, (tx) => createVendor(tx, store.deps, dana, { name, criticality: 'low', ...extra }));
    await mk('Alpha', { dataTypes: ['PHI'], lastReviewOn: '2025-10-01' }); // critical, due 2026-04-01
    await mk('Bravo', { dataTypes: ['PHI'], lastReviewOn: '2025-11-15', ownerId: 'slack:UO' }); // due 2026-05-15
    await mk('Charlie', { lastReviewOn: '2026-01-01' }); // low, due 2029
    await mk('Delta', { dataTypes: ['PHI'], lastReviewOn: '2025-09-01', status: 'offboarded' });
    const overdue = await listVendors(store.db, { overdueOn: '2026-06-01' });
    expect(overdue.rows.map((r) => r.name)).toEqual(['Alpha', 'Bravo']);
    expect(overdue.total).toBe(2);
    expect((await listVendors(store.db, { tier: 'Critical' })).total).toBe(3);
    expect((await listVendors(store.db, { ownerId: 'slack:UO' })).rows.map((r) => r.name)).toEqual(['Bravo']);
    expect((await listVendors(store.db, { status: 'offboarded' })).rows.map((r) => r.name)).toEqual(['Delta']);
    const page = await listVendors(store.db, { limit: 2, offset: 2 });
    expect(page).toMatchObject({ total: 4 });
    expect(page.rows.map((r) => r.name)).toEqual(['Charlie', 'Delta']);
  });

  it('rolls back a whole import when one row is bad', async () => {
    const rows = [
      { name: 'Good One', criticality: 'low' },
      { name: 'Bad One', criticality: 'extreme' },
    ];
    await expect(
      inTransaction(store.db, async (tx) => {
        for (const row of rows) await upsertVendor(tx, store.deps, dana, row);
      }),
    ).rejects.toThrow('Criticality must be one of high, medium, low; “extreme” is not.');
    expect((await listVendors(store.db)).total).toBe(0);
    expect(await auditCount(store.db)).toBe(1); // the role grant only
  });

  it('counts the first review from the local date where the organisation works', async () => {
    store.clock.set('2026-06-30T23:30:00Z'); // already 1 July in Tokyo
    const v = await inTransaction({ ...store.deps, timeZone: 'Asia/Tokyo' }.db, (tx) =>
      createVendor(tx, { ...store.deps, timeZone: 'Asia/Tokyo' }, dana, {
        name: 'Acme',
        criticality: 'low',
      }),
    );
    expect(v.next_review_on).toBe('2026-07-31');
    const utc = await inTransaction(store.deps.db, (tx) =>
      createVendor(tx, store.deps, dana, { name: 'Globex', criticality: 'low' }),
    );
    expect(utc.next_review_on).toBe('2026-07-30');
  });

  it('upserts idempotently for imports', async () => {
    const row = {
      name: 'Acme',
      criticality: 'high',
      dataTypes: 'PII',
      ownerId: 'slack:UO',
      lastReviewOn: '2026-01-15',
    };
    const run = () => inTransaction(store.db, (tx) => upsertVendor(tx, store.deps, dana, row));
    expect(await run()).toBe('created');
    const audited = await auditCount(store.db);
    expect(await run()).toBe('unchanged');
    expect(await auditCount(store.db)).toBe(audited);
    const changed = { ...row, name: 'ACME', criticality: 'medium' };
    expect(await inTransaction(store.db, (tx) => upsertVendor(tx, store.deps, dana, changed))).toBe('updated');
    expect(await findVendorByName(store.db, 'acme')).toMatchObject({ tier: 'high', next_review_on: '2027-01-15' });
  });
});
