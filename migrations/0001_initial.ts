import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen once landed: this file never imports application code. It runs on SQLite and PostgreSQL;
// the two places where the dialects differ (auto-increment keys, append-only triggers) are chosen here.

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
    .createTable('vendors')
    .addColumn('id', id.type, id.build)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull().unique())
    .addColumn('services', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('data_types', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('criticality', 'text', (c) => c.notNull())
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('tier_override_reason', 'text')
    .addColumn('regulatory_scope', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('owner_id', 'text')
    .addColumn('channel', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('contract_start', 'text')
    .addColumn('contract_end', 'text')
    .addColumn('last_review_on', 'text')
    .addColumn('next_review_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('vendors_next_review').on('vendors').columns(['status', 'next_review_on']).execute();
  await db.schema.createIndex('vendors_tier').on('vendors').column('tier').execute();
  await db.schema.createIndex('vendors_owner').on('vendors').column('owner_id').execute();

  await db.schema
    .createTable('vendor_assets')
    .addColumn('id', id.type, id.build)
    .addColumn('vendor_id', 'integer', (c) => c.notNull().references('vendors.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('vendor_assets_unique', ['vendor_id', 'value'])
    .execute();

  await db.schema
    .createTable('evidence')
    .addColumn('id', id.type, id.build)
    .addColumn('vendor_id', 'integer', (c) => c.notNull().references('vendors.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('issued_on', 'text')
    .addColumn('expires_on', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('evidence_unique', ['vendor_id', 'type', 'expires_on'])
    .execute();
  await db.schema.createIndex('evidence_expiry').on('evidence').column('expires_on').execute();

  await db.schema
    .createTable('signals')
    .addColumn('id', id.type, id.build)
    .addColumn('vendor_id', 'integer', (c) => c.notNull().references('vendors.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('observed_at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('finding_id', 'integer')
    .addUniqueConstraint('signals_dedupe', ['source', 'external_id'])
    .execute();
  await db.schema.createIndex('signals_vendor').on('signals').columns(['vendor_id', 'received_at']).execute();

  await db.schema
    .createTable('assessments')
    .addColumn('id', id.type, id.build)
    .addColumn('vendor_id', 'integer', (c) => c.notNull().references('vendors.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('questionnaire_version', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('submitted_by', 'text')
    .addColumn('submitted_at', 'text')
    .addColumn('score', 'integer')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('assessments_vendor').on('assessments').columns(['vendor_id', 'status']).execute();

  await db.schema
    .createTable('assessment_answers')
    .addColumn('assessment_id', 'integer', (c) => c.notNull().references('assessments.id'))
    .addColumn('control_id', 'text', (c) => c.notNull())
    .addColumn('answer', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('answered_by', 'text', (c) => c.notNull())
    .addColumn('answered_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('assessment_answers_pk', ['assessment_id', 'control_id'])
    .execute();

  await db.schema
    .createTable('findings')
    .addColumn('id', id.type, id.build)
    .addColumn('vendor_id', 'integer', (c) => c.notNull().references('vendors.id'))
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text')
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('sla_due_on', 'text', (c) => c.notNull())
    .addColumn('acknowledged_by', 'text')
    .addColumn('acknowledged_at', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('resolution', 'text')
    .addColumn('accepted_until', 'text')
    .addColumn('reopened_reason', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('findings_vendor_state').on('findings').columns(['vendor_id', 'state']).execute();
  await db.schema.createIndex('findings_state_sla').on('findings').columns(['state', 'sla_due_on']).execute();
  await db.schema.createIndex('findings_assignee').on('findings').columns(['assignee_id', 'state']).execute();

  await db.schema
    .createTable('approval_requests')
    .addColumn('id', id.type, id.build)
    .addColumn('finding_id', 'integer', (c) => c.notNull().references('findings.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('requested_action', 'text', (c) => c.notNull())
    .addColumn('action_until', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decision_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('approval_requests_state')
    .on('approval_requests')
    .columns(['state', 'finding_id'])
    .execute();

  await db.schema
    .createTable('signatures')
    .addColumn('id', id.type, id.build)
    .addColumn('record_type', 'text', (c) => c.notNull())
    .addColumn('record_id', 'integer', (c) => c.notNull())
    .addColumn('record_version', 'integer', (c) => c.notNull())
    .addColumn('record_hash', 'text', (c) => c.notNull())
    .addColumn('signer_id', 'text', (c) => c.notNull())
    .addColumn('signer_name', 'text', (c) => c.notNull())
    .addColumn('meaning', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('signatures_record').on('signatures').columns(['record_type', 'record_id']).execute();

  await db.schema
    .createTable('role_grants')
    .addColumn('principal', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('granted_by', 'text', (c) => c.notNull())
    .addColumn('granted_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('role_grants_pk', ['principal', 'role'])
    .execute();

  await db.schema
    .createTable('people')
    .addColumn('principal', 'text', (c) => c.primaryKey())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('subscriptions')
    .addColumn('id', id.type, id.build)
    .addColumn('channel', 'text', (c) => c.notNull().unique())
    .addColumn('min_tier', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('posture_snapshots')
    .addColumn('vendor_id', 'integer', (c) => c.notNull().references('vendors.id'))
    .addColumn('taken_on', 'text', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('grade', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('posture_snapshots_pk', ['vendor_id', 'taken_on'])
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('reason', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_entity').on('audit_log').columns(['entity_type', 'entity_id']).execute();
  await appendOnly(db, 'audit_log');
  await appendOnly(db, 'signatures');

  await db.schema
    .createTable('outbox')
    .addColumn('id', id.type, id.build)
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('late', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('available_at', 'text', (c) => c.notNull())
    .addColumn('lease_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'available_at']).execute();

  await db.schema
    .createTable('message_refs')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('message_refs_pk', ['subject', 'target'])
    .execute();

  await db.schema
    .createTable('fired_triggers')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('fired_at', 'text', (c) => c.notNull())
    .addColumn('late', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('inbound_receipts')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('conversation_refs')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Db): Promise<void> {
  for (const table of [
    'conversation_refs',
    'inbound_receipts',
    'fired_triggers',
    'message_refs',
    'outbox',
    'audit_log',
    'posture_snapshots',
    'subscriptions',
    'people',
    'role_grants',
    'signatures',
    'approval_requests',
    'findings',
    'assessment_answers',
    'assessments',
    'signals',
    'evidence',
    'vendor_assets',
    'vendors',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
