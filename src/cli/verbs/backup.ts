import SqliteDatabase from 'better-sqlite3';
import type { Command } from 'commander';
import { verifyAuditChain } from '../../core/audit/log.ts';
import { backupSqlite } from '../../store/backup.ts';
import { openStore } from '../../store/database.ts';
import { withStore } from '../context.ts';
import { type CliIO, FailedCheck, UsageError } from '../io.ts';

export function registerBackup(program: Command, io: CliIO): void {
  program
    .command('backup')
    .description('write an online, consistent copy of the database and verify it')
    .argument('<file>', 'the new backup file (must not exist)')
    .action((target: string) =>
      withStore(io, async ({ store }) => {
        let copy: Awaited<ReturnType<typeof backupSqlite>>;
        try {
          copy = await backupSqlite(store, target);
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
        const backup = await openStore(copy.file);
        try {
          const verdict = await verifyAuditChain(backup.db);
          if (!verdict.ok)
            throw new FailedCheck(`backup written but its audit chain fails at seq ${verdict.firstBadSeq}`);
          const tables = ['vendors', 'findings', 'audit_log'] as const;
          const live = new SqliteDatabase(store.file ?? '', { readonly: true });
          const counts = tables.map((t) => `${t} ${count(live, t)}`).join(', ');
          live.close();
          io.out(
            `backup written to ${copy.file} (${copy.bytes} bytes): integrity ok, audit chain ok (${verdict.rows} rows); ${counts}`,
          );
        } finally {
          await backup.close();
        }
      }),
    );
}

function count(db: SqliteDatabase.Database, table: string): number {
  return (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
}
