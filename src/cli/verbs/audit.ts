import type { Command } from 'commander';
import { verifyAuditChain } from '../../core/audit/log.ts';
import { withStore } from '../context.ts';
import { type CliIO, FailedCheck } from '../io.ts';

export function registerAudit(program: Command, io: CliIO): void {
  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description('walk the hash chain; exit code 0 only when every row is intact')
    .action(() =>
      withStore(io, async ({ store }) => {
        const verdict = await verifyAuditChain(store.db);
        if (!verdict.ok) {
          throw new FailedCheck(
            `audit chain BROKEN at seq ${verdict.firstBadSeq}: ${verdict.reason} (${verdict.rows} rows before it verified)`,
          );
        }
        io.out(`audit chain intact: ${verdict.rows} rows verified`);
      }),
    );
}
