import type SqliteDatabase from 'better-sqlite3';
import type { SqliteDatabase as KyselySqliteDatabase } from 'kysely';

/**
 * kysely's SQLite driver prepares every statement anew on each call; compiling the SQL dominated a
 * posture lookup (several small indexed reads). Our queries come from a fixed set of call sites, so a
 * bounded cache keyed by SQL text keeps them compiled. A statement that is still iterating is busy;
 * it is never handed out twice (kysely holds the one connection during a stream, so this is a guard).
 */
export function withStatementCache(db: SqliteDatabase.Database, capacity = 500): KyselySqliteDatabase {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => db.close(),
    prepare(sql: string) {
      const cached = cache.get(sql);
      if (cached && !cached.busy) {
        // Re-insert to keep the map in least-recently-used order.
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = db.prepare(sql);
      if (!cached) {
        cache.set(sql, statement);
        if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
      }
      return statement;
    },
  };
}
