import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter, sql } from 'kysely';

// Vendor incidents: the incident, what it is linked to, its playbook tasks, its regulatory clocks,
// the decisions an approver signs (a clock not required, closure) and its timeline. The timeline is
// append-only like the audit log: it is the regulator-facing record of what happened when.

// biome-ignore lint/suspicious/noExplicitAny: kysely requires Kysely<any> in migrations so they stay frozen in time.
type Db = Kysely<any>;

function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

function idColumn(db: Db) {
  return isPostgres(db)
    ? { type: 'serial' as const, build: (col: ColumnDefinitionBuilder) => col.primaryKey() }
    : { type: 'integer' as const, build: (col: ColumnDefinitionBuilder) => col.primaryKey().autoIncrement() };
}

async function appendOnly(db: Db, table: string): Promise<void> {
  if (isPostgres(db)) {
    await sql
      .raw(`create or replace function ${table}_append_only() returns trigger language plpgsql as $$
        begin raise exception '${table} is append-only'; end $$`)
      .execute(db);
    await sql
      .raw(`create trigger ${table}_append_only before update or delete on ${table}
        for each row execute function ${table}_append_only()`)
      .execute(db);
    return;
  }
  for (const op of ['update', 'delete']) {
    await sql
      .raw(`create trigger ${table}_no_${op} before ${op} on ${table}
        begin select raise(abort, '${table} is append-only'); end`)
      .execute(db);
  }
}

export async function up(db: Db): Promise<void> {
  const id = idColumn(db);

  await db.schema
    .createTable('incidents')
    .addColumn('id', id.type, id.build)
    .addColumn('vendor_id', 'integer', (c) => c.notNull().references('vendors.id'))
    .addColumn('scenario', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('our_role', 'text', (c) => c.notNull())
    .addColumn('aware_at', 'text', (c) => c.notNull())
    .addColumn('vendor_aware_at', 'text')
    .addColumn('vendor_notified_at', 'text')
    .addColumn('declared_by', 'text', (c) => c.notNull())
    .addColumn('declared_at', 'text', (c) => c.notNull())
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('review', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('incidents_state').on('incidents').columns(['state', 'id']).execute();
  await db.schema.createIndex('incidents_vendor').on('incidents').column('vendor_id').execute();

  await db.schema
    .createTable('incident_links')
    .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref_id', 'integer', (c) => c.notNull())
    .addColumn('linked_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_links_pk', ['incident_id', 'kind', 'ref_id'])
    .execute();

  await db.schema
    .createTable('incident_tasks')
    .addColumn('id', id.type, id.build)
    .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('phase', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text')
    .addColumn('done_by', 'text')
    .addColumn('done_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('incident_tasks_number', ['incident_id', 'number'])
    .execute();

  await db.schema
    .createTable('incident_clocks')
    .addColumn('id', id.type, id.build)
    .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('regulation', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('settled_by', 'text')
    .addColumn('settled_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('incident_clocks_rule', ['incident_id', 'rule'])
    .execute();
  await db.schema.createIndex('incident_clocks_running').on('incident_clocks').columns(['state', 'deadline']).execute();

  await db.schema
    .createTable('incident_decisions')
    .addColumn('id', id.type, id.build)
    .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('clock_id', 'integer')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('review', 'text')
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('signed_by', 'text')
    .addColumn('signed_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('incident_timeline')
    .addColumn('id', id.type, id.build)
    .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('incident_timeline_incident')
    .on('incident_timeline')
    .columns(['incident_id', 'id'])
    .execute();
  await appendOnly(db, 'incident_timeline');
}

export async function down(db: Db): Promise<void> {
  for (const table of [
    'incident_timeline',
    'incident_decisions',
    'incident_clocks',
    'incident_tasks',
    'incident_links',
    'incidents',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
