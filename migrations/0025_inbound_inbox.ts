import type { Kysely } from 'kysely';

// Durable inbound interactions (src/core/messaging/inbox.ts): a Slack click is stored with its receipt
// before Slack is answered, and marked done in the transaction of the change it causes, so a process
// killed between the answer and the commit leaves an entry another process re-runs. Receipts of
// other kinds (events, commands) keep payload null and are never re-run.

// biome-ignore lint/suspicious/noExplicitAny: kysely requires Kysely<any> in migrations so they stay frozen in time.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('inbound_receipts').addColumn('payload', 'text').execute();
  await db.schema.alterTable('inbound_receipts').addColumn('done_at', 'text').execute();
  await db.schema.alterTable('inbound_receipts').addColumn('lease_until', 'text').execute();
  await db.schema
    .alterTable('inbound_receipts')
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('inbound_receipts_unfinished').on('inbound_receipts').column('lease_until').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: as above.
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('inbound_receipts_unfinished').execute();
  for (const column of ['attempts', 'lease_until', 'done_at', 'payload']) {
    await db.schema.alterTable('inbound_receipts').dropColumn(column).execute();
  }
}
