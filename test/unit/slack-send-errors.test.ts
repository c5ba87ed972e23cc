import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import {
  MessageGoneError,
  PermanentSendError,
  RateLimitedError,
  TransientSendError,
} from '../../src/delivery/errors.ts';
import { classifySlackError } from '../../src/slack/send-errors.ts';

// The WebClient's own error classes, as it throws them with retries off and 429s rejected.

const platform = (error: string) => new webApi.WebAPIPlatformError({ ok: false, error });
const http = (status: number) => new webApi.WebAPIHTTPError(status, 'status', {}, '');

describe('Slack errors as retry classes', () => {
  it('turns a 429 into a wait of Retry-After seconds, not a failure', () => {
    const error = classifySlackError(new webApi.WebAPIRateLimitedError(7));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(7_000);
    expect(classifySlackError(platform('ratelimited'))).toBeInstanceOf(RateLimitedError);
  });

  it.each(['channel_not_found', 'not_in_channel', 'is_archived', 'invalid_blocks', 'invalid_auth', 'token_revoked'])(
    'gives up at once on %s',
    (code) => {
      const error = classifySlackError(platform(code));
      expect(error).toBeInstanceOf(PermanentSendError);
      expect((error as PermanentSendError).code).toBe(code);
    },
  );

  it('retries server trouble and network failures', () => {
    expect(classifySlackError(platform('internal_error'))).toBeInstanceOf(TransientSendError);
    expect(classifySlackError(http(500))).toBeInstanceOf(TransientSendError);
    expect(classifySlackError(http(503))).toBeInstanceOf(TransientSendError);
    expect(classifySlackError(new webApi.WebAPIRequestError(new Error('socket hang up')))).toBeInstanceOf(
      TransientSendError,
    );
    expect(classifySlackError(new Error('Retry header did not contain a valid timeout'))).toBeInstanceOf(
      TransientSendError,
    );
  });

  it('treats other HTTP statuses as a configuration problem, not a reason to retry', () => {
    expect(classifySlackError(http(404))).toBeInstanceOf(PermanentSendError);
  });

  it('reports a deleted message only when editing it', () => {
    expect(classifySlackError(platform('message_not_found'), true)).toBeInstanceOf(MessageGoneError);
    expect(classifySlackError(platform('message_not_found'), false)).toBeInstanceOf(PermanentSendError);
  });
});
