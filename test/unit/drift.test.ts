import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY as policy } from '../../src/core/policy/policy.ts';
import { detectDrift, type Snapshot } from '../../src/core/posture/drift.ts';

const s = (takenOn: string, score: number, grade: Snapshot['grade']): Snapshot => ({ takenOn, score, grade });

describe('detectDrift', () => {
  it('flags a fall of 10 points within 7 days, measured from the best score in the window', () => {
    const previous = [s('2026-02-24', 95, 'A'), s('2026-02-26', 88, 'B'), s('2026-02-28', 86, 'B')];
    const drift = detectDrift(previous, s('2026-03-02', 85, 'B'), policy);
    expect(drift).toEqual({
      kind: 'score_drop',
      from: s('2026-02-24', 95, 'A'),
      to: s('2026-03-02', 85, 'B'),
      message: 'Posture fell 10 points since 2026-02-24 (95 → 85, grade A → B).',
    });
  });

  it('ignores a fall of 9 points, and a fall spread over more than the window', () => {
    expect(detectDrift([s('2026-05-25', 89, 'B')], s('2026-06-01', 80, 'B'), policy)).toBeNull();
    // 2026-05-24 is 8 days before: outside the 7-day window.
    expect(
      detectDrift([s('2026-05-24', 99, 'A'), s('2026-05-31', 92, 'A')], s('2026-06-01', 90, 'A'), policy),
    ).toBeNull();
  });

  it('flags any grade drop against the latest snapshot, even by one point', () => {
    const drift = detectDrift([s('2026-05-31', 80, 'B')], s('2026-06-01', 79, 'C'), policy);
    expect(drift).toMatchObject({
      kind: 'grade_drop',
      from: { takenOn: '2026-05-31' },
      message: 'Posture grade fell from B to C since 2026-05-31 (80 → 79).',
    });
  });

  it('does not flag a rise, a steady score, or the first snapshot', () => {
    expect(detectDrift([], s('2026-06-01', 40, 'F'), policy)).toBeNull();
    expect(detectDrift([s('2026-05-31', 70, 'C')], s('2026-06-01', 85, 'B'), policy)).toBeNull();
    expect(detectDrift([s('2026-05-31', 85, 'B')], s('2026-06-01', 85, 'B'), policy)).toBeNull();
  });

  it('ignores a snapshot taken the same day', () => {
    expect(detectDrift([s('2026-06-01', 100, 'A')], s('2026-06-01', 50, 'F'), policy)).toBeNull();
  });
});
