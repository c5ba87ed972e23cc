import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ValidationReport } from '../../scripts/validation/report.ts';

// `npm run validation-report` end to end, on a small subset of the suite so the suite does not run twice.

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SUBSET = 'test/unit/audit-row-hash.test.ts';

describe('npm run validation-report', () => {
  let out = '';
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  it('runs the named tests and writes report.md and report.json with the requirements they prove', () => {
    out = mkdtempSync(join(tmpdir(), 'vendor-risk-validation-out-'));
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(root, 'scripts', 'validation-report.ts'), '--out', out, SUBSET],
      { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(run.stdout).toContain('validation report PASSED: 1/1 tests passed');
    expect(run.status).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ValidationReport;
    expect(report.version).toMatch(/^vendor-risk \d+\.\d+\.\d+/);
    expect(report.commit).toMatch(/^[0-9a-f]{40}|^unknown/);
    expect(report.environment.Node).toBe(process.version);
    expect(report.totals).toMatchObject({ tests: 1, passed: 1, failed: 0, files: 1 });
    const audit = report.requirements.find((r) => r.id === 'P11-10e')!;
    expect(audit.tests.find((t) => t.file === SUBSET)?.outcome).toBe('passed');
    expect(audit.verdict).toBe('not run');
    // Two-component signing has its tests now; none of them ran in this subset.
    expect(report.requirements.find((r) => r.id === 'P11-200')?.verdict).toBe('not run');
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('# Validation report');
    expect(md).toContain(`(a subset of the suite: ${SUBSET})`);
    expect(md).toMatch(
      /\| P11-10e: Secure, computer-generated, time-stamped audit trail \(11\.10\(e\)\) \| 21 CFR Part 11 \| not run \|/,
    );
  });
});
