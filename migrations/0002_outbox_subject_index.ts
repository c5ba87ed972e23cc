import type { Kysely } from 'kysely';

// Every finding change looks up where its card was sent (outbox by subject); without this index that
// lookup scans the whole outbox, which grows with every message ever sent.

// biome-ignore lint/suspicious/noExplicitAny: kysely requires Kysely<any> in migrations so they stay frozen in time.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('outbox_subject').on('outbox').columns(['subject', 'target']).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: as above.
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outbox_subject').execute();
}
