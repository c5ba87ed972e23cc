import Bottleneck from 'bottleneck';
import {
  type PacedLimit,
  type Pacing,
  SLACK_DEFAULT_TIER,
  SLACK_METHOD_TIERS,
  SLACK_TIERS,
  type SlackTier,
  slackPostPerChannel,
  TEAMS_PER_CONVERSATION,
  TEAMS_PER_TENANT,
} from './limits.ts';

// Bottleneck paces calls in memory; it is never the queue. The outbox table is the queue, the relay
// is the only retry layer, and nothing here retries, expires jobs or clusters: a job handed to a
// pacer runs exactly once, when the limits allow, and its result or error goes back to the caller.

export interface Pacer {
  /** Runs `call` when the limits for `method` towards `key` (a channel or conversation) allow it. */
  schedule<T>(method: string, key: string, call: () => Promise<T>): Promise<T>;
  /** Lets queued calls finish and releases the limiters' timers. */
  stop(): Promise<void>;
}

function settings(pacing: Pacing): Bottleneck.ConstructorOptions {
  const options: Bottleneck.ConstructorOptions = {};
  if (pacing.minTimeMs) Object.assign(options, { maxConcurrent: 1, minTime: pacing.minTimeMs });
  if (pacing.bucket) {
    Object.assign(options, {
      reservoir: pacing.bucket.burst,
      reservoirIncreaseAmount: pacing.bucket.refillAmount,
      reservoirIncreaseInterval: pacing.bucket.refillMs,
      reservoirIncreaseMaximum: pacing.bucket.burst,
    });
  }
  return options;
}

const MINUTE = 60_000;

/**
 * A limiter per key, forgotten after `idleMs` without calls. Forgetting restarts a bucket full, which is
 * only safe once a whole window has passed, so `idleMs` is never shorter than the limit's window.
 */
function groupFor(limit: PacedLimit, idleMs = 5 * MINUTE): Bottleneck.Group {
  const group = new Bottleneck.Group({ ...settings(limit.pacing), timeout: Math.max(idleMs, limit.limit.windowMs) });
  group.on('error', () => {
    // Job errors reach the caller through schedule(); nothing else is emitted without listeners of ours.
  });
  return group;
}

/** Waits for queued calls to run, then clears the limiters' timers. */
async function stopAll(limiters: Bottleneck[]): Promise<void> {
  await Promise.all(limiters.map((l) => l.stop({ dropWaitingJobs: false })));
  await Promise.all(limiters.map((l) => l.disconnect()));
}

export interface SlackPacingOptions {
  /** chat.postMessage per channel per second; 1 is Slack's limit, tests and benchmarks may raise it. */
  postsPerSecondPerChannel?: number;
  /** Tier limits per method; defaults to Slack's. */
  tiers?: Record<SlackTier, PacedLimit>;
}

/** chat.postMessage per channel, every other method by its tier for the whole workspace. */
export function createSlackPacer(options: SlackPacingOptions = {}): Pacer {
  const perChannel = groupFor(slackPostPerChannel(options.postsPerSecondPerChannel ?? 1));
  const tiers = options.tiers ?? SLACK_TIERS;
  const byTier = new Map<SlackTier, Bottleneck>();
  const tierLimiter = (tier: SlackTier): Bottleneck => {
    let limiter = byTier.get(tier);
    if (!limiter) {
      limiter = new Bottleneck(settings(tiers[tier].pacing));
      byTier.set(tier, limiter);
    }
    return limiter;
  };
  return {
    schedule(method, key, call) {
      const limiter =
        method === 'chat.postMessage'
          ? perChannel.key(key)
          : tierLimiter(SLACK_METHOD_TIERS[method] ?? SLACK_DEFAULT_TIER);
      return limiter.schedule(call);
    },
    async stop() {
      await stopAll([...byTier.values(), ...perChannel.limiters().map((l) => l.limiter)]);
    },
  };
}

/**
 * Teams counts sends and edits alike per conversation, through three chained limiters keyed by the
 * conversation (spacing, 30-second bucket, hourly bucket), and then the app's per-tenant ceiling.
 * Each limiter in the chain outlives the one before it when idle, so a limiter is never chained to
 * one its group has already forgotten (a forgotten limiter stops refilling).
 */
export function createTeamsPacer(): Pacer {
  const tenant = new Bottleneck(settings(TEAMS_PER_TENANT.pacing));
  const hourly = groupFor(TEAMS_PER_CONVERSATION.hour, 120 * MINUTE);
  const halfMinute = groupFor(TEAMS_PER_CONVERSATION.halfMinute, 20 * MINUTE);
  const spacing = groupFor(TEAMS_PER_CONVERSATION.twoSeconds, 5 * MINUTE);
  hourly.on('created', (limiter: Bottleneck) => limiter.chain(tenant));
  halfMinute.on('created', (limiter: Bottleneck, key: string) => limiter.chain(hourly.key(key)));
  spacing.on('created', (limiter: Bottleneck, key: string) => limiter.chain(halfMinute.key(key)));
  return {
    schedule(_method, key, call) {
      return spacing.key(key).schedule(call);
    },
    async stop() {
      // Head of the chain first: a stopping limiter sends a last marker job down its chain.
      for (const group of [spacing, halfMinute, hourly]) await stopAll(group.limiters().map((l) => l.limiter));
      await stopAll([tenant]);
    },
  };
}
