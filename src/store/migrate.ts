import { type MigrationResultSet, Migrator, PostgresAdapter, sql } from 'kysely';
import { migrations } from '../../migrations/index.ts';
import type { Db } from './database.ts';

export class MigrationError extends Error {}

/** Brings the schema to the latest version; fails loudly, naming the migration that broke. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(await migrationTableSchema(db)),
  });
  return applied(await migrator.migrateToLatest());
}

/**
 * On PostgreSQL kysely looks for its bookkeeping tables in every schema it can see, so a database
 * that holds another schema with them (another app, a second bot) would fool it into skipping them
 * here. Naming the schema the connection works in keeps each installation's migrations its own.
 */
async function migrationTableSchema(db: Db): Promise<{ migrationTableSchema?: string }> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return {};
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ? { migrationTableSchema: rows[0].schema } : {};
}

function applied({ error, results }: MigrationResultSet): string[] {
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`migration ${failed?.migrationName ?? '(none)'} failed: ${cause}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
