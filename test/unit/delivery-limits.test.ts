import { describe, expect, it } from 'vitest';
import { ALL_LIMITS, slackPostPerChannel, worstCase } from '../../src/delivery/limits.ts';

describe('pacing limits', () => {
  it.each(ALL_LIMITS.map((l) => [l.name, l] as const))('%s: never lets more through than allowed', (_name, limit) => {
    expect(worstCase(limit)).toBeLessThanOrEqual(limit.limit.amount);
  });

  it.each(ALL_LIMITS.filter((l) => l.pacing.bucket).map((l) => [l.name, l] as const))(
    '%s: refills on bottleneck’s 250 ms beat',
    (_name, limit) => {
      expect(limit.pacing.bucket!.refillMs % 250).toBe(0);
    },
  );

  it('spaces raised per-channel rates without rounding below the interval', () => {
    for (const perSecond of [1, 3, 7, 20, 50]) expect(worstCase(slackPostPerChannel(perSecond))).toBe(1);
  });

  it('would catch a bucket that allows a burst on top of a full refill', () => {
    const tooGenerous = {
      name: 'bad',
      limit: { amount: 50, windowMs: 60_000 },
      pacing: { bucket: { burst: 50, refillMs: 1_500, refillAmount: 1 } },
    };
    expect(worstCase(tooGenerous)).toBeGreaterThan(50);
  });
});
