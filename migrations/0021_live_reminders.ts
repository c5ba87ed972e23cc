import type { Kysely } from 'kysely';

// One live reminder message per vendor and person: `live_reminders` names the message (by its outbox
// subject) that currently carries a vendor's reminders to a target, and what it is about, so the next
// reminder can retire it (its buttons go) and a submitted reassessment or a renewed document can mark
// it done. `scheduler_heartbeats` keeps the instant of the last sweep, so a reminder is called late
// only when its time passed while no sweep ran (the bot was down), never on a fresh database's first.

// biome-ignore lint/suspicious/noExplicitAny: kysely requires Kysely<any> in migrations so they stay frozen in time.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('live_reminders')
    .addColumn('vendor_id', 'integer', (col) => col.notNull())
    .addColumn('target', 'text', (col) => col.notNull())
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('template', 'text', (col) => col.notNull())
    .addColumn('data', 'text', (col) => col.notNull())
    .addColumn('posted_on', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('live_reminders_pk', ['vendor_id', 'target'])
    .execute();
  await db.schema
    .createTable('scheduler_heartbeats')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('swept_at', 'text', (col) => col.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: as above.
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('scheduler_heartbeats').execute();
  await db.schema.dropTable('live_reminders').execute();
}
