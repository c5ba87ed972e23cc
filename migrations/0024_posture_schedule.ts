import { type Kysely, PostgresAdapter, sql } from 'kysely';

// The incremental posture sweep. posture_schedule holds, per vendor, the score its last scoring gave
// and the first day it must be scored again: the next day a date in its inputs passes (a review falls
// overdue, a document expires or grows too old), or at once ('0000-00-00') when an input changed. The
// database keeps the "at once" mark itself, with triggers on every table the score reads, so no write
// path (commands, imports, the scheduler's own steps) can forget it. The same mark tells a tick that
// something changed since the last one (the day's dated triggers must look again); the tick then turns
// it into '0000-00-01', still due for scoring. sweep_state remembers the last day whose snapshots are
// all written, the policy they were scored under, and the last day whose dated triggers all ran.

// biome-ignore lint/suspicious/noExplicitAny: kysely requires Kysely<any> in migrations so they stay frozen in time.
type Db = Kysely<any>;

const isPostgres = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

const NOW = "'0000-00-00'";

/** Tables whose rows carry vendor_id and feed the score, with the columns whose update matters. */
const BY_VENDOR: Record<string, string[]> = {
  findings: [
    'vendor_id',
    'state',
    'severity',
    'source',
    'dedupe_key',
    'title',
    'opened_at',
    'sla_due_on',
    'accepted_until',
  ],
  evidence: ['vendor_id', 'type', 'issued_on', 'expires_on'],
  signals: ['vendor_id', 'kind', 'details', 'source', 'observed_at', 'received_at', 'finding_id'],
  assessments: ['vendor_id', 'status', 'submitted_at'],
};
const VENDOR_COLUMNS = [
  'status',
  'tier',
  'next_review_on',
  'last_review_on',
  'data_types',
  'regulatory_scope',
  'contract_end',
];
const ANSWER_COLUMNS = ['assessment_id', 'control_id', 'answer'];

async function sqliteTriggers(db: Db): Promise<void> {
  const mark = (vendorId: string) => `update posture_schedule set rescore_on = ${NOW} where vendor_id = ${vendorId};`;
  const run = (text: string) => sql.raw(text).execute(db);
  await run(`create trigger posture_vendor_insert after insert on vendors begin
    insert or replace into posture_schedule (vendor_id, rescore_on) values (new.id, ${NOW}); end`);
  await run(`create trigger posture_vendor_update after update of ${VENDOR_COLUMNS.join(', ')} on vendors
    begin ${mark('new.id')} end`);
  await run(`create trigger posture_vendor_delete after delete on vendors
    begin delete from posture_schedule where vendor_id = old.id; end`);
  for (const [table, columns] of Object.entries(BY_VENDOR)) {
    await run(`create trigger posture_${table}_insert after insert on ${table} begin ${mark('new.vendor_id')} end`);
    await run(`create trigger posture_${table}_update after update of ${columns.join(', ')} on ${table}
      begin ${mark('new.vendor_id')} ${mark('old.vendor_id')} end`);
    await run(`create trigger posture_${table}_delete after delete on ${table} begin ${mark('old.vendor_id')} end`);
  }
  const ofAnswer = (row: string) => mark(`(select vendor_id from assessments where id = ${row}.assessment_id)`);
  await run(`create trigger posture_answers_insert after insert on assessment_answers begin ${ofAnswer('new')} end`);
  await run(`create trigger posture_answers_update after update of ${ANSWER_COLUMNS.join(', ')} on assessment_answers
    begin ${ofAnswer('new')} ${ofAnswer('old')} end`);
  await run(`create trigger posture_answers_delete after delete on assessment_answers begin ${ofAnswer('old')} end`);
}

async function postgresTriggers(db: Db): Promise<void> {
  const run = (text: string) => sql.raw(text).execute(db);
  // One function per way a row names its vendor; each handles insert, update and delete.
  const fn = (name: string, newId: string, oldId: string, onInsert = '') =>
    run(`create or replace function ${name}() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then ${onInsert || `update posture_schedule set rescore_on = ${NOW} where vendor_id = ${newId};`}
        else
          if tg_op = 'UPDATE' then update posture_schedule set rescore_on = ${NOW} where vendor_id = ${newId}; end if;
          update posture_schedule set rescore_on = ${NOW} where vendor_id = ${oldId};
        end if;
        return null;
      end $$`);
  await fn(
    'posture_vendor_changed',
    'new.id',
    'old.id',
    `insert into posture_schedule (vendor_id, rescore_on) values (new.id, ${NOW})
       on conflict (vendor_id) do update set rescore_on = excluded.rescore_on;`,
  );
  await fn('posture_input_changed', 'new.vendor_id', 'old.vendor_id');
  const ofAnswer = (row: string) => `(select vendor_id from assessments where id = ${row}.assessment_id)`;
  await fn('posture_answer_changed', ofAnswer('new'), ofAnswer('old'));
  await run(`create trigger posture_vendor_insert after insert on vendors
    for each row execute function posture_vendor_changed()`);
  await run(`create trigger posture_vendor_update after update of ${VENDOR_COLUMNS.join(', ')} on vendors
    for each row execute function posture_vendor_changed()`);
  await run(`create or replace function posture_vendor_removed() returns trigger language plpgsql as $$
    begin delete from posture_schedule where vendor_id = old.id; return null; end $$`);
  await run(`create trigger posture_vendor_delete after delete on vendors
    for each row execute function posture_vendor_removed()`);
  for (const [table, columns] of Object.entries(BY_VENDOR)) {
    await run(`create trigger posture_${table}_changed after insert or delete or update of ${columns.join(', ')}
      on ${table} for each row execute function posture_input_changed()`);
  }
  await run(`create trigger posture_answers_changed after insert or delete or update of ${ANSWER_COLUMNS.join(', ')}
    on assessment_answers for each row execute function posture_answer_changed()`);
}

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('posture_schedule')
    .addColumn('vendor_id', 'integer', (c) => c.primaryKey())
    .addColumn('score', 'integer')
    .addColumn('grade', 'text')
    .addColumn('rescore_on', 'text', (c) => c.notNull())
    .addColumn('watch_until', 'text')
    .execute();
  await db.schema.createIndex('posture_schedule_due').on('posture_schedule').column('rescore_on').execute();
  await db.schema
    .createTable('sweep_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('posture_on', 'text')
    .addColumn('policy', 'text')
    .addColumn('dated_on', 'text')
    .execute();
  // Every vendor already stored is scored by the next sweep, as every sweep did before.
  await sql.raw(`insert into posture_schedule (vendor_id, rescore_on) select id, ${NOW} from vendors`).execute(db);
  if (isPostgres(db)) await postgresTriggers(db);
  else await sqliteTriggers(db);
}

export async function down(db: Db): Promise<void> {
  if (isPostgres(db)) {
    for (const name of [
      'posture_vendor_changed',
      'posture_input_changed',
      'posture_answer_changed',
      'posture_vendor_removed',
    ])
      await sql.raw(`drop function if exists ${name}() cascade`).execute(db);
  } else {
    const names = [
      'vendor_insert',
      'vendor_update',
      'vendor_delete',
      'answers_insert',
      'answers_update',
      'answers_delete',
    ];
    for (const table of Object.keys(BY_VENDOR)) names.push(`${table}_insert`, `${table}_update`, `${table}_delete`);
    for (const name of names) await sql.raw(`drop trigger if exists posture_${name}`).execute(db);
  }
  await db.schema.dropTable('sweep_state').execute();
  await db.schema.dropTable('posture_schedule').execute();
}
