import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Tier } from '../../src/core/common/vocabulary.ts';
import { acknowledge, assign, openFinding, resolve } from '../../src/core/findings/actions.ts';
import { findingsAssignedTo, listFindings, openFindingCounts } from '../../src/core/findings/queries.ts';
import { inTransaction } from '../../src/store/database.ts';
import { createTeamStore, dana, insertVendor, openTestFinding, outbox, sam } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

describe('where finding cards go', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTeamStore();
  });
  afterEach(() => store.cleanup());

  async function subscribe(channel: string, minTier: Tier | null) {
    await store.db
      .insertInto('subscriptions')
      .values({ channel, min_tier: minTier, created_by: dana.id, created_at: '2026-05-01T00:00:00.000Z' })
      .execute();
  }

  async function cardTargets(findingId: number) {
    return (await outbox(store))
      .filter((r) => r.template === 'finding-card' && r.subject === `finding:${findingId}`)
      .map((r) => r.target);
  }

  it('goes to the vendor’s own channel when it has one', async () => {
    await subscribe('slack:CALL', null);
    const vendorId = await insertVendor(store, { channel: 'teams:conv:acme' });
    const finding = await openTestFinding(store, vendorId);
    expect(await cardTargets(finding.id)).toEqual(['teams:conv:acme']);
  });

  it('goes to every subscription whose minimum tier admits the vendor, else the default channels', async () => {
    await subscribe('slack:CALL', null);
    await subscribe('slack:CHIGH', 'high');
    await subscribe('slack:CCRIT', 'critical');
    const high = await openTestFinding(store, await insertVendor(store, { name: 'High Co', tier: 'high' }), 'a');
    const low = await openTestFinding(store, await insertVendor(store, { name: 'Low Co', tier: 'low' }), 'b');
    const critical = await openTestFinding(store, await insertVendor(store, { name: 'Crit Co' }), 'c');
    expect(await cardTargets(high.id)).toEqual(['slack:CALL', 'slack:CHIGH']);
    expect(await cardTargets(low.id)).toEqual(['slack:CALL']);
    expect(await cardTargets(critical.id)).toEqual(['slack:CALL', 'slack:CHIGH', 'slack:CCRIT']);

    await store.db.deleteFrom('subscriptions').execute();
    const fallback = await openTestFinding(store, await insertVendor(store, { name: 'New Co', tier: 'low' }), 'd');
    expect(await cardTargets(fallback.id)).toEqual(['slack:CFINDINGS']);
  });

  it('keeps editing the messages it first posted, even after routing changes', async () => {
    await subscribe('slack:CALL', null);
    const finding = await openTestFinding(store, await insertVendor(store));
    await store.db.deleteFrom('subscriptions').execute();
    await subscribe('slack:CNEW', null);
    await inTransaction(store.deps.db, (tx) => acknowledge(tx, store.deps, dana, finding.id));
    expect(await cardTargets(finding.id)).toEqual(['slack:CALL', 'slack:CALL']);
  });

  it('opens once per dedupe key; a resolved finding stays closed', async () => {
    const vendorId = await insertVendor(store);
    const first = await openTestFinding(store, vendorId, 'signal:scanner:42');
    await inTransaction(store.deps.db, (tx) => resolve(tx, store.deps, dana, first.id, { note: 'Fixed' }));
    const again = await inTransaction(store.db, (tx) =>
      openFinding(tx, store.deps, dana, {
        vendorId,
        dedupeKey: 'signal:scanner:42',
        source: 'signal',
        title: 'Same thing again',
        detail: '',
        severity: 'critical',
      }),
    );
    expect(again).toMatchObject({ created: false, finding: { id: first.id, state: 'resolved', severity: 'high' } });
    expect((await outbox(store)).filter((r) => r.template === 'finding-card')).toHaveLength(2);
  });

  it('refuses an unknown vendor or severity', async () => {
    const open = (vendorId: number, severity: string) =>
      inTransaction(store.db, (tx) =>
        openFinding(tx, store.deps, dana, {
          vendorId,
          dedupeKey: 'x',
          source: 'manual',
          title: 't',
          detail: '',
          severity: severity as 'high',
        }),
      );
    await expect(open(999, 'high')).rejects.toMatchObject({ code: 'not_found' });
    await expect(open(await insertVendor(store), 'urgent')).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('finding queries', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTeamStore();
  });
  afterEach(() => store.cleanup());

  it('lists, filters, pages and counts', async () => {
    const acme = await insertVendor(store);
    const other = await insertVendor(store, { name: 'Beta Labs', tier: 'medium' });
    const low = await openTestFinding(store, acme, 'a', 'low');
    const critical = await openTestFinding(store, acme, 'b', 'critical');
    const medium = await openTestFinding(store, other, 'c', 'medium');
    const done = await openTestFinding(store, other, 'd', 'high');
    await inTransaction(store.deps.db, (tx) => resolve(tx, store.deps, dana, done.id, { note: 'Patched' }));
    await inTransaction(store.deps.db, (tx) => assign(tx, store.deps, dana, medium.id, sam));

    const all = await listFindings(store.db, { limit: 2, offset: 0 });
    expect(all.total).toBe(4);
    expect(all.items.map((f) => f.id)).toEqual([critical.id, done.id]);
    const page2 = await listFindings(store.db, { limit: 2, offset: 2 });
    expect(page2.items.map((f) => f.id)).toEqual([medium.id, low.id]);
    expect(page2.items[0]).toMatchObject({ vendor_name: 'Beta Labs', assignee_name: 'Sam Engineer' });

    const active = await listFindings(store.db, { vendorId: acme, states: ['open'], limit: 10, offset: 0 });
    expect(active.items.map((f) => f.id)).toEqual([critical.id, low.id]);
    expect((await listFindings(store.db, { severity: 'medium', limit: 10, offset: 0 })).total).toBe(1);
    expect((await listFindings(store.db, { assigneeId: sam.id, limit: 10, offset: 0 })).total).toBe(1);

    expect(await openFindingCounts(store.db)).toEqual({ critical: 1, high: 0, medium: 1, low: 1 });
    expect(await openFindingCounts(store.db, other)).toEqual({ critical: 0, high: 0, medium: 1, low: 0 });
    expect((await findingsAssignedTo(store.db, sam.id)).map((f) => f.id)).toEqual([medium.id]);
  });
});
