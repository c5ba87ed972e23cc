import Bottleneck from 'bottleneck';

// How hard the checks lean on the world: at most `maxConcurrent` probes at once overall, and one at a
// time per host with `perHostGapMs` between them, so a vendor with many declared services sees a trickle,
// never a burst that looks like (or is) a scan. Bottleneck only paces; nothing here retries.

export interface ExposurePacing {
  maxConcurrent: number;
  perHostGapMs: number;
}

export const DEFAULT_PACING: ExposurePacing = { maxConcurrent: 4, perHostGapMs: 2_000 };

export interface ProbePacer {
  schedule<T>(host: string, work: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

export function createProbePacer(pacing: ExposurePacing = DEFAULT_PACING): ProbePacer {
  const overall = new Bottleneck({ maxConcurrent: pacing.maxConcurrent });
  const perHost = new Bottleneck.Group({ maxConcurrent: 1, timeout: 10 * 60_000 });
  // The gap is kept here rather than by Bottleneck's minTime, which counts from when a job is released,
  // not from when its probe starts: this way two probes of one host never start closer than the gap.
  const lastStart = new Map<string, number>();
  const spaced =
    <T>(host: string, work: () => Promise<T>) =>
    async (): Promise<T> => {
      const due = (lastStart.get(host) ?? Number.NEGATIVE_INFINITY) + pacing.perHostGapMs;
      // Timers may fire a millisecond early by the wall clock; wait until the clock agrees.
      while (Date.now() < due) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      lastStart.set(host, Date.now());
      return work();
    };
  return {
    // A slot overall is held while a job waits for its host, which can only slow checks, never crowd them.
    schedule: (host, work) => overall.schedule(() => perHost.key(host).schedule(spaced(host, work))),
    async stop() {
      await overall.stop({ dropWaitingJobs: false });
      const hosts = perHost.limiters().map((l) => l.limiter);
      await Promise.all(hosts.map((l) => l.stop({ dropWaitingJobs: false })));
      await Promise.all([...hosts, overall].map((l) => l.disconnect()));
    },
  };
}
