import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `npx vendor-risk` as an operator runs it: bin/vendor-risk.js in its own process. Help must answer at
// once, so it may load commander and nothing of the database, dates, CSV, logging or validation.

const CLI = fileURLToPath(new URL('../../bin/vendor-risk.js', import.meta.url));

// Registered with --import: prints every module URL the process loads, one per line on stderr.
const RECORD_IMPORTS = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(
  'export async function load(url, context, next) { process.stderr.write("loaded " + url + "\\\\n"); return next(url, context); }'
));
`)}`;

const HEAVY = [
  'kysely',
  'better-sqlite3',
  'pg',
  'date-fns',
  '@date-fns/tz',
  'csv-parse',
  'csv-stringify',
  'pino',
  'zod',
  'yaml',
];

describe('the CLI process', () => {
  it('shows the top-level help without loading any verb or their libraries', () => {
    // The sources, module by module, whether or not dist/ is current: the bundle holds its packages in
    // chunks named by hash, so only the sources show which ones help loads.
    const run = spawnSync(process.execPath, ['--import', RECORD_IMPORTS, CLI, '--help'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', VENDOR_RISK_RUN: 'sources' },
    });
    expect(run.status).toBe(0);
    for (const verb of [
      'migrate',
      'seed',
      'import',
      'export',
      'posture',
      'list',
      'sweep',
      'audit',
      'backup',
      'roles',
    ]) {
      expect(run.stdout).toMatch(new RegExp(`^  ${verb}\\b`, 'm'));
    }
    const loaded = run.stderr
      .split('\n')
      .filter((line) => line.startsWith('loaded '))
      .map((line) => line.slice('loaded '.length));
    expect(loaded.some((url) => /cli\/program\.(ts|js)$/.test(url))).toBe(true);
    const packages = loaded.flatMap((url) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []);
    expect(packages.filter((name) => HEAVY.includes(name))).toEqual([]);
    expect(loaded.filter((url) => /cli\/verbs\//.test(url))).toEqual([]);
  });

  it('loads the one verb asked for to show its own help', () => {
    const run = spawnSync(process.execPath, [CLI, 'posture', '--help'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: vendor-risk posture \[options\] <name\.\.\.>/m);
  });
});
