import type { Command } from 'commander';
import { readCheckpoints, takeCheckpoint } from '../../core/audit/checkpoint.ts';
import { verifyAuditTrail } from '../../core/audit/verify.ts';
import { withStore } from '../context.ts';
import { type CliIO, FailedCheck } from '../io.ts';

export function registerAudit(program: Command, io: CliIO): void {
  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description(
      'check every row, link, MAC, checkpoint and e-signature, and that time never runs backwards; exit code 0 only when all hold',
    )
    .action(() =>
      withStore(io, async ({ store, config }) => {
        const file = config.audit.checkpointFile;
        const verdict = await verifyAuditTrail(store.db, {
          key: config.audit.key,
          ...(file ? { checkpoints: readCheckpoints(file) } : {}),
        });
        for (const warning of verdict.warnings) io.err(`warning: ${warning}`);
        if (!verdict.ok && verdict.problem) {
          const p = verdict.problem;
          throw new FailedCheck(
            `audit trail BROKEN at ${p.where} (${p.kind}): ${p.message} (${verdict.rows} rows before it verified)`,
          );
        }
        io.out(
          `audit trail intact: ${verdict.rows} rows verified (${verdict.keyedRows} with a MAC), ` +
            `${verdict.checkpoints} checkpoints matched, ${verdict.signatures} e-signatures verified`,
        );
      }),
    );
  audit
    .command('checkpoint')
    .description('append the head of the chain to AUDIT_CHECKPOINT_FILE and post it to the audit channel')
    .action(() =>
      withStore(io, async ({ store, deps, config }) => {
        const outcome = await takeCheckpoint(
          store.db,
          deps.clock,
          { file: config.audit.checkpointFile, channels: config.audit.channels },
          { force: true },
        );
        if (!outcome.written) {
          throw new FailedCheck(
            `no checkpoint taken: ${outcome.reason} (set AUDIT_CHECKPOINT_FILE, SLACK_AUDIT_CHANNEL or TEAMS_AUDIT_CONVERSATION)`,
          );
        }
        const c = outcome.checkpoint;
        io.out(`checkpoint: seq ${c.seq}, hash ${c.hash}, at ${c.at}${c.mac ? '' : ' (no audit key: unkeyed)'}`);
      }),
    );
}
