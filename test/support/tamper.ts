import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import type { TestStore } from './store.ts';

/**
 * What someone with raw access to the database can do behind the application's back: lift the
 * append-only guard of `guarded` (if given) and run `statement` directly. On SQLite through the file
 * itself (its per-operation triggers), on PostgreSQL through SQL (its one append-only trigger).
 */
export async function tamper(
  store: TestStore,
  statement: string,
  guarded?: { table: string; op: 'update' | 'delete' },
): Promise<void> {
  if (store.dialect === 'sqlite') {
    const raw = new SqliteDatabase(store.path);
    try {
      if (guarded) raw.exec(`drop trigger ${guarded.table}_no_${guarded.op}`);
      raw.exec(statement);
    } finally {
      raw.close();
    }
    return;
  }
  if (guarded) await sql.raw(`drop trigger ${guarded.table}_append_only on ${guarded.table}`).execute(store.db);
  await sql.raw(statement).execute(store.db);
}
