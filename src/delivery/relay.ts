import { type Logger, pino } from 'pino';
import type { Clock } from '../core/common/clock.ts';
import { platformOf } from '../core/messaging/outbox.ts';
import type { Db } from '../store/database.ts';
import { type BackoffPolicy, DEFAULT_BACKOFF, DEFAULT_MAX_ATTEMPTS } from './backoff.ts';
import { type DeliveryContext, deliverRow, type Outcome, type RenderOutbox, sendablePlatforms } from './deliver.ts';
import { GroupCommit } from './group-commit.ts';
import { type ClaimedRow, claimDue, recordSent, renewLeases, type SentRecord } from './outbox-rows.ts';
import type { Sender } from './sender.ts';
import { DEFAULT_INSTALL_WAIT_MS } from './waiting.ts';

export interface RelayOptions {
  db: Db;
  clock: Clock;
  /** One sender per platform, keyed like the target prefix: `slack`, `teams`. */
  senders: Partial<Record<string, Sender>>;
  render: RenderOutbox;
  logger?: Logger;
  /** How long a claim is ours unless renewed: a live relay renews its rows in flight (every third of it), a crashed one stops, and its rows are retried once it runs out. */
  leaseMs?: number;
  /** How often an idle relay looks for due rows; `nudge()` skips the wait. */
  pollMs?: number;
  /** Rows in flight at once, one per target at most. */
  concurrency?: number;
  /** How long a batch of "sent" records waits for more to share its commit (one fsync). */
  commitWindowMs?: number;
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
  /** How long a message waits for the bot to be installed where it goes (Teams) before it is dead; 7 days unless set. */
  installWaitMs?: number;
  /** Told the outcome of every attempt (metrics); the relay works the same without one. */
  observer?: DeliveryObserver;
}

/** What the relay reports about each attempt, by platform (`slack`, `teams`). */
export interface DeliveryObserver {
  attempted(platform: string, outcome: Outcome | 'error'): void;
}

export type DrainSummary = Record<Outcome | 'error', number>;

const emptySummary = (): DrainSummary => ({
  sent: 0,
  skipped: 0,
  rate_limited: 0,
  retry: 0,
  waiting: 0,
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
  readonly #observer: DeliveryObserver | null;
  readonly #inFlight = new Map<number, Promise<void>>();
  /** The rows in flight, whose leases the renewal timer extends while they wait or send. */
  readonly #leased = new Map<number, ClaimedRow>();
  #renewal: NodeJS.Timeout | null = null;
  #renewing: Promise<void> | null = null;
  readonly #commits: GroupCommit<SentRecord, ClaimedRow | null>;
  #running = false;
  #stopping = false;
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
      installWaitMs: options.installWaitMs ?? DEFAULT_INSTALL_WAIT_MS,
      // While stopping, a finished row hands no successor on: stop() must not chase a channel's queue.
      recordSent: (row, message) => this.#commits.submit({ row, message, claimNext: !this.#stopping }),
    };
    this.#leaseMs = options.leaseMs ?? 60_000;
    this.#pollMs = options.pollMs ?? 250;
    this.#concurrency = options.concurrency ?? 32;
    this.#observer = options.observer ?? null;
    this.#commits = new GroupCommit(
      (records) => recordSent(this.#ctx.db, this.#ctx.clock, records, this.#leaseMs),
      options.commitWindowMs ?? 5,
    );
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#stopping = false;
    this.#loop = this.#pump('forever', emptySummary());
    // A third of the lease: two renewals can fail (a busy database) before the lease runs out.
    this.#renewal = setInterval(() => void this.#renewLeases(), Math.max(1, Math.floor(this.#leaseMs / 3)));
    this.#renewal.unref();
  }

  /** Call after committing outbox rows: the relay looks at once instead of at its next poll. */
  nudge(): void {
    this.#woken = true;
    this.#wake?.();
  }

  /** Stops claiming, lets every send in flight finish and be recorded, then resolves. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#stopping = true;
    this.nudge();
    await this.#loop;
    this.#loop = null;
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight.values()]);
    if (this.#renewal) clearInterval(this.#renewal);
    this.#renewal = null;
    await this.#renewing;
  }

  /**
   * Keeps the leases of rows in flight from running out while they wait for a pacing slot or a slow
   * platform: a crashed relay stops renewing, and only then do other relays take its rows over.
   */
  #renewLeases(): Promise<void> {
    if (this.#renewing || this.#leased.size === 0) return this.#renewing ?? Promise.resolve();
    const rows = [...this.#leased.values()];
    this.#renewing = renewLeases(this.#ctx.db, this.#ctx.clock, rows, this.#leaseMs)
      .then((lost) => {
        if (lost.length > 0)
          this.#ctx.logger.warn(
            { outboxIds: lost.map((r) => r.id) },
            'another relay took over rows still in flight here',
          );
      })
      .catch((error: unknown) =>
        this.#ctx.logger.error({ err: error }, 'renewing outbox leases failed; will try again'),
      )
      .finally(() => {
        this.#renewing = null;
      });
    return this.#renewing;
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
      let rows: ClaimedRow[] = [];
      if (free > 0) {
        try {
          rows = await claimDue(this.#ctx.db, this.#ctx.clock, {
            limit: free,
            leaseMs: this.#leaseMs,
            platforms: sendablePlatforms(this.#ctx.senders),
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

  #spawn(row: ClaimedRow, summary: DrainSummary, settledLater: Set<number> | null): void {
    const work = deliverRow(this.#ctx, row)
      .catch((error: unknown): { outcome: 'error'; next: null } => {
        // The send happened or not, but recording failed: the lease expires and the row is tried again.
        this.#ctx.logger.error({ err: error, outboxId: row.id }, 'recording a delivery failed');
        return { outcome: 'error', next: null };
      })
      .then(({ outcome, next }) => {
        summary[outcome] += 1;
        this.#observer?.attempted(platformOf(row.target), outcome);
        if (outcome !== 'sent' && outcome !== 'skipped' && outcome !== 'dead') settledLater?.add(row.id);
        this.#inFlight.delete(row.id);
        this.#leased.delete(row.id);
        // The target's next row was leased with this one's record: it takes over the slot at once.
        // Only a freed slot needs the loop to look for more work.
        if (next) this.#spawn(next, summary, settledLater);
        else this.nudge();
      });
    this.#inFlight.set(row.id, work);
    this.#leased.set(row.id, row);
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
