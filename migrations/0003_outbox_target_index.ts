import type { Kysely } from 'kysely';

// The relay keeps order per target by claiming only the oldest pending row of each target; without
// this index that lookup scans the whole outbox, which grows with every message ever sent.

// biome-ignore lint/suspicious/noExplicitAny: kysely requires Kysely<any> in migrations so they stay frozen in time.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('outbox_target_status').on('outbox').columns(['target', 'status', 'id']).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: as above.
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outbox_target_status').execute();
}
