import type { Kysely } from 'kysely';

// A vendor's assets are read by vendor: the posture card's exposure summary on every lookup, the asset
// list, offboarding. Without an index on vendor_assets.vendor_id each of those read every vendor's assets.

// biome-ignore lint/suspicious/noExplicitAny: kysely requires Kysely<any> in migrations so they stay frozen in time.
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema.createIndex('vendor_assets_vendor').on('vendor_assets').columns(['vendor_id', 'id']).execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropIndex('vendor_assets_vendor').execute();
}
