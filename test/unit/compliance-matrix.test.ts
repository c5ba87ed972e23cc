import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { matrixProblems, parseMatrix, readMatrix } from '../../scripts/validation/matrix.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('the traceability matrix (docs/compliance/part-11.md)', () => {
  it('names only tests that exist, for every requirement that is not a gap', () => {
    const requirements = readMatrix(root);
    expect(requirements.length).toBeGreaterThan(10);
    expect(matrixProblems(requirements, root)).toEqual([]);
    for (const framework of [
      '21 CFR Part 11',
      'EU GMP Annex 11',
      'HIPAA 164.312 (technical safeguards)',
      'NIS2 Art. 21(2)',
    ]) {
      expect(requirements.some((r) => r.framework === framework)).toBe(true);
    }
  });

  it('reports a test that was renamed or removed, and a requirement that names none', () => {
    const requirements = parseMatrix(
      [
        '## Example',
        '### X-1: Something',
        'Mechanism: a thing.',
        'Tests:',
        '- `test/unit/compliance-matrix.test.ts` › a test nobody wrote',
        '- `test/unit/no-such-file.test.ts` › anything',
        '### X-2: Nothing',
        'Mechanism: none yet.',
        '### X-3: Planned',
        'Status: gap',
      ].join('\n'),
    );
    expect(requirements.map((r) => [r.id, r.gap, r.tests.length])).toEqual([
      ['X-1', false, 2],
      ['X-2', false, 0],
      ['X-3', true, 0],
    ]);
    expect(matrixProblems(requirements, root)).toEqual([
      { requirement: 'X-1', problem: 'test/unit/compliance-matrix.test.ts has no test named "a test nobody wrote"' },
      { requirement: 'X-1', problem: 'test/unit/no-such-file.test.ts does not exist' },
      { requirement: 'X-2', problem: 'names no test and is not a gap' },
    ]);
  });
});
