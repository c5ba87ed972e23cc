import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Storage for the daily sweep at scale. The offboarding prompt asks for active vendors whose contract
// ends within the prompt window: without an index on the end date it read every active vendor's row
// each day. On SQLite, posture_snapshots becomes a WITHOUT ROWID table keyed by (vendor, day): the
// first sweep of a day adds a row per vendor in service, and each went into both the table and the
// separate index its key needed, twice the pages touched for the same rows. PostgreSQL keeps its heap
// and primary-key index as they are.

// biome-ignore lint/suspicious/noExplicitAny: kysely requires Kysely<any> in migrations so they stay frozen in time.
type Db = Kysely<any>;

const isPostgres = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

async function rebuildSnapshots(db: Db, withoutRowid: boolean): Promise<void> {
  await sql
    .raw(`create table posture_snapshots_rebuilt (
      vendor_id integer not null references vendors (id),
      taken_on text not null,
      score integer not null,
      grade text not null,
      constraint posture_snapshots_pk primary key (vendor_id, taken_on)
    )${withoutRowid ? ' without rowid' : ''}`)
    .execute(db);
  await sql
    .raw(`insert into posture_snapshots_rebuilt (vendor_id, taken_on, score, grade)
      select vendor_id, taken_on, score, grade from posture_snapshots order by vendor_id, taken_on`)
    .execute(db);
  await sql.raw('drop table posture_snapshots').execute(db);
  await sql.raw('alter table posture_snapshots_rebuilt rename to posture_snapshots').execute(db);
}

export async function up(db: Db): Promise<void> {
  await db.schema.createIndex('vendors_contract_end').on('vendors').columns(['status', 'contract_end']).execute();
  if (!isPostgres(db)) await rebuildSnapshots(db, true);
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropIndex('vendors_contract_end').execute();
  if (!isPostgres(db)) await rebuildSnapshots(db, false);
}
