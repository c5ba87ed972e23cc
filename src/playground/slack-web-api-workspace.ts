import { MESSAGE_TEXT_LIMIT, messageBlockProblems } from './slack-web-api-blocks.ts';
import { readHistory, readReplies } from './slack-web-api-history.ts';
import {
  type Channel,
  type ChannelSpec,
  type EphemeralMessage,
  isMetadata,
  type SlackUser,
  type StoredMessage,
} from './slack-web-api-types.ts';
import { type Answer, fail, type Json, str, TEAM_ID, Views } from './slack-web-api-views.ts';

export type { ChannelSpec, EphemeralMessage, SlackUser, StoredMessage } from './slack-web-api-types.ts';
export type { Answer, Json, OpenView } from './slack-web-api-views.ts';

// The workspace the Slack Web API stand-in keeps: channels with messages (and their edit history),
// DMs, ephemeral messages and a user directory; modals, Home tabs and trigger ids live in `views`.
// Each method answers like Slack: `{ ok: true, ... }` or `{ ok: false, error }` with Slack's codes.

export class Workspace {
  readonly team = { id: TEAM_ID, name: 'Stand-in workspace' };
  readonly bot = { userId: 'UBOT0001', botId: 'BBOT0001', name: 'vendor-risk' };
  readonly channels = new Map<string, Channel>();
  readonly users = new Map<string, SlackUser>();
  readonly dms = new Map<string, string>();
  readonly ephemerals: EphemeralMessage[] = [];
  readonly views: Views;
  readonly #now: () => number;
  #seq = 0;

  constructor(now: () => number) {
    this.#now = now;
    this.views = new Views(now, (user) => this.users.has(user));
  }

  addChannel(spec: ChannelSpec): void {
    this.channels.set(spec.id, {
      id: spec.id,
      member: spec.member ?? true,
      archived: spec.archived ?? false,
      members: spec.members ?? null,
      messages: [],
    });
  }

  addUser(user: SlackUser): void {
    this.users.set(user.id, user);
  }

  #nextTs(): string {
    this.#seq += 1;
    return `${Math.floor(this.#now() / 1000)}.${String(this.#seq % 1_000_000).padStart(6, '0')}`;
  }

  openDm(user: string): string {
    let id = this.dms.get(user);
    if (!id) {
      id = `D${user.slice(1)}`;
      this.dms.set(user, id);
      this.channels.set(id, { id, member: true, archived: false, members: [user], messages: [] });
    }
    return id;
  }

  /** A channel the bot may write to, or the Slack error saying why not. */
  #writable(id: string | undefined, allowUser: boolean): Channel | Answer {
    if (!id) return fail('channel_not_found');
    if (allowUser && this.users.has(id)) return this.channels.get(this.openDm(id))!;
    const channel = this.channels.get(id);
    if (!channel) return fail('channel_not_found');
    if (channel.archived) return fail('is_archived');
    if (!channel.member) return fail('not_in_channel');
    return channel;
  }

  /** Text and blocks as chat.* methods require them: text is the notification fallback and always needed. */
  #content(args: Json): { text: string; blocks: unknown[] | undefined } | Answer {
    const text = typeof args.text === 'string' ? args.text : '';
    const blocks = args.blocks === undefined ? undefined : args.blocks;
    if (blocks !== undefined) {
      const problems = messageBlockProblems(blocks);
      if (text.trim() === '') problems.push('text: is required as the fallback when blocks are sent');
      if (problems.length > 0) return fail('invalid_blocks', { errors: problems });
    } else if (text.trim() === '') return fail('no_text');
    if (text.length > MESSAGE_TEXT_LIMIT) return fail('msg_too_long');
    return { text, blocks: blocks as unknown[] | undefined };
  }

  postMessage(args: Json): Answer {
    const channel = this.#writable(str(args.channel), true);
    if ('ok' in channel) return channel;
    const content = this.#content(args);
    if ('ok' in content) return content;
    let threadTs = str(args.thread_ts);
    if (threadTs) {
      const parent = channel.messages.find((m) => m.ts === threadTs);
      if (!parent) return fail('thread_not_found');
      threadTs = parent.threadTs ?? parent.ts;
    }
    const metadata = args.metadata;
    if (metadata !== undefined && !isMetadata(metadata)) return fail('invalid_metadata_format');
    const message: StoredMessage = {
      channel: channel.id,
      ts: this.#nextTs(),
      ...content,
      threadTs,
      metadata,
      edits: [],
    };
    channel.messages.push(message);
    return { ok: true, channel: channel.id, ts: message.ts, message: this.#public(message) };
  }

  update(args: Json): Answer {
    const channel = this.#writable(str(args.channel), false);
    if ('ok' in channel) return channel;
    const message = channel.messages.find((m) => m.ts === str(args.ts));
    if (!message) return fail('message_not_found');
    const content = this.#content(args);
    if ('ok' in content) return content;
    message.edits.push({ text: message.text, blocks: message.blocks });
    message.text = content.text;
    message.blocks = content.blocks;
    return { ok: true, channel: channel.id, ts: message.ts, text: message.text, message: this.#public(message) };
  }

  delete(args: Json): Answer {
    const channel = this.#writable(str(args.channel), false);
    if ('ok' in channel) return channel;
    const index = channel.messages.findIndex((m) => m.ts === str(args.ts));
    if (index < 0) return fail('message_not_found');
    channel.messages.splice(index, 1);
    return { ok: true, channel: channel.id, ts: str(args.ts) };
  }

  postEphemeral(args: Json): Answer {
    const channel = this.#writable(str(args.channel), false);
    if ('ok' in channel) return channel;
    const user = str(args.user);
    if (!user || !this.users.has(user)) return fail('user_not_found');
    if (channel.members && !channel.members.includes(user)) return fail('user_not_in_channel');
    const content = this.#content(args);
    if ('ok' in content) return content;
    const messageTs = this.#nextTs();
    this.ephemerals.push({ channel: channel.id, user, ...content, threadTs: str(args.thread_ts), messageTs });
    return { ok: true, message_ts: messageTs };
  }

  /** A response_url's `replace_original` on an ephemeral message: only the person ever saw it. */
  replaceEphemeral(user: string, messageTs: string, args: Json): Answer {
    const message = this.ephemerals.find((e) => e.user === user && e.messageTs === messageTs);
    if (!message) return fail('message_not_found');
    const content = this.#content(args);
    if ('ok' in content) return content;
    Object.assign(message, content);
    return { ok: true };
  }

  deleteEphemeral(user: string, messageTs: string): Answer {
    const index = this.ephemerals.findIndex((e) => e.user === user && e.messageTs === messageTs);
    if (index < 0) return fail('message_not_found');
    this.ephemerals.splice(index, 1);
    return { ok: true };
  }

  conversationsOpen(args: Json): Answer {
    const users = (str(args.users) ?? '').split(',').filter(Boolean);
    if (users.length !== 1) return fail(users.length === 0 ? 'users_list_not_supplied' : 'not_supported');
    if (!this.users.has(users[0]!)) return fail('user_not_found');
    return { ok: true, channel: { id: this.openDm(users[0]!) } };
  }

  usersInfo(args: Json): Answer {
    const user = this.users.get(str(args.user) ?? '');
    if (!user) return fail('user_not_found');
    const profile = {
      real_name: user.realName,
      display_name: user.displayName,
      ...(user.email ? { email: user.email } : {}),
    };
    return {
      ok: true,
      user: {
        id: user.id,
        team_id: this.team.id,
        name: user.name,
        real_name: user.realName,
        tz: user.tz ?? 'Europe/London',
        is_bot: user.isBot ?? false,
        deleted: false,
        profile,
      },
    };
  }

  authTest(): Answer {
    return {
      ok: true,
      url: 'https://stand-in.slack.invalid/',
      team: this.team.name,
      team_id: this.team.id,
      user: this.bot.name,
      user_id: this.bot.userId,
      bot_id: this.bot.botId,
    };
  }

  /** A channel the bot can read: it must be a member. */
  #readable(id: string | undefined): { messages: StoredMessage[] } | Answer {
    const channel = id ? this.channels.get(id) : undefined;
    if (!channel) return fail('channel_not_found');
    if (!channel.member) return fail('not_in_channel');
    return channel;
  }

  history(args: Json): Answer {
    const channel = this.#readable(str(args.channel));
    return 'ok' in channel ? channel : readHistory(channel.messages, args, (m, meta) => this.#public(m, meta));
  }

  replies(args: Json): Answer {
    const channel = this.#readable(str(args.channel));
    return 'ok' in channel ? channel : readReplies(channel.messages, args, (m, meta) => this.#public(m, meta));
  }

  #public(m: StoredMessage, withMetadata = false): Json {
    return {
      type: 'message',
      bot_id: this.bot.botId,
      user: this.bot.userId,
      text: m.text,
      ts: m.ts,
      ...(m.blocks ? { blocks: m.blocks } : {}),
      ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
      ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
    };
  }
}
