// Shared measurement helpers. Every figure is reported next to a floor measured in the same run, so
// a noisy shared machine moves both sides and the ratio stays meaningful.

export interface BenchSection {
  title: string;
  /** One row per measured thing; the first column names it. */
  rows: Record<string, string | number>[];
  /** Lines of context printed under the table (what was measured, targets). */
  notes?: string[];
}

export interface Latency {
  p50: number;
  p99: number;
  mean: number;
  count: number;
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)] ?? Number.NaN;
}

export function summarise(samplesMs: number[]): Latency {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean, count: sorted.length };
}

/** Times `run` `iterations` times after `warmup` untimed runs; returns per-call latency in ms. */
export async function timeCalls(run: (i: number) => unknown, iterations: number, warmup = 50): Promise<Latency> {
  for (let i = 0; i < warmup; i++) await run(i);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    await run(i);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return summarise(samples);
}

/**
 * Runs ours and the floor interleaved in alternating blocks, so drift in machine load hits both
 * alike, and reports the p50 ratio (p99 ratios on a shared machine are mostly noise).
 */
export async function compare(
  ours: (i: number) => unknown,
  floor: (i: number) => unknown,
  iterations: number,
  /** Called between blocks, outside the timed calls (e.g. to sample memory). */
  betweenBlocks?: () => void,
): Promise<{ ours: Latency; floor: Latency; ratio: number }> {
  const a: number[] = [];
  const b: number[] = [];
  const block = 100;
  for (let i = 0; i < 50; i++) {
    await ours(i);
    await floor(i);
  }
  for (let done = 0; done < iterations; done += block) {
    for (const [fn, out] of [
      [ours, a],
      [floor, b],
    ] as const) {
      for (let i = done; i < Math.min(iterations, done + block); i++) {
        const start = process.hrtime.bigint();
        await fn(i);
        out.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      betweenBlocks?.();
    }
  }
  const o = summarise(a);
  const f = summarise(b);
  return { ours: o, floor: f, ratio: o.p50 / f.p50 };
}

export const ms = (n: number) => Number(n.toFixed(3));
export const ratio = (n: number) => Number(n.toFixed(2));

/** Peak resident set size of this process so far, in MB (Linux: ru_maxrss is in kilobytes). */
export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Resident set size right now, in MB. */
export function rssMb(): number {
  return Math.round(process.memoryUsage.rss() / 1024 / 1024);
}

/**
 * The highest resident set size seen by `sample()`: a phase's own peak, which the process-wide peak
 * (ru_maxrss) cannot tell apart from whatever ran before it.
 */
export function rssSampler(): { sample: () => void; peakMb: () => number } {
  let peak = 0;
  return {
    sample: () => {
      peak = Math.max(peak, process.memoryUsage.rss());
    },
    peakMb: () => Math.round(peak / 1024 / 1024),
  };
}
