import type { Command } from 'commander';
import { pino } from 'pino';
import { takeCheckpoint } from '../../core/audit/checkpoint.ts';
import { createLogger } from '../../log.ts';
import { runSweep, type SweepReport } from '../../scheduler/sweep.ts';
import { parseInstant, withStore } from '../context.ts';
import { type CliIO, FailedCheck, UsageError } from '../io.ts';

// `vendor-risk sweep [--now <ISO time>] [--dry-run]`: the scheduler's sweep, once, from a terminal.
// --now pretends another instant (catch up a test system, rehearse next Monday's digest); --dry-run
// does the whole sweep in a transaction and rolls it back, printing what would have been queued.
// A real sweep only queues: the running bot's relay picks the messages up from the outbox.
// Time is real: a --now later than the real time is refused unless --dry-run, because a real sweep
// would write audit rows dated in the future and use up reminders that are not due yet.

const count = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function describe(report: SweepReport, timeZone: string): string[] {
  const late = report.messages.filter((m) => m.late).length;
  const verb = report.dryRun ? 'would be queued' : 'queued';
  const lines = [
    `${report.dryRun ? 'dry run' : 'sweep'} at ${report.at} (${report.today} in ${timeZone}): ` +
      `${count(report.fired.length, 'trigger')} fired, ${count(report.messages.length, 'message')} ${verb} (${late} late), ` +
      `${count(report.snapshots, 'posture snapshot')}` +
      `${report.drifted.length ? `, drift on ${count(report.drifted.length, 'vendor')}` : ''}`,
  ];
  if (report.messages.length > 0) lines.push('target\ttemplate\tlate');
  for (const m of report.messages) lines.push(`${m.target}\t${m.template}\t${m.late ? 'late' : 'on time'}`);
  if (report.dryRun) lines.push('nothing was written (dry run)');
  return lines;
}

export function registerSweep(program: Command, io: CliIO): void {
  program
    .command('sweep')
    .description('run the scheduled triggers once: reminders, expiries, SLAs, posture drift, the weekly digest')
    .option('--now <time>', 'pretend it is this ISO-8601 instant, e.g. 2027-01-15T09:00:00Z')
    .option('--dry-run', 'print what would be queued (target, template, late) and write nothing')
    .action((opts: { now?: string; dryRun?: boolean }) => {
      const clock = parseInstant(opts.now);
      if (opts.now && !opts.dryRun && clock.now().getTime() > Date.now()) {
        throw new UsageError(
          `--now ${clock.now().toISOString()} is in the future; a real sweep is dated now. Add --dry-run to rehearse it without writing anything.`,
        );
      }
      return withStore(
        io,
        async ({ deps, config }) => {
          // Failures are logged as JSON on stderr, so stdout stays the readable report.
          const log = createLogger(config.logLevel, pino.destination({ dest: 2, sync: true }));
          const report = await runSweep(deps, { dryRun: opts.dryRun ?? false, log });
          for (const line of describe(report, config.timeZone)) io.out(line);
          if (!report.dryRun) {
            const target = { file: config.audit.checkpointFile, channels: config.audit.channels };
            const outcome = await takeCheckpoint(deps.db, deps.clock, target);
            if (outcome.written) io.out(`audit checkpoint at seq ${outcome.checkpoint.seq}`);
          }
          if (report.failed.length > 0) {
            throw new FailedCheck(
              `${report.failed.length} items failed and stay due (see the log): ${report.failed.join(', ')}`,
            );
          }
        },
        clock,
      );
    });
}
