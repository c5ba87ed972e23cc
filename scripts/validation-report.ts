import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMatrix } from './validation/matrix.ts';
import { buildReport, reportMarkdown, type VitestJson } from './validation/report.ts';

// `npm run validation-report [-- [--out <dir>] [test files...]]`: runs the suite once with vitest's JSON
// reporter and writes <dir>/report.md and <dir>/report.json (validation/ by default): version, commit,
// environment, each requirement of docs/compliance/part-11.md with its tests and their results, totals,
// date. Exit code 0 only when every test and every requirement passed. Naming test files runs a subset,
// and the report says so.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
let out = join(root, 'validation');
const subset: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out') out = resolve(args[++i] ?? out);
  else subset.push(args[i]!);
}

function git(...argv: string[]): string | null {
  const run = spawnSync('git', argv, { cwd: root, encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : null;
}

const work = mkdtempSync(join(tmpdir(), 'vendor-risk-validation-'));
const jsonFile = join(work, 'vitest.json');
try {
  const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const run = spawnSync(
    process.execPath,
    [vitest, 'run', '--reporter=dot', '--reporter=json', `--outputFile.json=${jsonFile}`, ...subset],
    { cwd: root, stdio: 'inherit', env: process.env },
  );
  if (!existsSync(jsonFile)) {
    process.stderr.write(`the test run wrote no results (exit ${run.status}); no report written\n`);
    process.exit(1);
  }
  const results = JSON.parse(readFileSync(jsonFile, 'utf8')) as VitestJson;
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  const commit = git('rev-parse', 'HEAD');
  const dirty = git('status', '--porcelain', '--untracked-files=no');
  const database = /^postgres/.test(process.env.TEST_DATABASE_URL ?? '') ? 'PostgreSQL' : 'SQLite';
  const report = buildReport(
    readMatrix(root),
    results,
    {
      version: `${pkg.name} ${pkg.version}`,
      commit: commit ? `${commit}${dirty ? ' (with uncommitted changes)' : ''}` : 'unknown (not a git checkout)',
      date: new Date().toISOString(),
      environment: {
        Node: process.version,
        OS: `${process.platform} ${release()} ${process.arch}`,
        CPUs: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
        'Test database': database,
        'Test started': new Date(results.startTime).toISOString(),
      },
      subset,
    },
    root,
  );
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(out, 'report.md'), reportMarkdown(report));
  const s = report.summary;
  process.stdout.write(
    `\nvalidation report ${report.passed ? 'PASSED' : 'FAILED'}: ${report.totals.passed}/${report.totals.tests} tests passed; ` +
      `requirements passed ${s.passed}, failed ${s.failed}, not run ${s['not run']}, gap ${s.gap}\n` +
      `written to ${join(out, 'report.md')} and report.json\n`,
  );
  process.exitCode = report.passed ? 0 : 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
