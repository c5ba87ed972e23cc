import { describe, expect, it } from 'vitest';
import type { Observation } from '../../src/core/exposure/observation.ts';
import { parseTarget } from '../../src/core/exposure/targets.ts';
import { createProbePacer } from '../../src/exposure/pacing.ts';
import type { Probe } from '../../src/exposure/probe.ts';
import { probeTarget } from '../../src/exposure/probe-asset.ts';

// The pacing promise made to vendors: a bounded number of probes at once, one at a time per host with
// a gap between them, and nothing at all sent to an address that is not public (unless allowed).

function recordingProbe() {
  const log: { host: string; start: number; end: number }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const probe: Probe = async (target) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const start = Date.now();
    await new Promise((r) => setTimeout(r, 30));
    inFlight -= 1;
    log.push({ host: target.hostname, start, end: Date.now() });
    const seen: Observation = {
      check: 'redis',
      asked: 'PING',
      answered: 'NOAUTH',
      reached: true,
      access: 'protected',
      facts: {},
    };
    return seen;
  };
  return { probe, log, max: () => maxInFlight };
}

const resolve = async () => ['93.184.216.34'];

describe('exposure check pacing', () => {
  it('never runs more probes at once than allowed', async () => {
    const { probe, max } = recordingProbe();
    const pacer = createProbePacer({ maxConcurrent: 2, perHostGapMs: 0 });
    const targets = Array.from({ length: 8 }, (_, i) => parseTarget(`cache${i}.acme.example:6379`));
    await Promise.all(
      targets.map((t) =>
        probeTarget(t, { allowPrivate: false, timeoutMs: 1000, pacer, resolve, probes: { redis: probe } }),
      ),
    );
    await pacer.stop();
    expect(max()).toBe(2);
  });

  it('probes one host one at a time, at least the gap apart', async () => {
    const { probe, log } = recordingProbe();
    const pacer = createProbePacer({ maxConcurrent: 4, perHostGapMs: 100 });
    const targets = [6379, 6380, 6381].map((p) => parseTarget(`cache.acme.example:${p}`, 'redis'));
    await Promise.all(
      targets.map((t) =>
        probeTarget(t, { allowPrivate: false, timeoutMs: 1000, pacer, resolve, probes: { redis: probe } }),
      ),
    );
    await pacer.stop();
    const starts = log.map((l) => l.start).sort((a, b) => a - b);
    expect(starts).toHaveLength(3);
    for (let i = 1; i < starts.length; i++) expect((starts[i] ?? 0) - (starts[i - 1] ?? 0)).toBeGreaterThanOrEqual(99);
    const sorted = [...log].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]?.start).toBeGreaterThanOrEqual(sorted[i - 1]?.end ?? 0);
  });

  it('sends nothing to a name that resolves to a private address, unless allowed', async () => {
    const { probe, log } = recordingProbe();
    const pacer = createProbePacer();
    const target = parseTarget('cache.acme.example:6379');
    const inward = async () => ['93.184.216.34', '10.0.0.7'];
    const run = await probeTarget(target, {
      allowPrivate: false,
      timeoutMs: 1000,
      pacer,
      resolve: inward,
      probes: { redis: probe },
    });
    expect(run.address).toBeNull();
    expect(run.observation).toMatchObject({ reached: false, access: 'unknown' });
    expect(run.observation.answered).toMatch(/10\.0\.0\.7, a private/);
    expect(log).toHaveLength(0);
    const allowed = await probeTarget(target, {
      allowPrivate: true,
      timeoutMs: 1000,
      pacer,
      resolve: inward,
      probes: { redis: probe },
    });
    expect(allowed.address).toBe('93.184.216.34');
    expect(log).toHaveLength(1);
    await pacer.stop();
  });
});
