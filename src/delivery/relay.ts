import { type Logger, pino } from 'pino';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../store/database.ts';
import type { OutboxRow } from '../store/tables.ts';
import { type BackoffPolicy, DEFAULT_BACKOFF, DEFAULT_MAX_ATTEMPTS } from './backoff.ts';
import { type DeliveryContext, deliverRow, type Outcome, type RenderOutbox } from './deliver.ts';
import { claimDue } from './outbox-rows.ts';
import type { Sender } from './sender.ts';

export interface RelayOptions {
  db: Db;
  clock: Clock;
  /** One sender per platform, keyed like the target prefix: `slack`, `teams`. */
  senders: Partial<Record<string, Sender>>;
  render: RenderOutbox;
  logger?: Logger;
  /** How long a claim is ours. A crashed relay's rows are retried after it; keep it above the longest pacing wait. */
  leaseMs?: number;
  /** How often an idle relay looks for due rows; `nudge()` skips the wait. */
  pollMs?: number;
  /** Rows in flight at once, one per target at most. */
  concurrency?: number;
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
}

export type DrainSummary = Record<Outcome | 'error', number>;

const emptySummary = (): DrainSummary => ({
  sent: 0,
  skipped: 0,
  rate_limited: 0,
  retry: 0,
  dead: 0,
  lost_lease: 0,
  error: 0,
});

/**
 * Moves the outbox to the platforms. `start()` polls in the background, `nudge()` wakes it after a commit,
 * `stop()` finishes what is in flight, `drainOnce()` sends everything due now and returns (tests, CLI).
 * The durable queue is the table; nothing here survives a crash and nothing needs to.
 */
export class Relay {
  readonly #ctx: DeliveryContext;
  readonly #leaseMs: number;
  readonly #pollMs: number;
  readonly #concurrency: number;
  readonly #inFlight = new Map<number, Promise<void>>();
  #running = false;
  #loop: Promise<void> | null = null;
  #woken = false;
  #wake: (() => void) | null = null;

  constructor(options: RelayOptions) {
    this.#ctx = {
      db: options.db,
      clock: options.clock,
      senders: options.senders,
      render: options.render,
      maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      random: options.random ?? Math.random,
      logger: options.logger ?? pino({ level: 'silent' }),
    };
    this.#leaseMs = options.leaseMs ?? 60_000;
    this.#pollMs = options.pollMs ?? 250;
    this.#concurrency = options.concurrency ?? 32;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#pump('forever', emptySummary());
  }

  /** Call after committing outbox rows: the relay looks at once instead of at its next poll. */
  nudge(): void {
    this.#woken = true;
    this.#wake?.();
  }

  /** Stops claiming, lets every send in flight finish and be recorded, then resolves. */
  async stop(): Promise<void> {
    this.#running = false;
    this.nudge();
    await this.#loop;
    this.#loop = null;
    await Promise.allSettled([...this.#inFlight.values()]);
  }

  /** Sends every row due now, each at most once per call, and returns what happened. */
  async drainOnce(): Promise<DrainSummary> {
    const summary = emptySummary();
    await this.#pump('once', summary);
    return summary;
  }

  async #pump(mode: 'once' | 'forever', summary: DrainSummary): Promise<void> {
    // In 'once' mode a row that must wait (retry, rate limit) is not taken again in the same call.
    const settledLater = mode === 'once' ? new Set<number>() : null;
    while (mode === 'once' || this.#running) {
      const free = this.#concurrency - this.#inFlight.size;
      let rows: OutboxRow[] = [];
      if (free > 0) {
        try {
          rows = await claimDue(this.#ctx.db, this.#ctx.clock, {
            limit: free,
            leaseMs: this.#leaseMs,
            platforms: Object.keys(this.#ctx.senders),
            excludeIds: [...this.#inFlight.keys(), ...(settledLater ?? [])],
          });
        } catch (error) {
          if (mode === 'once') throw error;
          this.#ctx.logger.error({ err: error }, 'claiming outbox rows failed; will try again');
        }
      }
      for (const row of rows) this.#spawn(row, summary, settledLater);
      if (free > 0 && rows.length === free) continue;
      if (mode === 'once' && this.#inFlight.size === 0) return;
      await this.#sleep(this.#pollMs);
    }
  }

  #spawn(row: OutboxRow, summary: DrainSummary, settledLater: Set<number> | null): void {
    const work = deliverRow(this.#ctx, row)
      .catch((error: unknown): 'error' => {
        // The send happened or not, but recording failed: the lease expires and the row is tried again.
        this.#ctx.logger.error({ err: error, outboxId: row.id }, 'recording a delivery failed');
        return 'error';
      })
      .then((outcome) => {
        summary[outcome] += 1;
        if (outcome !== 'sent' && outcome !== 'skipped' && outcome !== 'dead') settledLater?.add(row.id);
      })
      .finally(() => {
        this.#inFlight.delete(row.id);
        this.nudge();
      });
    this.#inFlight.set(row.id, work);
  }

  #sleep(ms: number): Promise<void> {
    if (this.#woken) {
      this.#woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.#wake = null;
        self.#woken = false;
        resolve();
      }
      this.#wake = done;
    });
  }
}

export function createRelay(options: RelayOptions): Relay {
  return new Relay(options);
}
