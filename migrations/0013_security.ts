import type { Kysely } from 'kysely';

// Verified closure, explicit withdrawal and one identity per person across platforms.
// - findings: who marked a finding fixed, what they did, and the state to go back to if an analyst
//   sends the fix back.
// - approval_requests: who withdrew a request, when and why (it is never withdrawn as a side effect).
// - person_links: principals that are the same person (a Slack and a Teams account), so every
//   four-eyes rule compares people, not platform ids.

const FINDING_COLUMNS = ['fix_proposed_by', 'fix_proposed_at', 'fix_note', 'fix_from_state', 'fix_returned_reason'];
const REQUEST_COLUMNS = ['withdrawn_by', 'withdrawn_at', 'withdraw_reason'];

// biome-ignore lint/suspicious/noExplicitAny: kysely requires Kysely<any> in migrations so they stay frozen in time.
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of FINDING_COLUMNS) {
    await db.schema.alterTable('findings').addColumn(column, 'text').execute();
  }
  for (const column of REQUEST_COLUMNS) {
    await db.schema.alterTable('approval_requests').addColumn(column, 'text').execute();
  }
  await db.schema
    .createTable('person_links')
    .addColumn('principal', 'text', (col) => col.primaryKey())
    .addColumn('person', 'text', (col) => col.notNull())
    .addColumn('linked_by', 'text', (col) => col.notNull())
    .addColumn('linked_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('person_links_person').on('person_links').column('person').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: as above.
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('person_links').execute();
  for (const column of REQUEST_COLUMNS) await db.schema.alterTable('approval_requests').dropColumn(column).execute();
  for (const column of FINDING_COLUMNS) await db.schema.alterTable('findings').dropColumn(column).execute();
}
