// Every platform limit we pace for, in one table, with the numbers from the platforms' documentation.
// A limit is "at most `amount` calls in any window of `windowMs`"; we assume the platform counts in a
// sliding window, the strictest reading. Each limit is paced by bottleneck in one of two shapes:
//  - spacing: starts at least `minTimeMs` apart, so any window holds at most ceil(windowMs / minTimeMs);
//  - bucket: a token bucket that starts full with `burst` tokens and gains `refillAmount` every
//    `refillMs` (bottleneck's reservoirIncrease*; its timer ticks every 250 ms, so refillMs is a multiple
//    of 250 and real refills are never early). Any window then holds at most
//    burst + refillAmount * ceil(windowMs / refillMs).
// `worstCase()` computes that bound; a unit test holds it to `amount` for every row below.

export interface WindowLimit {
  amount: number;
  windowMs: number;
}

export interface Pacing {
  minTimeMs?: number;
  bucket?: { burst: number; refillMs: number; refillAmount: number };
}

export interface PacedLimit {
  /** What the platform documents, and where. */
  name: string;
  limit: WindowLimit;
  pacing: Pacing;
}

/** The most calls the pacing can let through in any window of the limit's length. */
export function worstCase({ limit, pacing }: PacedLimit): number {
  const bounds: number[] = [];
  if (pacing.minTimeMs) bounds.push(Math.ceil(limit.windowMs / pacing.minTimeMs));
  if (pacing.bucket) {
    const { burst, refillMs, refillAmount } = pacing.bucket;
    bounds.push(burst + refillAmount * Math.ceil(limit.windowMs / refillMs));
  }
  return bounds.length > 0 ? Math.min(...bounds) : Number.POSITIVE_INFINITY;
}

const MINUTE = 60_000;

/** Slack Web API tiers, per method per workspace (docs.slack.dev/apis/web-api/rate-limits). */
export const SLACK_TIERS = {
  1: { name: 'Slack Tier 1: 1+ per minute', limit: { amount: 1, windowMs: MINUTE }, pacing: { minTimeMs: MINUTE } },
  2: {
    name: 'Slack Tier 2: 20+ per minute',
    limit: { amount: 20, windowMs: MINUTE },
    pacing: { bucket: { burst: 4, refillMs: 3_750, refillAmount: 1 } },
  },
  3: {
    name: 'Slack Tier 3: 50+ per minute',
    limit: { amount: 50, windowMs: MINUTE },
    pacing: { bucket: { burst: 10, refillMs: 1_500, refillAmount: 1 } },
  },
  4: {
    name: 'Slack Tier 4: 100+ per minute',
    limit: { amount: 100, windowMs: MINUTE },
    pacing: { bucket: { burst: 20, refillMs: 750, refillAmount: 1 } },
  },
} as const satisfies Record<number, PacedLimit>;

export type SlackTier = keyof typeof SLACK_TIERS;

/**
 * Every tier raised to `perMinute` calls a minute, paced by spacing alone: for a stand-in whose limits a
 * test or benchmark raised the same way. Slack's own tiers are SLACK_TIERS.
 */
export function slackTiersAt(perMinute: number): Record<SlackTier, PacedLimit> {
  const raised = (tier: SlackTier): PacedLimit => ({
    name: `Slack Tier ${tier} raised to ${perMinute} per minute`,
    limit: { amount: perMinute, windowMs: MINUTE },
    pacing: { minTimeMs: Math.ceil(MINUTE / perMinute) },
  });
  return { 1: raised(1), 2: raised(2), 3: raised(3), 4: raised(4) };
}

/** The tier of each method the bot calls (docs.slack.dev method pages). Unlisted methods get Tier 2. */
export const SLACK_METHOD_TIERS: Record<string, SlackTier> = {
  'auth.test': 4,
  'chat.update': 3,
  'chat.delete': 3,
  'chat.postEphemeral': 4,
  'conversations.open': 3,
  // Only read after a crash, to find a post an interrupted relay made (see deliver.ts).
  'conversations.history': 3,
  'conversations.replies': 3,
  'users.lookupByEmail': 3,
  'users.info': 4,
  'reactions.add': 3,
  'views.open': 4,
  'views.update': 4,
  'views.push': 4,
  'views.publish': 4,
};

export const SLACK_DEFAULT_TIER: SlackTier = 2;

/** chat.postMessage: about 1 message per second per channel (short bursts tolerated, not relied on). */
export function slackPostPerChannel(perSecond = 1): PacedLimit {
  return {
    name: `Slack chat.postMessage: ${perSecond} per second per channel`,
    limit: { amount: 1, windowMs: 1_000 / perSecond },
    pacing: { minTimeMs: Math.ceil(1_000 / perSecond) },
  };
}

/**
 * Teams, per bot per conversation, sends and edits alike (learn.microsoft.com .../bots/how-to/rate-limit):
 * 7 per 1 s, 8 per 2 s, 60 per 30 s, 1800 per hour. Paced by three chained limiters keyed by conversation:
 * 250 ms spacing covers the first two, then a 30-second bucket and an hourly bucket.
 */
export const TEAMS_PER_CONVERSATION = {
  second: {
    name: 'Teams: 7 per second per conversation',
    limit: { amount: 7, windowMs: 1_000 },
    pacing: { minTimeMs: 250 },
  },
  twoSeconds: {
    name: 'Teams: 8 per 2 s per conversation',
    limit: { amount: 8, windowMs: 2_000 },
    pacing: { minTimeMs: 250 },
  },
  halfMinute: {
    name: 'Teams: 60 per 30 s per conversation',
    limit: { amount: 60, windowMs: 30_000 },
    pacing: { bucket: { burst: 20, refillMs: 750, refillAmount: 1 } },
  },
  hour: {
    name: 'Teams: 1800 per hour per conversation',
    limit: { amount: 1_800, windowMs: 3_600_000 },
    pacing: { bucket: { burst: 360, refillMs: 2_500, refillAmount: 1 } },
  },
} as const satisfies Record<string, PacedLimit>;

/** Teams, all conversations of one app in one tenant: 50 requests per second. */
export const TEAMS_PER_TENANT: PacedLimit = {
  name: 'Teams: 50 requests per second per app per tenant',
  limit: { amount: 50, windowMs: 1_000 },
  pacing: { bucket: { burst: 10, refillMs: 250, refillAmount: 10 } },
};

export const ALL_LIMITS: PacedLimit[] = [
  ...Object.values(SLACK_TIERS),
  slackPostPerChannel(),
  ...Object.values(TEAMS_PER_CONVERSATION),
  TEAMS_PER_TENANT,
];
