import type { Kysely } from 'kysely';

// Two-component signing (21 CFR 11.200(a)(1)): one signing PIN per person (the person of
// person_links, so a Slack and a Teams account share it), stored only as a scrypt hash with its own
// salt. Failed attempts and the lock live beside it (11.300(d)).

// biome-ignore lint/suspicious/noExplicitAny: kysely requires Kysely<any> in migrations so they stay frozen in time.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('signing_pins')
    .addColumn('person', 'text', (col) => col.primaryKey())
    .addColumn('pin_hash', 'text')
    .addColumn('salt', 'text')
    .addColumn('set_at', 'text')
    .addColumn('failures', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('locked_at', 'text')
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: as above.
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('signing_pins').execute();
}
