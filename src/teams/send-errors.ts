import { MessageGoneError, PermanentSendError, RateLimitedError, TransientSendError } from '../delivery/errors.ts';
import { ConnectorHttpError } from './connector-http.ts';

// The Bot Connector's answers, sorted into the relay's retry classes. Teams asks callers to retry 429,
// 412, 502, 503 and 504, honouring Retry-After when it is sent and backing off with jitter when not
// (learn.microsoft.com …/bots/how-to/rate-limit); the relay does both, so this only names the class.

const RETRY_STATUSES = new Set([408, 412, 429, 500, 502, 503, 504]);

/** `editing` marks updateActivity, where 404 means the message was deleted and should be posted again. */
export function classifyTeamsError(error: unknown, editing = false): Error {
  if (error instanceof ConnectorHttpError) {
    const { status, retryAfterMs } = error;
    if (RETRY_STATUSES.has(status) || status >= 500) {
      if (retryAfterMs !== null)
        return new RateLimitedError(retryAfterMs, `Teams answered ${status}; retry after ${retryAfterMs} ms`);
      return new TransientSendError(`Teams answered ${status}`);
    }
    if (editing && status === 404) return new MessageGoneError();
    if (status === 413) return new PermanentSendError('message_too_big', 'Teams refused the message as too big (413)');
    if (status === 401 || status === 403) {
      return new PermanentSendError(
        'forbidden',
        `Teams refused the bot (${status}): is the app still installed there?`,
      );
    }
    if (status === 404)
      return new PermanentSendError('conversation_not_found', 'Teams does not know this conversation (404)');
    return new PermanentSendError(`http_${status}`, `Teams answered ${status}`);
  }
  if (error instanceof PermanentSendError || error instanceof TransientSendError) return error;
  // fetch failures, timeouts, token endpoint trouble: the outcome is unknown, so try again later.
  const message = error instanceof Error ? error.message : String(error);
  return new TransientSendError(`Teams could not be reached: ${message}`);
}
