import { Command, CommanderError, Help } from 'commander';
import { type CliIO, ExitWith, FailedCheck, UsageError } from './io.ts';

type Register = (program: Command, io: CliIO) => void;

interface Verb {
  /** As the top-level help lists it: the name, `[options]` when it has any, its arguments. */
  term: string;
  summary: string;
  load: () => Promise<Register>;
}

// Each verb's module (and with it kysely, better-sqlite3, date-fns, csv, ...) is imported only when that
// verb runs or shows its own help, so `vendor-risk --help` and a mistyped verb answer at once. The
// top-level listing is this table; a unit test holds it equal to what each verb registers.
export const VERBS: Record<string, Verb> = {
  migrate: {
    term: 'migrate',
    summary: 'create or upgrade the database schema to the latest version',
    load: async () => (await import('./verbs/migrate.ts')).registerMigrate,
  },
  seed: {
    term: 'seed [options]',
    summary: 'load the demo portfolio: a life-sciences sponsor with about 25 vendors and findings in every state',
    load: async () => (await import('./verbs/seed.ts')).registerSeed,
  },
  import: {
    term: 'import',
    summary: 'load vendors or evidence from a CSV file: all rows or none',
    load: async () => (await import('./verbs/import.ts')).registerImport,
  },
  export: {
    term: 'export [options] <what>',
    summary: 'write vendors, findings or the audit log as CSV or JSON',
    load: async () => (await import('./verbs/export.ts')).registerExport,
  },
  posture: {
    term: 'posture <name...>',
    summary: "a vendor's grade, score, residual risk, drivers, evidence, open findings and review dates",
    load: async () => (await import('./verbs/posture.ts')).registerPosture,
  },
  list: {
    term: 'list [options]',
    summary: 'list vendors with tier, grade, open findings, owner and review dates',
    load: async () => (await import('./verbs/list.ts')).registerList,
  },
  sweep: {
    term: 'sweep [options]',
    summary: 'run the scheduled triggers once: reminders, expiries, SLAs, posture drift, the weekly digest',
    load: async () => (await import('./verbs/sweep.ts')).registerSweep,
  },
  audit: {
    term: 'audit',
    summary: 'the tamper-evident audit log',
    load: async () => (await import('./verbs/audit.ts')).registerAudit,
  },
  backup: {
    term: 'backup <file>',
    summary: 'write an online, consistent copy of the database and verify it',
    load: async () => (await import('./verbs/backup.ts')).registerBackup,
  },
  roles: {
    term: 'roles',
    summary: 'who may act as analyst, approver or admin',
    load: async () => (await import('./verbs/roles.ts')).registerRoles,
  },
  asset: {
    term: 'asset',
    summary: "a vendor's declared internet-facing assets, checked for exposure once authorised",
    load: async () => (await import('./verbs/asset.ts')).registerAsset,
  },
  check: {
    term: 'check <vendor>',
    summary: "check a vendor's authorised assets for exposure now (exit 3 when something is exposed)",
    load: async () => (await import('./verbs/check.ts')).registerCheck,
  },
  incident: {
    term: 'incident',
    summary: 'vendor incidents: declare one at once, list the open ones, write the regulator-ready report',
    load: async () => (await import('./verbs/incident.ts')).registerIncident,
  },
};

/** The verb an argument list asks for (`help posture` asks for posture), if it is one of ours. */
function verbOf(argv: string[]): string | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  return name !== undefined && Object.hasOwn(VERBS, name) ? name : undefined;
}

/**
 * Runs one CLI invocation and returns its exit code: 0 done, 1 a check failed or an internal error,
 * 2 bad input (one clear line on stderr, nothing changed).
 */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const program = new Command('vendor-risk')
    .description('Operator commands for the vendor-risk bot')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .configureHelp({
      subcommandTerm: (command) => VERBS[command.name()]?.term ?? new Help().subcommandTerm(command),
    });
  const wanted = verbOf(argv);
  for (const [name, verb] of Object.entries(VERBS)) {
    if (name === wanted) (await verb.load())(program, io);
    else program.command(name).description(verb.summary);
  }
  for (const command of program.commands) command.exitOverride();

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' ? 0 : 2;
    }
    if (error instanceof ExitWith) {
      if (error.message) io.err(error.message);
      return error.code;
    }
    if (error instanceof FailedCheck) {
      io.err(error.message);
      return 1;
    }
    if (error instanceof UsageError || (await isUsersMistake(error))) {
      io.err(`error: ${(error as Error).message}`);
      return 2;
    }
    io.err(`error: ${(error as Error).message ?? String(error)}`);
    return 1;
  }
}

/** Bad settings or input the core refused; imported here, late, as only a verb that ran can cause them. */
async function isUsersMistake(error: unknown): Promise<boolean> {
  const [{ ConfigError }, { isUserError }] = await Promise.all([
    import('../config.ts'),
    import('../core/common/errors.ts'),
  ]);
  return error instanceof ConfigError || isUserError(error);
}
