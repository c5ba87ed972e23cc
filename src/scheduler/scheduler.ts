import { type Logger, pino } from 'pino';
import { type CheckpointTarget, takeCheckpoint } from '../core/audit/checkpoint.ts';
import type { CoreDeps } from '../core/common/deps.ts';
import type { ExposureTrigger } from './exposure-trigger.ts';
import { runSweep, type SweepReport } from './sweep.ts';

// The in-process ticker: a sweep at startup (which is also the catch-up after downtime) and then once
// a minute. The timer holds nothing that must happen: every due item is read from the store at each
// tick, and what fired is recorded there, so a crash or restart loses nothing and repeats nothing.

export interface SchedulerOptions {
  /** Called after a sweep committed messages, so the composition root can nudge the delivery relay. */
  onEnqueued?: (report: SweepReport) => void;
  log?: Logger;
  /** Between ticks; one minute unless a test says otherwise. */
  intervalMs?: number;
  /** Asked at each tick when replicas share the store: sweep only when it answers true. */
  leads?: () => Promise<boolean>;
  /** Exposure checks, started after each tick's sweep and run outside it (they wait on the network). */
  exposure?: ExposureTrigger;
  /** Where each sweep witnesses the audit chain's head, when it moved (AUDIT_CHECKPOINT_FILE, audit channels). */
  checkpoint?: CheckpointTarget;
}

export interface Scheduler {
  /** Sweeps now, then every interval. Calling it twice does nothing more. */
  start(): void;
  /** Stops ticking and waits for a sweep in progress to finish. */
  stop(): Promise<void>;
  /** One sweep, now or at the given instant; waits for any running sweep first, so they never overlap. */
  sweepOnce(now?: Date): Promise<SweepReport>;
}

export function createScheduler(deps: CoreDeps, options: SchedulerOptions = {}): Scheduler {
  const log = options.log ?? pino({ level: 'silent' });
  const intervalMs = options.intervalMs ?? 60_000;
  let timer: NodeJS.Timeout | null = null;
  // Sweeps run one after another: each takes the write lock, and a second concurrent one would only
  // wait for it and then find nothing left to do.
  let chain: Promise<unknown> = Promise.resolve();

  function sweepOnce(now?: Date): Promise<SweepReport> {
    const run = chain.then(async () => {
      const report = await runSweep(deps, { now, log });
      if (report.failed.length > 0)
        log.warn({ failed: report.failed }, 'some scheduled items failed; retried next sweep');
      if (report.fired.length > 0 || report.snapshots > 0) {
        log.info(
          { fired: report.fired.length, late: report.fired.filter((f) => f.late).length, snapshots: report.snapshots },
          'scheduled sweep',
        );
      }
      let enqueued = report.messages.length > 0;
      if (options.checkpoint) {
        const outcome = await takeCheckpoint(deps.db, deps.clock, options.checkpoint).catch((error: unknown) => {
          log.error({ err: error }, 'audit checkpoint failed; retried next sweep');
          return null;
        });
        if (outcome?.written && (options.checkpoint.channels?.length ?? 0) > 0) enqueued = true;
      }
      if (enqueued) options.onEnqueued?.(report);
      return report;
    });
    chain = run.catch(() => undefined);
    return run;
  }

  // The tick in progress, from asking for the lease to the end of its sweep: stop() waits for it.
  let ticking: Promise<unknown> | null = null;
  function tick(): void {
    // A tick that finds the previous one still running is skipped rather than queued behind it.
    if (ticking) return;
    let leading = false;
    ticking = (options.leads ? options.leads() : Promise.resolve(true))
      .then((leads) => {
        leading = leads;
        return leads ? sweepOnce() : undefined;
      })
      .catch((error: unknown) => log.error({ err: error }, 'scheduled sweep failed; retried next tick'))
      .finally(() => {
        ticking = null;
        // Only the replica that sweeps runs the checks, so a vendor's host is never probed twice.
        if (leading) options.exposure?.run();
      });
  }

  return {
    start() {
      if (timer) return;
      tick();
      timer = setInterval(tick, intervalMs);
      // The HTTP server keeps the process alive; the ticker alone should not.
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      // A tick may still be asking for the lease: its sweep has not joined the chain yet.
      await ticking;
      await chain;
      await options.exposure?.idle();
    },
    sweepOnce,
  };
}
