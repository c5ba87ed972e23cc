import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The traceability matrix (docs/compliance/part-11.md) as data: requirements, their mechanism and the
// tests that prove them, by file and title. Read by the matrix unit test and the validation report.

export const MATRIX_FILE = 'docs/compliance/part-11.md';

export interface TestRef {
  file: string;
  title: string;
}

export interface Requirement {
  id: string;
  title: string;
  /** The framework section it sits under, e.g. "21 CFR Part 11". */
  framework: string;
  mechanism: string;
  gap: boolean;
  tests: TestRef[];
}

const HEADING = /^### ([A-Za-z0-9-]+): (.+)$/;
const TEST_LINE = /^- `([^`]+\.test\.ts)` › (.+)$/;

export function parseMatrix(text: string): Requirement[] {
  const requirements: Requirement[] = [];
  let framework = '';
  let current: Requirement | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('## ')) {
      framework = line.slice(3).trim();
      current = null;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      current = { id: heading[1]!, title: heading[2]!.trim(), framework, mechanism: '', gap: false, tests: [] };
      requirements.push(current);
      continue;
    }
    if (!current) continue;
    if (line.startsWith('Mechanism:')) current.mechanism = line.slice('Mechanism:'.length).trim();
    else if (/^Status:\s*gap\b/i.test(line)) current.gap = true;
    else {
      const test = TEST_LINE.exec(line);
      if (test) current.tests.push({ file: test[1]!, title: test[2]!.trim() });
      else if (current.mechanism && line.trim() && !line.startsWith('Tests:') && current.tests.length === 0) {
        current.mechanism += ` ${line.trim()}`;
      }
    }
  }
  return requirements;
}

export function readMatrix(root: string): Requirement[] {
  return parseMatrix(readFileSync(join(root, MATRIX_FILE), 'utf8'));
}

/** Whether `source` declares a test (`it(` or `test(`) with exactly this title, in any quote style. */
export function declaresTest(source: string, title: string): boolean {
  const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\b(?:it|test)(?:\\.\\w+)?\\(\\s*(['"\`])${escaped}\\1`).test(source);
}

export interface MatrixProblem {
  requirement: string;
  problem: string;
}

/** Tests the matrix names that do not exist, and requirements that claim no gap but name no test. */
export function matrixProblems(requirements: Requirement[], root: string): MatrixProblem[] {
  const problems: MatrixProblem[] = [];
  const sources = new Map<string, string | null>();
  const source = (file: string) => {
    if (!sources.has(file)) {
      const path = join(root, file);
      sources.set(file, existsSync(path) ? readFileSync(path, 'utf8') : null);
    }
    return sources.get(file) ?? null;
  };
  const ids = new Set<string>();
  for (const r of requirements) {
    if (ids.has(r.id)) problems.push({ requirement: r.id, problem: 'the id is used twice' });
    ids.add(r.id);
    if (!r.gap && r.tests.length === 0) problems.push({ requirement: r.id, problem: 'names no test and is not a gap' });
    for (const t of r.tests) {
      const text = source(t.file);
      if (text === null) problems.push({ requirement: r.id, problem: `${t.file} does not exist` });
      else if (!declaresTest(text, t.title)) {
        problems.push({ requirement: r.id, problem: `${t.file} has no test named "${t.title}"` });
      }
    }
  }
  return problems;
}
