import { type Kysely, PostgresAdapter, sql } from 'kysely';

// The subject whose message an outbox row is threaded under (e.g. `finding:12` for a finding's history)
// becomes a column of its own instead of travelling inside the row's `data` JSON beside the template's
// fields. Rows already queued keep their thread: it is copied out of `data` and removed from it.

// biome-ignore lint/suspicious/noExplicitAny: kysely requires Kysely<any> in migrations so they stay frozen in time.
type Db = Kysely<any>;

const isPostgres = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

export async function up(db: Db): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('thread_of', 'text').execute();
  if (isPostgres(db)) {
    await sql`update outbox set thread_of = data::jsonb ->> 'threadOf', data = (data::jsonb - 'threadOf')::text
      where data::jsonb ? 'threadOf'`.execute(db);
  } else {
    await sql`update outbox set thread_of = json_extract(data, '$.threadOf'), data = json_remove(data, '$.threadOf')
      where json_type(data, '$.threadOf') is not null`.execute(db);
  }
}

export async function down(db: Db): Promise<void> {
  if (isPostgres(db)) {
    await sql`update outbox set data = jsonb_set(data::jsonb, '{threadOf}', to_jsonb(thread_of))::text
      where thread_of is not null`.execute(db);
  } else {
    await sql`update outbox set data = json_set(data, '$.threadOf', thread_of) where thread_of is not null`.execute(db);
  }
  await db.schema.alterTable('outbox').dropColumn('thread_of').execute();
}
