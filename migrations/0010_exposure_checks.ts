import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter, sql } from 'kysely';

// Exposure checks of declared assets. An asset gains what a check needs (its kind of check, port, a
// note), who confirmed the vendor authorised checking it and when, and a removal time (results keep
// pointing at it). Each check's result is kept in exposure_checks, append-only: the evidence that we
// looked, when, what we asked and what answered (never the data itself).

// biome-ignore lint/suspicious/noExplicitAny: kysely requires Kysely<any> in migrations so they stay frozen in time.
type Db = Kysely<any>;

const isPostgres = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

export async function up(db: Db): Promise<void> {
  const pg = isPostgres(db);
  // SQLite adds one column per statement.
  for (const [name, type] of [
    ['host', 'text'],
    ['check_kind', 'text'],
    ['port', 'integer'],
    ['note', 'text'],
    ['authorised_by', 'text'],
    ['authorised_at', 'text'],
    ['removed_at', 'text'],
  ] as const) {
    await db.schema.alterTable('vendor_assets').addColumn(name, type).execute();
  }
  await db.schema.createIndex('vendor_assets_host').on('vendor_assets').column('host').execute();

  await db.schema
    .createTable('exposure_checks')
    .addColumn('id', pg ? 'serial' : 'integer', (c: ColumnDefinitionBuilder) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('asset_id', 'integer', (c) => c.notNull().references('vendor_assets.id'))
    .addColumn('vendor_id', 'integer', (c) => c.notNull().references('vendors.id'))
    .addColumn('checked_at', 'text', (c) => c.notNull())
    .addColumn('check_kind', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('asked', 'text', (c) => c.notNull())
    .addColumn('answered', 'text', (c) => c.notNull())
    .addColumn('facts', 'text', (c) => c.notNull())
    .addColumn('problems', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('exposure_checks_asset').on('exposure_checks').columns(['asset_id', 'id']).execute();
  await db.schema.createIndex('exposure_checks_vendor').on('exposure_checks').columns(['vendor_id', 'id']).execute();

  if (pg) {
    await sql
      .raw(`create or replace function exposure_checks_append_only() returns trigger language plpgsql as $$
        begin raise exception 'exposure_checks is append-only'; end $$`)
      .execute(db);
    await sql
      .raw(`create trigger exposure_checks_append_only before update or delete on exposure_checks
        for each row execute function exposure_checks_append_only()`)
      .execute(db);
  } else {
    for (const op of ['update', 'delete']) {
      await sql
        .raw(`create trigger exposure_checks_no_${op} before ${op} on exposure_checks
          begin select raise(abort, 'exposure_checks is append-only'); end`)
        .execute(db);
    }
  }
}

export async function down(db: Db): Promise<void> {
  if (isPostgres(db)) await sql.raw('drop function if exists exposure_checks_append_only() cascade').execute(db);
  await db.schema.dropTable('exposure_checks').execute();
  await db.schema.dropIndex('vendor_assets_host').execute();
  for (const name of ['removed_at', 'authorised_at', 'authorised_by', 'note', 'port', 'check_kind', 'host']) {
    await db.schema.alterTable('vendor_assets').dropColumn(name).execute();
  }
}
