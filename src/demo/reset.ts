import { Migrator, NO_MIGRATIONS } from 'kysely';
import { migrations } from '../../migrations/index.ts';
import type { Db } from '../store/database.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { isDemoSeeded } from './seed.ts';

// Starting the demo afresh. Only a database the demo itself seeded may be wiped: a real inventory and
// its audit trail are never reset by a demo command, whatever flag is passed.

export type DemoState = 'empty' | 'demo' | 'other';

/** empty: no vendors yet; demo: the demo seeded it; other: it holds an inventory the demo did not create. */
export async function demoState(db: Db): Promise<DemoState> {
  const vendor = await db.selectFrom('vendors').select('id').limit(1).executeTakeFirst();
  if (!vendor) return 'empty';
  return (await isDemoSeeded(db)) ? 'demo' : 'other';
}

/**
 * Drops every table by running the migrations down, then up again: the same schema a new install
 * gets, on SQLite and PostgreSQL alike. The append-only audit triggers go with their table.
 */
export async function resetDemoStore(db: Db): Promise<void> {
  if ((await demoState(db)) === 'other') {
    throw new Error('refusing to reset a database that holds an inventory the demo did not create');
  }
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error } = await migrator.migrateTo(NO_MIGRATIONS);
  if (error) throw error instanceof Error ? error : new Error(String(error));
  await migrateToLatest(db);
}
