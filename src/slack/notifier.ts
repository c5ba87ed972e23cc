import { webApi } from '@slack/bolt';
import { type Logger, pino } from 'pino';
import { createSlackPacer, type Pacer } from '../delivery/pacing.ts';
import type { HomeRequest, PlatformMessage, PostRequest, Sender, UpdateRequest } from '../delivery/sender.ts';
import { boltLogger } from './bolt-logger.ts';
import { renderHome, renderMessage } from './render.ts';
import { classifySlackError } from './send-errors.ts';

// The relay's way into Slack. One attempt per call: the WebClient's own retries are off and a 429 is
// handed back (not waited out inside the client, which would pause every channel), so the outbox is
// the only retry layer. Calls are paced per channel and per method tier before they leave.

export interface SlackNotifierOptions {
  /** The bot token (xoxb-…). Sent only in the Authorization header; never logged. */
  token: string;
  /** The Web API base URL (Config `slack.apiUrl`): GovSlack, a proxy, or a local stand-in in tests. */
  slackApiUrl?: string;
  pacer?: Pacer;
  /** Per HTTP call. A timed-out call has an unknown outcome and is retried, at worst posting twice. */
  timeoutMs?: number;
  logger?: Logger;
}

const DM_USER = /^[UW][A-Z0-9]+$/;
/** Stamped on every post with its outbox key, so a post an interrupted relay made can be recognised. */
const METADATA_TYPE = 'vendor_risk_outbox';
/** Messages are looked for from this long before the row was created: server clocks drift. */
const CLOCK_SLACK_S = 600;

export function createSlackNotifier(options: SlackNotifierOptions): Sender {
  const log = options.logger ?? pino({ level: 'silent' });
  const client = new webApi.WebClient(options.token, {
    ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 30_000,
    logger: boltLogger(log),
  });
  const pacer = options.pacer ?? createSlackPacer();
  // A person's DM channel never changes, so it is opened once per process.
  const dmChannels = new Map<string, string>();

  async function call<T>(method: string, key: string, run: () => Promise<T>): Promise<T> {
    try {
      return await pacer.schedule(method, key, run);
    } catch (error) {
      throw classifySlackError(error, method === 'chat.update');
    }
  }

  async function conversationFor(target: string): Promise<string> {
    const id = target.slice(target.indexOf(':') + 1);
    if (!DM_USER.test(id)) return id;
    const known = dmChannels.get(id);
    if (known) return known;
    const opened = await call('conversations.open', id, () => client.conversations.open({ users: id }));
    const channel = opened.channel?.id;
    if (!channel)
      throw classifySlackError({ code: 'slack_webapi_platform_error', data: { error: 'channel_not_found' } });
    dmChannels.set(id, channel);
    return channel;
  }

  return {
    async post({ key, target, reply, threadParent }: PostRequest): Promise<PlatformMessage> {
      // A thread reply goes where its parent is, which for a DM is the opened D… channel.
      const channel = threadParent ? threadParent.conversation : await conversationFor(target);
      const message = renderMessage(reply);
      const result = await call('chat.postMessage', channel, () =>
        client.chat.postMessage({
          channel,
          ...message,
          ...(threadParent ? { thread_ts: threadParent.id } : {}),
          ...(key ? { metadata: { event_type: METADATA_TYPE, event_payload: { key } } } : {}),
        }),
      );
      if (!result.ts) throw classifySlackError(new Error('chat.postMessage answered without a ts'));
      return { conversation: result.channel ?? channel, id: result.ts };
    },

    // Reads the channel (or thread) since the row was created; needs the *:history scopes. The
    // interrupted post, if it exists, is our newest message there: its target was blocked since.
    async findPosted({ key, target, threadParent }: PostRequest, since: Date): Promise<PlatformMessage | null> {
      if (!key) return null;
      const channel = threadParent ? threadParent.conversation : await conversationFor(target);
      const oldest = String(Math.floor(since.getTime() / 1000) - CLOCK_SLACK_S);
      const page = threadParent
        ? await call('conversations.replies', channel, () =>
            client.conversations.replies({
              channel,
              ts: threadParent.id,
              oldest,
              limit: 200,
              include_all_metadata: true,
            }),
          )
        : await call('conversations.history', channel, () =>
            client.conversations.history({ channel, oldest, limit: 200, include_all_metadata: true }),
          );
      const match = page.messages?.find(
        (m) =>
          m.metadata?.event_type === METADATA_TYPE &&
          (m.metadata.event_payload as { key?: unknown } | undefined)?.key === key,
      );
      return match?.ts ? { conversation: channel, id: match.ts } : null;
    },

    async update({ message, reply }: UpdateRequest): Promise<PlatformMessage> {
      const rendered = renderMessage(reply);
      const result = await call('chat.update', message.conversation, () =>
        client.chat.update({ channel: message.conversation, ts: message.id, ...rendered }),
      );
      return { conversation: result.channel ?? message.conversation, id: result.ts ?? message.id };
    },

    async publishHome({ target, reply }: HomeRequest): Promise<void> {
      const user = target.slice(target.indexOf(':') + 1);
      const view = renderHome(reply.blocks?.length ? reply.blocks : [{ type: 'text', text: reply.text }]);
      await call('views.publish', user, () => client.views.publish({ user_id: user, view }));
    },
  };
}
