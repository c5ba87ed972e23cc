import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter, sql } from 'kysely';

// The vendor lifecycle: requested -> in_review -> approved | rejected -> active -> offboarding -> offboarded.
//
// - Vendors that were 'onboarding' (a status nothing checked) are in due diligence now: 'in_review'.
// - vendor_intakes: what the person who asked for a vendor told us, and who on the risk team took it.
// - activation_requests: activation is an approval signed like an escalation, but it is its own table rather
//   than a kind of approval_requests row. approval_requests.finding_id is NOT NULL (dropping that on SQLite
//   means rebuilding the table), and a signature is bound to the hash of the whole signed row: adding a
//   vendor_id column there would change the hash of every approval already signed, and verification
//   would report each of them as altered.
// - offboardings and offboarding_items: the checklist a vendor must get through before it leaves the cadence.

// biome-ignore lint/suspicious/noExplicitAny: kysely requires Kysely<any> in migrations so they stay frozen in time.
type Db = Kysely<any>;

const isPostgres = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

function idColumn(db: Db) {
  return isPostgres(db)
    ? { type: 'serial' as const, build: (col: ColumnDefinitionBuilder) => col.primaryKey() }
    : { type: 'integer' as const, build: (col: ColumnDefinitionBuilder) => col.primaryKey().autoIncrement() };
}

export async function up(db: Db): Promise<void> {
  const id = idColumn(db);
  await sql`update vendors set status = 'in_review', version = version + 1 where status = 'onboarding'`.execute(db);

  await db.schema
    .createTable('vendor_intakes')
    .addColumn('vendor_id', 'integer', (c) => c.primaryKey().references('vendors.id'))
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('website', 'text')
    .addColumn('data_touched', 'text', (c) => c.notNull())
    .addColumn('record_count', 'integer')
    .addColumn('systems', 'text', (c) => c.notNull())
    .addColumn('business_owner', 'text')
    .addColumn('acknowledged_by', 'text')
    .addColumn('acknowledged_at', 'text')
    .addColumn('assignee_id', 'text')
    .addColumn('review_started_by', 'text')
    .addColumn('review_started_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('activation_requests')
    .addColumn('id', id.type, id.build)
    .addColumn('vendor_id', 'integer', (c) => c.notNull().references('vendors.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('decision', 'text')
    .addColumn('accepted_findings', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decision_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('activation_requests_vendor')
    .on('activation_requests')
    .columns(['vendor_id', 'state'])
    .execute();

  await db.schema
    .createTable('offboardings')
    .addColumn('id', id.type, id.build)
    .addColumn('vendor_id', 'integer', (c) => c.notNull().references('vendors.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('started_by', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('signed_off_by', 'text')
    .addColumn('signed_off_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('offboardings_vendor').on('offboardings').columns(['vendor_id', 'state']).execute();

  await db.schema
    .createTable('offboarding_items')
    .addColumn('offboarding_id', 'integer', (c) => c.notNull().references('offboardings.id'))
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('done_by', 'text')
    .addColumn('done_at', 'text')
    .addColumn('note', 'text')
    .addColumn('evidence_id', 'integer', (c) => c.references('evidence.id'))
    .addPrimaryKeyConstraint('offboarding_items_pk', ['offboarding_id', 'item'])
    .execute();
}

export async function down(db: Db): Promise<void> {
  for (const table of ['offboarding_items', 'offboardings', 'activation_requests', 'vendor_intakes']) {
    await db.schema.dropTable(table).execute();
  }
  await sql`update vendors set status = 'onboarding' where status in ('requested', 'in_review', 'approved')`.execute(
    db,
  );
}
