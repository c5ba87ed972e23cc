import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestStore, onPostgres, type TestStore } from '../support/store.ts';

// A vendor's assets are read by vendor on every posture lookup (the exposure summary) and by the asset
// list and offboarding: the store finds them through an index, not by reading every vendor's assets.

let store: TestStore;
beforeEach(async () => {
  store = await createTestStore();
});
afterEach(() => store.cleanup());

it("finds a vendor's assets through the vendor_assets_vendor index", async () => {
  const query = 'select id, host from vendor_assets where vendor_id = 7 order by id';
  if (onPostgres) {
    // The planner would scan a table this small whatever its indexes; with scans priced out it shows
    // whether an index can serve the read at all.
    await sql`set enable_seqscan = off`.execute(store.db);
    const plan = await sql.raw<{ 'QUERY PLAN': string }>(`explain ${query}`).execute(store.db);
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('vendor_assets_vendor');
  } else {
    const plan = await sql.raw<{ detail: string }>(`explain query plan ${query}`).execute(store.db);
    expect(plan.rows.map((r) => r.detail).join('\n')).toMatch(/SEARCH vendor_assets USING INDEX vendor_assets_vendor/);
  }
});
