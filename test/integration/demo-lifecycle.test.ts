import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/seed.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

// The demo's vendors were in use before the bot: seeded active as legacy vendors, said once in the
// trail. The playground's seed adds the lifecycle's front door: a vendor the clinical operations lead
// asked for, still requested, and one in due diligence.

describe('demo seed and the vendor lifecycle', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore();
  });
  afterEach(() => store.cleanup());

  it('records the legacy vendors once, and the playground adds a requested vendor and one in due diligence', async () => {
    await seedDemo(store.deps, { intake: true });
    const legacy = await store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'vendor.import.legacy')
      .execute();
    expect(legacy).toHaveLength(1);
    expect(JSON.parse(legacy[0]?.after ?? '{}').vendors).toContain('Meridian Clinical Research');
    const pending = await store.db
      .selectFrom('vendors as v')
      .leftJoin('vendor_intakes as i', 'i.vendor_id', 'v.id')
      .leftJoin('people as p', 'p.principal', 'i.requested_by')
      .select(['v.name', 'v.status', 'p.display_name as requester'])
      .where('v.status', 'in', ['requested', 'in_review'])
      .orderBy('v.id')
      .execute();
    expect(pending).toEqual([
      { name: 'Kestrel Security Ratings', status: 'in_review', requester: null },
      { name: 'Lumen eCOA', status: 'requested', requester: 'Sam Patel' },
      { name: 'Cobalt IRT', status: 'in_review', requester: 'Sam Patel' },
    ]);
  });
});
