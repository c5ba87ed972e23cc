import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMatrix } from '../../scripts/validation/matrix.ts';
import { buildReport, reportMarkdown, type VitestJson } from '../../scripts/validation/report.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FILE = 'test/unit/validation-report.test.ts';
const OTHER = 'test/unit/compliance-matrix.test.ts';

const matrix = parseMatrix(
  [
    '## Example framework',
    '### R-1: Passes',
    'Mechanism: one.',
    `- \`${FILE}\` › maps each requirement to the results of its tests, and a missing or failed test fails the requirement`,
    '### R-2: Fails',
    'Mechanism: two.',
    `- \`${OTHER}\` › names only tests that exist, for every requirement that is not a gap`,
    '### R-3: Missing',
    'Mechanism: three.',
    `- \`${FILE}\` › a title nobody wrote`,
    '### R-4: Planned',
    'Status: gap',
  ].join('\n'),
);

function results(statuses: Record<string, string>): VitestJson {
  const files = new Map<string, { title: string; fullName: string; status: string }[]>();
  for (const [key, status] of Object.entries(statuses)) {
    const [file, title] = key.split(' › ') as [string, string];
    files.set(file, [...(files.get(file) ?? []), { title, fullName: title, status }]);
  }
  const all = [...files.values()].flat();
  return {
    numTotalTests: all.length,
    numPassedTests: all.filter((a) => a.status === 'passed').length,
    numFailedTests: all.filter((a) => a.status === 'failed').length,
    numPendingTests: 0,
    startTime: Date.parse('2026-12-01T10:00:00Z'),
    success: all.every((a) => a.status === 'passed'),
    testResults: [...files].map(([file, assertionResults]) => ({ name: join(root, file), assertionResults })),
  };
}

const facts = {
  version: 'vendor-risk 0.1.0',
  commit: 'abc123',
  date: '2026-12-01T10:05:00.000Z',
  environment: { Node: 'v22' },
  subset: [],
};

describe('validation report', () => {
  it('maps each requirement to the results of its tests, and a missing or failed test fails the requirement', () => {
    const report = buildReport(
      matrix,
      results({
        [`${FILE} › maps each requirement to the results of its tests, and a missing or failed test fails the requirement`]:
          'passed',
        [`${OTHER} › names only tests that exist, for every requirement that is not a gap`]: 'failed',
      }),
      facts,
      root,
    );
    expect(report.requirements.map((r) => [r.id, r.verdict])).toEqual([
      ['R-1', 'passed'],
      ['R-2', 'failed'],
      ['R-3', 'failed'],
      ['R-4', 'gap'],
    ]);
    expect(report.requirements[2]!.tests[0]!.outcome).toBe('missing');
    expect(report.summary).toEqual({ passed: 1, failed: 2, 'not run': 0, gap: 1 });
    expect(report.totals).toMatchObject({ tests: 2, passed: 1, failed: 1 });
    expect(report.passed).toBe(false);
    const md = reportMarkdown(report);
    expect(md).toContain('Result: **FAILED**');
    expect(md).toContain('- Commit: abc123');
    expect(md).toContain('| R-2: Fails | Example framework | failed | failed: names only tests that exist');
  });

  it('marks requirements whose tests were outside a subset run as not run, not failed', () => {
    const report = buildReport(
      matrix.slice(0, 2),
      results({
        [`${FILE} › maps each requirement to the results of its tests, and a missing or failed test fails the requirement`]:
          'passed',
      }),
      { ...facts, subset: [FILE] },
      root,
    );
    expect(report.requirements.map((r) => r.verdict)).toEqual(['passed', 'not run']);
    expect(report.passed).toBe(true);
    expect(reportMarkdown(report)).toContain(`(a subset of the suite: ${FILE})`);
  });
});
