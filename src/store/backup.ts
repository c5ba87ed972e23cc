import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import type { Store } from './database.ts';

/**
 * An online, consistent copy of a SQLite store: VACUUM INTO reads one snapshot while writers carry on,
 * and the copy is checked with integrity_check before we call it a backup.
 */
export async function backupSqlite(store: Store, target: string): Promise<{ file: string; bytes: number }> {
  if (store.dialect === 'postgres') {
    throw new Error(
      'backup copies a SQLite store; this one is PostgreSQL: use its own tools, e.g. ' +
        `pg_dump --format=custom --file=${target} "$DATABASE_URL" (or base backups with WAL archiving), ` +
        'then check a restored copy with `vendor-risk audit verify`',
    );
  }
  if (!store.file) throw new Error('backup copies a SQLite file; an in-memory store has none');
  const file = resolve(target);
  if (existsSync(file)) throw new Error(`${target} already exists; choose a new file name`);
  await sql`vacuum into ${file}`.execute(store.db);
  const copy = new SqliteDatabase(file, { readonly: true });
  try {
    const result = copy.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new Error(`the backup failed its integrity check: ${String(result)}`);
    const pages = copy.pragma('page_count', { simple: true }) as number;
    const size = copy.pragma('page_size', { simple: true }) as number;
    return { file, bytes: pages * size };
  } finally {
    copy.close();
  }
}
