import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay } from '../../src/delivery/backoff.ts';

const policy = { baseMs: 1_000, capMs: 60_000 };

describe('backoff with full jitter', () => {
  it('doubles the ceiling per failed attempt up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 40].map((n) => backoffCeiling(n, policy))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000,
    ]);
  });

  it('draws the delay uniformly between zero and the ceiling', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(2_000);
    expect(backoffDelay(3, policy, () => 0.999_999_9)).toBe(4_000);
    expect(backoffDelay(30, policy, () => 0.999_999_9)).toBe(60_000);
  });
});
