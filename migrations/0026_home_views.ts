import type { Kysely } from 'kysely';

// The people who have a Home tab to keep current: a person is added when they first open it, so a
// change refreshes the Home of the people whose queue it touches, and nobody else's.

// biome-ignore lint/suspicious/noExplicitAny: kysely requires Kysely<any> in migrations so they stay frozen in time.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('home_views')
    .addColumn('principal', 'text', (col) => col.primaryKey())
    .addColumn('opened_at', 'text', (col) => col.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: as above.
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('home_views').execute();
}
