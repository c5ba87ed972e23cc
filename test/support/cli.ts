import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/program.ts';
import { TEST_AUDIT_KEY_HEX } from './audit-key.ts';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs the real CLI in-process against a database file in a fresh temporary folder. */
export function cliSandbox(extraEnv: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'vendor-risk-cli-'));
  const env: Record<string, string> & { DATABASE_URL: string } = {
    DATABASE_URL: join(dir, 'cli.db'),
    LOG_LEVEL: 'silent',
    AUDIT_KEY: TEST_AUDIT_KEY_HEX,
    ...extraEnv,
  };
  return {
    dir,
    env,
    file: (name: string) => join(dir, name),
    run: async (...argv: string[]): Promise<CliRun> => {
      let out = '';
      let err = '';
      const code = await runCli(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), env });
      return { code, out, err };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
