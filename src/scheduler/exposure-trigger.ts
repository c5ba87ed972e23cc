import { type Logger, pino } from 'pino';
import type { CoreDeps } from '../core/common/deps.ts';
import { dueAssets } from '../core/exposure/schedule.ts';
import type { ProbeSettings } from '../exposure/probe-asset.ts';
import { type AssetCheck, checkAssets } from '../exposure/run-checks.ts';

// Exposure checks that have come due, run after the ticker's sweep and outside it: the sweep is one
// transaction that never waits on the network, while a probe may wait seconds. Like the relay, this
// runner reads what is due from the store and writes each result in its own transaction, so a crash
// loses at most the checks in flight, which are simply due again at the next tick.

export interface ExposureTrigger {
  /** Starts the due checks unless a previous run is still going (then this tick adds nothing). */
  run(now?: Date): void;
  /** Resolves when no run is in progress. */
  idle(): Promise<void>;
}

export interface ExposureTriggerOptions {
  settings: ProbeSettings;
  log?: Logger;
  /** After results were recorded, so the composition root can nudge the relay to post new cards. */
  onRecorded?: (checks: AssetCheck[]) => void;
}

export function createExposureTrigger(deps: CoreDeps, options: ExposureTriggerOptions): ExposureTrigger {
  const log = options.log ?? pino({ level: 'silent' });
  let running: Promise<void> | null = null;
  return {
    run(now) {
      if (running) return;
      running = (async () => {
        const due = await dueAssets(deps.db, now ?? deps.clock.now(), deps.policy);
        if (due.length === 0) return;
        const checks = await checkAssets(
          deps,
          due.map((d) => d.asset.id),
          options.settings,
          log,
        );
        if (checks.some((c) => c.status === 'checked')) options.onRecorded?.(checks);
      })()
        .catch((error: unknown) => log.error({ err: error }, 'exposure checks failed; retried next tick'))
        .finally(() => {
          running = null;
        });
    },
    idle: async () => {
      await running;
    },
  };
}
