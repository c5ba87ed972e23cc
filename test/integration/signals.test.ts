import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditCount, auditTrail } from '../../src/core/audit/log.ts';
import { todayOf } from '../../src/core/common/dates.ts';
import { getPosture } from '../../src/core/posture/posture.ts';
import { listSignals, recordSignal, type SignalInput } from '../../src/core/signals/record.ts';
import { createVendor } from '../../src/core/vendors/create-update.ts';
import { inTransaction } from '../../src/store/database.ts';
import { createAnalystStore, dana } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

describe('monitoring signals', () => {
  let store: TestStore;
  let vendorId: number;
  beforeEach(async () => {
    store = await createAnalystStore();
    const vendor = await inTransaction(store.deps.db, (tx) =>
      createVendor(tx, store.deps, dana, {
        name: 'TrialCloud',
        criticality: 'high',
        dataTypes: ['PHI'],
        regulatoryScope: ['HIPAA'],
      }),
    );
    vendorId = vendor.id;
  });
  afterEach(() => store.cleanup());

  const exposed = (): SignalInput => ({
    vendorId,
    source: 'attack-surface',
    externalId: 'evt-42',
    kind: 'exposed_datastore',
    severity: 'critical',
    summary: 'Elasticsearch 7.10 on 203.0.113.7:9200 without authentication',
    details: { host: '203.0.113.7', port: 9200, service: 'Elasticsearch' },
    observedAt: '2026-06-01T08:30:00+02:00',
  });

  // The latest rating is what the vendor's posture shows as a driver, with its provider.
  const ratingDriver = async () =>
    (await getPosture(store.db, store.deps, vendorId, todayOf(store.deps))).drivers.find((d) =>
      d.label.startsWith('External security rating'),
    );
  const findingsCount = async () =>
    Number(
      (
        await store.db
          .selectFrom('findings')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('opens one critical finding that explains the exposure, and links it from the signal', async () => {
    const result = await inTransaction(store.deps.db, (tx) => recordSignal(tx, store.deps, dana, exposed()));
    if (result.duplicate) throw new Error('first copy reported as a duplicate');
    expect(result.signal).toMatchObject({ observed_at: '2026-06-01T06:30:00.000Z', finding_id: result.finding?.id });
    expect(result.findingCreated).toBe(true);
    expect(result.finding).toMatchObject({
      severity: 'critical',
      state: 'open',
      dedupe_key: 'signal:attack-surface:evt-42',
      title: 'TrialCloud: unauthenticated Elasticsearch open to the internet at 203.0.113.7:9200',
      sla_due_on: '2026-06-08',
    });
    expect(result.finding?.detail).toMatch(/anyone on the internet can read/);
    expect(result.finding?.detail).toMatch(/1\.6 million clinical-trial records/);
    expect(result.finding?.detail).toMatch(/HIPAA: a business associate must tell us/);
    const trail = await auditTrail(store.db, 'signal', result.signal.id);
    expect(trail.map((a) => a.action)).toEqual(['signal.record']);
    expect(JSON.parse(trail[0]?.after ?? '{}')).toMatchObject({
      finding_id: result.finding?.id,
      kind: 'exposed_datastore',
    });
  });

  it('applies the same source and external id once: the repeat changes nothing', async () => {
    await inTransaction(store.deps.db, (tx) => recordSignal(tx, store.deps, dana, exposed()));
    const audited = await auditCount(store.db);
    const outbox = await store.db.selectFrom('outbox').selectAll().execute();
    const again = await inTransaction(store.deps.db, (tx) =>
      recordSignal(tx, store.deps, dana, { ...exposed(), severity: 'low', summary: 'resent' }),
    );
    expect(again.duplicate).toBe(true);
    expect(again.signal.summary).toBe('Elasticsearch 7.10 on 203.0.113.7:9200 without authentication');
    expect(await auditCount(store.db)).toBe(audited);
    expect(await findingsCount()).toBe(1);
    expect(await listSignals(store.db, vendorId)).toHaveLength(1);
    expect(await store.db.selectFrom('outbox').selectAll().execute()).toEqual(outbox);
    // Another source may reuse the id: that is a different event.
    expect(
      (
        await inTransaction(store.deps.db, (tx) =>
          recordSignal(tx, store.deps, dana, { ...exposed(), source: 'other-scanner' }),
        )
      ).duplicate,
    ).toBe(false);
  });

  it('records low signals and middling ratings without opening findings', async () => {
    const low = await inTransaction(store.deps.db, (tx) =>
      recordSignal(tx, store.deps, dana, {
        ...exposed(),
        externalId: 'evt-43',
        kind: 'tls_certificate',
        severity: 'low',
        details: { host: 'api.trialcloud.example', issue: 'expires in 20 days' },
      }),
    );
    expect(low).toMatchObject({ duplicate: false, finding: null });
    const c = await inTransaction(store.deps.db, (tx) =>
      recordSignal(tx, store.deps, dana, {
        ...exposed(),
        externalId: 'rating-1',
        kind: 'rating_change',
        severity: 'high',
        details: { rating: 'C', previousRating: 'B' },
      }),
    );
    expect(c).toMatchObject({ duplicate: false, finding: null });
    expect(await findingsCount()).toBe(0);
    expect(await ratingDriver()).toMatchObject({ label: 'External security rating C', detail: /attack-surface/ });
  });

  it('opens a finding when the rating falls to D or F', async () => {
    const f = await inTransaction(store.deps.db, (tx) =>
      recordSignal(tx, store.deps, dana, {
        ...exposed(),
        externalId: 'rating-2',
        kind: 'rating_change',
        severity: 'medium',
        summary: 'Security rating changed',
        details: { rating: 'f', previousRating: 'c', provider: 'RatingCo' },
      }),
    );
    if (f.duplicate) throw new Error('unexpected duplicate');
    expect(f.finding?.title).toBe('TrialCloud: external security rating fell from C to F');
    // The fall is counted once, through its finding, not again as a rating deduction.
    expect(await ratingDriver()).toBeUndefined();
    const drivers = (await getPosture(store.db, store.deps, vendorId, todayOf(store.deps))).drivers;
    expect(drivers.filter((d) => d.from === `finding #${f.finding?.id}`)).toHaveLength(1);
  });

  it('refuses malformed signals, writing nothing', async () => {
    await expect(
      inTransaction(store.deps.db, (tx) => recordSignal(tx, store.deps, dana, { ...exposed(), kind: 'rumour' })),
    ).rejects.toThrow(/Signal kind must be one of exposed_datastore/);
    await expect(
      inTransaction(store.deps.db, (tx) =>
        recordSignal(tx, store.deps, dana, { ...exposed(), observedAt: 'yesterday' }),
      ),
    ).rejects.toThrow(/observedAt must be an ISO-8601 time/);
    expect(await listSignals(store.db, vendorId)).toHaveLength(0);
  });
});
