// Exponential backoff with full jitter (a uniformly random delay up to the exponential ceiling), so
// many messages failing together do not retry together and prolong an outage; capped so a message
// never waits longer than `capMs` between attempts.

export interface BackoffPolicy {
  /** Ceiling of the first retry's delay. */
  baseMs: number;
  /** The ceiling never grows past this. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 5 * 60_000 };

/** A message is dead on its 8th failed attempt. */
export const DEFAULT_MAX_ATTEMPTS = 8;

/** A Retry-After of 0 (or missing) still waits this long, so a rate-limited row cannot spin. */
export const MIN_RATE_LIMIT_WAIT_MS = 1_000;

/** The ceiling for the delay after `failedAttempts` failures (1 = the first failure). */
export function backoffCeiling(failedAttempts: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const exponent = Math.max(0, failedAttempts - 1);
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(exponent, 30));
}

/** The delay before the next attempt: uniform in [0, ceiling]; `random` returns [0, 1) like Math.random. */
export function backoffDelay(
  failedAttempts: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * (backoffCeiling(failedAttempts, policy) + 1));
}
