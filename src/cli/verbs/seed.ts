import type { Command } from 'commander';
import { demoState, resetDemoStore } from '../../demo/reset.ts';
import { seedDemo } from '../../demo/seed.ts';
import { withStore } from '../context.ts';
import { type CliIO, UsageError } from '../io.ts';

export function registerSeed(program: Command, io: CliIO): void {
  program
    .command('seed')
    .description('load the demo portfolio: a life-sciences sponsor with about 25 vendors and findings in every state')
    .option('--demo', 'seed the demo portfolio')
    .option('--force', 'reset a database the demo seeded before, then seed it afresh')
    .action((options: { demo?: boolean; force?: boolean }) => {
      if (!options.demo) throw new UsageError('say what to seed: `seed --demo` loads the demo portfolio');
      return withStore(io, async ({ deps, actor }) => {
        const state = await demoState(deps.db);
        if (state === 'other') {
          throw new UsageError(
            'this database holds a vendor inventory the demo did not create; nothing was changed (point DATABASE_URL at a new file for the demo)',
          );
        }
        if (state === 'demo' && !options.force) {
          throw new UsageError('the demo is already seeded in this database; nothing was changed (--force resets it)');
        }
        if (state === 'demo') await resetDemoStore(deps.db);
        const s = await seedDemo(deps, { actor });
        const states = Object.entries(s.findings)
          .filter(([, n]) => n > 0)
          .map(([state, n]) => `${n} ${state.replace('_', ' ')}`)
          .join(', ');
        const findings = Object.values(s.findings).reduce((a, b) => a + b, 0);
        io.out(
          `${state === 'demo' ? 'reset and seeded' : 'seeded'} the demo portfolio: ${s.vendors} vendors, ${s.evidence} evidence documents, ${s.signals} signals, ${s.assessments} reassessments, ${findings} findings (${states}); ${s.auditRows} audit rows`,
        );
      });
    });
}
