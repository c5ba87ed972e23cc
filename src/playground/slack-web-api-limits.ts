// Rate limits as the Slack Web API stand-in enforces them, answered with HTTP 429 and Retry-After.
//  - Tiers, per method per workspace: at most N calls in any rolling 60 seconds (the strict reading of
//    Slack's "N+ per minute"): Tier 1 = 1, Tier 2 = 20, Tier 3 = 50, Tier 4 = 100.
//  - chat.postMessage, per channel: one per interval (1 s by default) as a cell-rate schedule. A post may
//    arrive up to `toleranceMs` ahead of its slot (default 250 ms, never more than one interval), so the
//    jitter between a client's scheduled start and its request's arrival (a first connection, a GC pause,
//    a blocking commit) is not punished, while a client that bursts or goes faster than the rate is.
//    Slack itself tolerates "short bursts"; this is stricter.
// Only calls that pass authentication count, and a refused call does not count.

export const METHOD_TIERS: Record<string, 1 | 2 | 3 | 4> = {
  'auth.test': 4,
  'chat.update': 3,
  'chat.delete': 3,
  'chat.postEphemeral': 4,
  'conversations.open': 3,
  'conversations.history': 3,
  'conversations.replies': 3,
  'users.info': 4,
  'users.lookupByEmail': 3,
  'views.open': 4,
  'views.update': 4,
  'views.push': 4,
  'views.publish': 4,
};

export const TIER_PER_MINUTE: Record<1 | 2 | 3 | 4, number> = { 1: 1, 2: 20, 3: 50, 4: 100 };

export interface RateLimitOptions {
  /** chat.postMessage per channel per second; Slack's is 1. Raise it for fast tests and benchmarks. */
  postsPerSecondPerChannel?: number;
  /** How early a post may arrive before its slot; default 250 ms, capped at one interval. */
  toleranceMs?: number;
  /** Overrides calls per minute for a tier, e.g. to exercise a 429 quickly. */
  tierPerMinute?: Partial<Record<1 | 2 | 3 | 4, number>>;
}

const WINDOW_MS = 60_000;

export class RateLimits {
  readonly #intervalMs: number;
  readonly #toleranceMs: number;
  readonly #tiers: Record<1 | 2 | 3 | 4, number>;
  /** Per channel: the theoretical arrival time of the next post. */
  readonly #nextSlot = new Map<string, number>();
  /** Per method: times of accepted calls in the last window. */
  readonly #recent = new Map<string, number[]>();

  constructor(options: RateLimitOptions = {}) {
    this.#intervalMs = 1000 / (options.postsPerSecondPerChannel ?? 1);
    this.#toleranceMs = Math.min(options.toleranceMs ?? 250, this.#intervalMs);
    this.#tiers = { ...TIER_PER_MINUTE, ...options.tierPerMinute };
  }

  /** Counts the call and returns 0, or returns the Retry-After in whole seconds (at least 1) and counts nothing. */
  check(method: string, channel: string | undefined, now: number): number {
    if (method === 'chat.postMessage') return channel ? this.#checkChannel(channel, now) : 0;
    const limit = this.#tiers[METHOD_TIERS[method] ?? 2];
    const times = (this.#recent.get(method) ?? []).filter((t) => t > now - WINDOW_MS);
    if (times.length >= limit) {
      this.#recent.set(method, times);
      return Math.max(1, Math.ceil((times[0]! + WINDOW_MS - now) / 1000));
    }
    times.push(now);
    this.#recent.set(method, times);
    return 0;
  }

  #checkChannel(channel: string, now: number): number {
    const slot = this.#nextSlot.get(channel) ?? now;
    if (slot - this.#toleranceMs > now) return Math.max(1, Math.ceil((slot - this.#toleranceMs - now) / 1000));
    this.#nextSlot.set(channel, Math.max(slot, now) + this.#intervalMs);
    return 0;
  }
}
