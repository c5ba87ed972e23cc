import Bottleneck from 'bottleneck';
import { TransientSendError } from './errors.ts';
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

// Bottleneck paces calls; it is never the queue. The outbox table is the queue, the relay is the only
// retry layer, and nothing here retries or expires jobs: a job handed to a pacer runs exactly once,
// when the limits allow, and its result or error goes back to the caller. Alone, a process paces in
// memory. Replicas share their limiters' state through Redis (bottleneck's own clustering), so N
// bots together keep each channel within one channel's limit rather than N times it.

export interface Pacer {
  /** Runs `call` when the limits for `method` towards `key` (a channel or conversation) allow it. */
  schedule<T>(method: string, key: string, call: () => Promise<T>): Promise<T>;
  /** Lets queued calls finish and releases the limiters' timers. */
  stop(): Promise<void>;
}

/** Where replicas keep their shared limiter state; each limiter's id starts with `prefix`. */
export interface SharedPacing {
  connection: Bottleneck.IORedisConnection;
  prefix: string;
  /**
   * How long a running call holds its limiter's slot in Redis at most. A replica that dies mid-call
   * cannot release the slot itself; Redis frees it after this time (bottleneck's job `expiration`).
   * Without it a per-channel limiter (one call at a time) stays full forever and that channel never
   * posts again from any replica. Keep it above the longest platform call (Slack's client gives up at 30 s).
   */
  jobExpirationMs: number;
}

/** The default slot expiration: twice the Slack client's per-call timeout. */
export const DEFAULT_JOB_EXPIRATION_MS = 60_000;

/** One Redis connection for all of a process's limiters. */
export function connectSharedPacing(
  redisUrl: string,
  prefix = 'vendor-risk',
  jobExpirationMs = DEFAULT_JOB_EXPIRATION_MS,
): SharedPacing {
  return { connection: new Bottleneck.IORedisConnection({ clientOptions: redisUrl }), prefix, jobExpirationMs };
}

/**
 * Runs `call` on `limiter`. Shared limiters give every job an expiration (see `SharedPacing`); a call
 * still running when it expires may have reached the platform, so it fails as an unknown outcome.
 */
async function paced<T>(limiter: Bottleneck, shared: SharedPacing | undefined, call: () => Promise<T>): Promise<T> {
  if (!shared) return limiter.schedule(call);
  try {
    return await limiter.schedule({ expiration: shared.jobExpirationMs }, call);
  } catch (error) {
    if (!(error instanceof Bottleneck.BottleneckError && /timed out/.test(error.message))) throw error;
    throw new TransientSendError(`the call outlived its pacing slot: ${error.message}`, {
      cause: error,
      outcomeUnknown: true,
    });
  }
}

/** Clustering options for a limiter named `id`, when limiters are shared. */
function clustered(id: string, shared: SharedPacing | undefined): Bottleneck.ConstructorOptions {
  if (!shared) return {};
  return { id: `${shared.prefix}:${id}`, datastore: 'ioredis', connection: shared.connection, clearDatastore: false };
}

function settings(pacing: Pacing, id: string, shared?: SharedPacing): Bottleneck.ConstructorOptions {
  const options: Bottleneck.ConstructorOptions = clustered(id, shared);
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
function groupFor(limit: PacedLimit, id: string, shared?: SharedPacing, idleMs = 5 * MINUTE): Bottleneck.Group {
  const group = new Bottleneck.Group({
    ...settings(limit.pacing, id, shared),
    timeout: Math.max(idleMs, limit.limit.windowMs),
  });
  group.on('error', () => {
    // Job errors reach the caller through schedule(); nothing else is emitted without listeners of ours.
  });
  return group;
}

/** Waits for queued calls to run, then clears the limiters' timers. */
async function stopAll(limiters: Bottleneck[], shared?: SharedPacing): Promise<void> {
  await Promise.all(limiters.map((l) => l.stop({ dropWaitingJobs: false })));
  // A shared connection outlives its limiters: whoever opened it closes it.
  if (!shared) await Promise.all(limiters.map((l) => l.disconnect()));
}

export interface SlackPacingOptions {
  /** chat.postMessage per channel per second; 1 is Slack's limit, tests and benchmarks may raise it. */
  postsPerSecondPerChannel?: number;
  /** Tier limits per method; defaults to Slack's. */
  tiers?: Record<SlackTier, PacedLimit>;
  /** Share the limits with other replicas through Redis; without it, this process paces alone. */
  shared?: SharedPacing;
}

/** chat.postMessage per channel, every other method by its tier for the whole workspace. */
export function createSlackPacer(options: SlackPacingOptions = {}): Pacer {
  const { shared } = options;
  const perChannel = groupFor(slackPostPerChannel(options.postsPerSecondPerChannel ?? 1), 'slack-post', shared);
  const tiers = options.tiers ?? SLACK_TIERS;
  const byTier = new Map<SlackTier, Bottleneck>();
  const tierLimiter = (tier: SlackTier): Bottleneck => {
    let limiter = byTier.get(tier);
    if (!limiter) {
      limiter = new Bottleneck(settings(tiers[tier].pacing, `slack-tier-${tier}`, shared));
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
      return paced(limiter, shared, call);
    },
    async stop() {
      await stopAll([...byTier.values(), ...perChannel.limiters().map((l) => l.limiter)], shared);
    },
  };
}

/**
 * Teams counts sends and edits alike per conversation, through three chained limiters keyed by the
 * conversation (spacing, 30-second bucket, hourly bucket), and then the app's per-tenant ceiling.
 * Each limiter in the chain outlives the one before it when idle, so a limiter is never chained to
 * one its group has already forgotten (a forgotten limiter stops refilling).
 */
export function createTeamsPacer(options: { shared?: SharedPacing } = {}): Pacer {
  const { shared } = options;
  const tenant = new Bottleneck(settings(TEAMS_PER_TENANT.pacing, 'teams-tenant', shared));
  const hourly = groupFor(TEAMS_PER_CONVERSATION.hour, 'teams-hour', shared, 120 * MINUTE);
  const halfMinute = groupFor(TEAMS_PER_CONVERSATION.halfMinute, 'teams-half-minute', shared, 20 * MINUTE);
  const spacing = groupFor(TEAMS_PER_CONVERSATION.twoSeconds, 'teams-spacing', shared, 5 * MINUTE);
  hourly.on('created', (limiter: Bottleneck) => limiter.chain(tenant));
  halfMinute.on('created', (limiter: Bottleneck, key: string) => limiter.chain(hourly.key(key)));
  spacing.on('created', (limiter: Bottleneck, key: string) => limiter.chain(halfMinute.key(key)));
  return {
    schedule(_method, key, call) {
      return paced(spacing.key(key), shared, call);
    },
    async stop() {
      // Head of the chain first: a stopping limiter sends a last marker job down its chain.
      for (const group of [spacing, halfMinute, hourly])
        await stopAll(
          group.limiters().map((l) => l.limiter),
          shared,
        );
      await stopAll([tenant], shared);
    },
  };
}
