import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.ts';
import { isUserError } from '../core/common/errors.ts';
import { type CliIO, ExitWith, FailedCheck, UsageError } from './io.ts';
import { registerAsset } from './verbs/asset.ts';
import { registerAudit } from './verbs/audit.ts';
import { registerBackup } from './verbs/backup.ts';
import { registerCheck } from './verbs/check.ts';
import { registerExport } from './verbs/export.ts';
import { registerImport } from './verbs/import.ts';
import { registerList } from './verbs/list.ts';
import { registerMigrate } from './verbs/migrate.ts';
import { registerPosture } from './verbs/posture.ts';
import { registerRoles } from './verbs/roles.ts';
import { registerSeed } from './verbs/seed.ts';
import { registerSweep } from './verbs/sweep.ts';

const VERBS = [
  registerMigrate,
  registerSeed,
  registerImport,
  registerExport,
  registerPosture,
  registerList,
  registerSweep,
  registerAudit,
  registerBackup,
  registerRoles,
  registerAsset,
  registerCheck,
];

/**
 * Runs one CLI invocation and returns its exit code: 0 done, 1 a check failed or an internal error,
 * 2 bad input (one clear line on stderr, nothing changed).
 */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const program = new Command('vendor-risk')
    .description('Operator commands for the vendor-risk bot')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  for (const register of VERBS) register(program, io);
  for (const command of program.commands) command.exitOverride();

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' ? 0 : 2;
    }
    if (error instanceof UsageError || error instanceof ConfigError || isUserError(error)) {
      io.err(`error: ${(error as Error).message}`);
      return 2;
    }
    if (error instanceof ExitWith) {
      if (error.message) io.err(error.message);
      return error.code;
    }
    if (error instanceof FailedCheck) {
      io.err(error.message);
      return 1;
    }
    io.err(`error: ${(error as Error).message ?? String(error)}`);
    return 1;
  }
}
