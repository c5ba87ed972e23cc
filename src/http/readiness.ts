import { sql } from 'kysely';
import type { Clock } from '../core/common/clock.ts';
import type { Db } from '../store/database.ts';

// `/readyz`: is this process able to do its work now? The database must answer; a configured platform
// must accept our token. Orchestrators probe every few seconds, so a platform is asked at most once per
// TTL and the answer reused in between: readiness must never become load on Slack.

export interface ReadinessCheck {
  name: string;
  /** Resolves when ready; rejects with the reason when not. */
  run(): Promise<void>;
}

/** Long enough for any sane probe; a check that takes longer counts as failed. */
const CHECK_TIMEOUT_MS = 3_000;

export function databaseCheck(db: Db): ReadinessCheck {
  return { name: 'database', run: async () => void (await sql`select 1`.execute(db)) };
}

/** A check whose outcome, good or bad, is reused for `ttlMs`; concurrent probes share one call. */
export function cachedCheck(
  name: string,
  probe: () => Promise<void>,
  options: { ttlMs: number; clock: Clock },
): ReadinessCheck & { record(error: Error | null): void } {
  let last: { at: number; error: Error | null } | null = null;
  let inFlight: Promise<void> | null = null;
  const record = (error: Error | null) => {
    last = { at: options.clock.now().getTime(), error };
  };
  return {
    name,
    record,
    async run() {
      if (!last || options.clock.now().getTime() - last.at >= options.ttlMs) {
        inFlight ??= withTimeout(probe(), CHECK_TIMEOUT_MS)
          .then(
            () => record(null),
            (error: unknown) => record(error instanceof Error ? error : new Error(String(error))),
          )
          .finally(() => {
            inFlight = null;
          });
        await inFlight;
      }
      if (last?.error) throw last.error;
    },
  };
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

export interface Readiness {
  ready: boolean;
  /** `ok` or `failing` by check name: what the probe's caller sees. */
  checks: Record<string, 'ok' | 'failing'>;
  /** Why each failing check failed: for the log, not the response, which may be public. */
  reasons: Record<string, string>;
}

export async function readiness(checks: ReadinessCheck[]): Promise<Readiness> {
  const result: Readiness = { ready: true, checks: {}, reasons: {} };
  await Promise.all(
    checks.map(async (check) => {
      try {
        await check.run();
        result.checks[check.name] = 'ok';
      } catch (error) {
        result.ready = false;
        result.checks[check.name] = 'failing';
        result.reasons[check.name] = (error as Error).message;
      }
    }),
  );
  return result;
}
