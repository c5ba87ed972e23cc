import { MessageGoneError, PermanentSendError, RateLimitedError, TransientSendError } from '../delivery/errors.ts';

// Slack's answers, sorted into the relay's retry classes (the Teams twin is src/teams/send-errors.ts).
// Read by shape (`code`, `data.error`, `statusCode`, `retryAfter` as @slack/web-api sets them), so the
// notifier's error path needs no SDK import.

/** Platform error codes that say "try again later". Every other `ok: false` code is a permanent refusal. */
const TRANSIENT_CODES = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/** `ok: false` rate errors that come without a Retry-After (e.g. a burst over the channel allowance). */
const RATE_CODES = new Set(['ratelimited', 'rate_limited', 'message_limit_exceeded']);
const RATE_CODE_WAIT_MS = 30_000;

interface SlackErrorShape {
  code?: unknown;
  retryAfter?: unknown;
  statusCode?: unknown;
  data?: { error?: unknown; response_metadata?: { retryAfter?: unknown } };
  message?: unknown;
}

/**
 * The relay error for a failed Web API call. `editing` marks chat.update, where `message_not_found` means
 * someone deleted the message and the relay should post it again.
 */
export function classifySlackError(error: unknown, editing = false): Error {
  // Already sorted before it reached Slack (the pacer's expired slot).
  if (error instanceof TransientSendError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as SlackErrorShape;
  switch (e.code) {
    case 'slack_webapi_rate_limited_error':
      return new RateLimitedError(seconds(e.retryAfter, 1) * 1000, 'Slack answered 429 Too Many Requests');
    case 'slack_webapi_platform_error': {
      const code = typeof e.data?.error === 'string' ? e.data.error : 'unknown_error';
      if (RATE_CODES.has(code)) {
        const wait = seconds(e.data?.response_metadata?.retryAfter, RATE_CODE_WAIT_MS / 1000) * 1000;
        return new RateLimitedError(wait, `Slack refused: ${code}`);
      }
      if (editing && code === 'message_not_found') return new MessageGoneError();
      if (TRANSIENT_CODES.has(code)) return new TransientSendError(`Slack error: ${code}`);
      return new PermanentSendError(code, `Slack refused: ${code}`);
    }
    case 'slack_webapi_http_error': {
      const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
      // 5xx and timeouts pass; any other status means a wrong URL or a proxy refusing us: fix, not retry.
      if (status >= 500 || status === 408 || status === 0) return new TransientSendError(`Slack HTTP ${status}`);
      return new PermanentSendError(`http_${status}`, `Slack HTTP ${status}`);
    }
    case 'slack_webapi_request_error':
      return new TransientSendError('Slack could not be reached (network error or timeout)', { outcomeUnknown: true });
    default:
      // Not a Web API answer (e.g. a 429 without a usable Retry-After): unknown, so retried with backoff.
      return new TransientSendError(typeof e.message === 'string' ? e.message : 'unknown Slack failure');
  }
}

function seconds(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}
