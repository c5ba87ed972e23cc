import SqliteDatabase from 'better-sqlite3';
import type { Command } from 'commander';
import { readCheckpoints } from '../../core/audit/checkpoint.ts';
import { verifyAuditTrail } from '../../core/audit/verify.ts';
import { backupSqlite } from '../../store/backup.ts';
import { openStore } from '../../store/database.ts';
import { withStore } from '../context.ts';
import { type CliIO, FailedCheck, UsageError } from '../io.ts';

// Everything reported is read from the copy, not from the live database: its integrity, its audit
// trail (rows, MACs, checkpoints, e-signatures) and its row counts. A backup that fails is named so.

export function registerBackup(program: Command, io: CliIO): void {
  program
    .command('backup')
    .description('write an online, consistent copy of the database and verify it')
    .argument('<file>', 'the new backup file (must not exist)')
    .action((target: string) =>
      withStore(io, async ({ store, config }) => {
        let copy: Awaited<ReturnType<typeof backupSqlite>>;
        try {
          copy = await backupSqlite(store, target);
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
        const backup = await openStore(copy.file);
        try {
          const file = config.audit.checkpointFile;
          const verdict = await verifyAuditTrail(backup.db, {
            key: config.audit.key,
            ...(file ? { checkpoints: readCheckpoints(file) } : {}),
          });
          if (!verdict.ok && verdict.problem) {
            throw new FailedCheck(
              `backup written to ${copy.file} but its audit trail fails at ${verdict.problem.where}: ${verdict.problem.message}`,
            );
          }
          const tables = ['vendors', 'findings', 'audit_log', 'signatures'] as const;
          const read = new SqliteDatabase(copy.file, { readonly: true });
          const counts = tables.map((t) => `${t} ${count(read, t)}`).join(', ');
          read.close();
          io.out(
            `backup written to ${copy.file} (${copy.bytes} bytes), checked on the copy: integrity ok, audit chain ok (${verdict.rows} rows, ${verdict.keyedRows} with a MAC, ${verdict.signatures} e-signatures); ${counts}`,
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
