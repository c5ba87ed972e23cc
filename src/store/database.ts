import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresAdapter, sql, type Transaction } from 'kysely';
import { runCommitHook } from './commit-hook.ts';
import { ImmediateSqliteDialect } from './immediate-sqlite-dialect.ts';
import { withStatementCache } from './statement-cache.ts';
import type { Database } from './tables.ts';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the database or an open transaction: data-access functions take this first. */
export type DbOrTx = Kysely<Database>;

export const DEFAULT_DATABASE_URL = './data/vendor-risk.db';

export interface Store {
  db: Db;
  dialect: 'sqlite' | 'postgres';
  /** The SQLite file path, for backups; null on PostgreSQL. */
  file: string | null;
  close(): Promise<void>;
}

export function sqliteFileFromUrl(url: string): string {
  if (url === ':memory:') return url;
  return resolve(url.startsWith('sqlite:') ? url.slice('sqlite:'.length).replace(/^\/\//, '') : url);
}

/** Opens the store named by DATABASE_URL: a SQLite file (created with its folder) or PostgreSQL. */
export async function openStore(url: string = DEFAULT_DATABASE_URL): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url);
  const file = sqliteFileFromUrl(url);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  // Durability first: a committed approval must survive power loss (synchronous=FULL under WAL).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db,
    dialect: 'sqlite',
    file: file === ':memory:' ? null : file,
    close: () => db.destroy(),
  };
}

async function openPostgres(url: string): Promise<Store> {
  const [{ PostgresDialect }, pg] = await Promise.all([import('kysely'), import('pg')]);
  const pool = new pg.default.Pool({ connectionString: url, max: 10 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', file: null, close: () => db.destroy() };
}

/**
 * Any fixed number: with the schema's name, the lock every write transaction takes on PostgreSQL. Every
 * replica of one installation uses the same schema, so they take turns; installations (or test runs)
 * in other schemas of the same database do not wait for each other.
 */
const WRITE_LOCK_KEY = 0x76_72_69_73; // "vris"

/**
 * Runs `work` in one write transaction that holds the store's write lock from its first statement.
 * SQLite: BEGIN IMMEDIATE (see ImmediateSqliteDialect). PostgreSQL: a transaction-scoped advisory
 * lock, the same rule across every replica: writers take turns, so the audit chain's head, a
 * finding's version and a trigger's slot are read and advanced by one writer at a time, and a
 * conflicting click waits and then sees the first one's result instead of failing on a
 * serialization error. Readers never take it.
 */
export function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return db.transaction().execute(async (tx) => {
    if (postgres) await sql`select pg_advisory_xact_lock(${WRITE_LOCK_KEY}, hashtext(current_schema()))`.execute(tx);
    const result = await work(tx);
    // Work bound to this request's first commit (src/store/commit-hook.ts), such as marking a click done.
    await runCommitHook(tx);
    return result;
  });
}
