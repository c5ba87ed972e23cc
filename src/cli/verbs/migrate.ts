import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { openStore } from '../../store/database.ts';
import { migrateToLatest } from '../../store/migrate.ts';
import type { CliIO } from '../io.ts';

export function registerMigrate(program: Command, io: CliIO): void {
  program
    .command('migrate')
    .description('create or upgrade the database schema to the latest version')
    .action(async () => {
      const config = loadConfig(io.env);
      const store = await openStore(config.databaseUrl);
      try {
        const applied = await migrateToLatest(store.db);
        io.out(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
      } finally {
        await store.close();
      }
    });
}
