// The relay's vocabulary for what went wrong with one send. Each platform sender translates its SDK's
// errors into these at the edge, so the relay decides retries without knowing any SDK.

/** The platform asked us to slow down: retry after `retryAfterMs`; not a failed attempt. */
export class RateLimitedError extends Error {
  readonly retryAfterMs: number;

  constructor(retryAfterMs: number, message = `rate limited, retry after ${retryAfterMs} ms`) {
    super(message);
    this.name = 'RateLimitedError';
    this.retryAfterMs = retryAfterMs;
  }
}

/** Worth retrying with backoff: a 5xx, a network failure, a timeout. */
export class TransientSendError extends Error {
  /** The request may have reached the platform (a timeout, a dropped connection): it may have posted. */
  readonly outcomeUnknown: boolean;

  constructor(message: string, options?: ErrorOptions & { outcomeUnknown?: boolean }) {
    super(message, options);
    this.name = 'TransientSendError';
    this.outcomeUnknown = options?.outcomeUnknown ?? false;
  }
}

/** Retrying cannot help (unknown channel, bad blocks, revoked token): the message goes dead at once. */
export class PermanentSendError extends Error {
  readonly code: string;

  constructor(code: string, message = code) {
    super(message);
    this.name = 'PermanentSendError';
    this.code = code;
  }
}

/** The message we meant to edit no longer exists (someone deleted it): post a fresh one instead. */
export class MessageGoneError extends Error {
  constructor(message = 'the message to edit no longer exists') {
    super(message);
    this.name = 'MessageGoneError';
  }
}

/** A short, secret-free description for `outbox.last_error` and logs. */
export function describeSendError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}

/**
 * The bot has no way into this target yet (Teams: the app is not installed in that conversation or
 * chat, so there is no conversation reference). Not a failed attempt: the message waits for the
 * install, for a bounded time (waiting.ts).
 */
export class NotInstalledError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotInstalledError';
  }
}
