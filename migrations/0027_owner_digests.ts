import type { Kysely } from 'kysely';

// One "Coming up" digest per person and day: `owner_digests` names the message (by its outbox subject)
// that carries the day's heads-ups (reviews, documents and finding SLAs coming up) and what it lists, so
// a later heads-up that day edits it rather than sending another direct message.

// biome-ignore lint/suspicious/noExplicitAny: kysely requires Kysely<any> in migrations so they stay frozen in time.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('owner_digests')
    .addColumn('target', 'text', (col) => col.notNull())
    .addColumn('day', 'text', (col) => col.notNull())
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('data', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('owner_digests_pk', ['target', 'day'])
    .execute();
  // A renewal or a submission redraws the day's digests that list the vendor: found by day.
  await db.schema.createIndex('owner_digests_day').on('owner_digests').columns(['day']).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: as above.
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('owner_digests').execute();
}
