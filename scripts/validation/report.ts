import { relative } from 'node:path';
import { matrixProblems, type Requirement } from './matrix.ts';

// The validation report from one run of the suite: each requirement of the matrix with its tests and
// their results, the totals and where and what was run. Pure: the entry script gathers the inputs.

/** The part of vitest's JSON reporter output the report reads. */
export interface VitestJson {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests?: number;
  startTime: number;
  success: boolean;
  testResults: {
    name: string;
    assertionResults: { title: string; fullName: string; status: string; duration?: number | null }[];
  }[];
}

export interface RunFacts {
  version: string;
  commit: string;
  date: string;
  environment: Record<string, string>;
  /** The test files asked for, when the run was a subset of the suite. */
  subset: string[];
}

export type Outcome = 'passed' | 'failed' | 'not run' | 'missing';
export type Verdict = 'passed' | 'failed' | 'not run' | 'gap';

export interface RequirementResult {
  id: string;
  framework: string;
  title: string;
  mechanism: string;
  verdict: Verdict;
  tests: { file: string; title: string; outcome: Outcome }[];
}

export interface ValidationReport extends RunFacts {
  totals: { tests: number; passed: number; failed: number; skipped: number; files: number };
  requirements: RequirementResult[];
  summary: Record<Verdict, number>;
  /** Problems with the matrix itself (a named test that does not exist). */
  matrixProblems: string[];
  passed: boolean;
}

export function buildReport(
  requirements: Requirement[],
  results: VitestJson,
  facts: RunFacts,
  root: string,
): ValidationReport {
  const outcomes = new Map<string, Outcome>();
  for (const file of results.testResults) {
    const path = relative(root, file.name).split('\\').join('/');
    for (const a of file.assertionResults) {
      const key = `${path}\u0000${a.title}`;
      const outcome: Outcome = a.status === 'passed' ? 'passed' : a.status === 'failed' ? 'failed' : 'not run';
      // A title used twice in one file counts as failed if either failed.
      if (outcomes.get(key) !== 'failed') outcomes.set(key, outcome);
    }
  }
  const problems = matrixProblems(requirements, root);
  const missing = new Set(problems.map((p) => p.problem));
  const ran = (file: string) =>
    facts.subset.length === 0 || facts.subset.some((s) => file === s || file.startsWith(s.replace(/\/?$/, '/')));

  const rows: RequirementResult[] = requirements.map((r) => {
    const tests = r.tests.map((t) => {
      let outcome = outcomes.get(`${t.file}\u0000${t.title}`);
      if (!outcome) {
        const absent =
          missing.has(`${t.file} has no test named "${t.title}"`) || missing.has(`${t.file} does not exist`);
        outcome = absent ? 'missing' : ran(t.file) ? 'missing' : 'not run';
      }
      return { ...t, outcome };
    });
    let verdict: Verdict;
    if (r.gap) verdict = 'gap';
    else if (tests.some((t) => t.outcome === 'failed' || t.outcome === 'missing')) verdict = 'failed';
    else if (tests.some((t) => t.outcome === 'not run')) verdict = 'not run';
    else verdict = 'passed';
    return { id: r.id, framework: r.framework, title: r.title, mechanism: r.mechanism, verdict, tests };
  });
  const summary: Record<Verdict, number> = { passed: 0, failed: 0, 'not run': 0, gap: 0 };
  for (const r of rows) summary[r.verdict] += 1;
  const totals = {
    tests: results.numTotalTests,
    passed: results.numPassedTests,
    failed: results.numFailedTests,
    skipped: results.numPendingTests + (results.numTodoTests ?? 0),
    files: results.testResults.length,
  };
  return {
    ...facts,
    totals,
    requirements: rows,
    summary,
    matrixProblems: problems.map((p) => `${p.requirement}: ${p.problem}`),
    passed: totals.failed === 0 && summary.failed === 0 && problems.length === 0,
  };
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function reportMarkdown(r: ValidationReport): string {
  const lines = [
    '# Validation report',
    '',
    `Result: **${r.passed ? 'PASSED' : 'FAILED'}**${r.subset.length ? ` (a subset of the suite: ${r.subset.join(', ')})` : ''}`,
    '',
    `- Version: ${r.version}`,
    `- Commit: ${r.commit}`,
    `- Date: ${r.date}`,
    ...Object.entries(r.environment).map(([k, v]) => `- ${k}: ${v}`),
    '',
    '## Totals',
    '',
    `Tests: ${r.totals.tests} in ${r.totals.files} files; passed ${r.totals.passed}, failed ${r.totals.failed}, skipped ${r.totals.skipped}.`,
    `Requirements: passed ${r.summary.passed}, failed ${r.summary.failed}, not run ${r.summary['not run']}, gap ${r.summary.gap}.`,
    '',
  ];
  if (r.matrixProblems.length) lines.push('## Matrix problems', '', ...r.matrixProblems.map((p) => `- ${p}`), '');
  lines.push('## Requirements', '', '| Requirement | Framework | Verdict | Tests |', '| --- | --- | --- | --- |');
  for (const q of r.requirements) {
    const tests = q.tests.map((t) => `${t.outcome}: ${cell(t.title)} (${t.file})`).join('<br>') || '(none)';
    lines.push(`| ${q.id}: ${cell(q.title)} | ${cell(q.framework)} | ${q.verdict} | ${tests} |`);
  }
  lines.push('', '## Mechanisms', '');
  for (const q of r.requirements) lines.push(`- **${q.id}**: ${q.mechanism}`);
  return `${lines.join('\n')}\n`;
}
