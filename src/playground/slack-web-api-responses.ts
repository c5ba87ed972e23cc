import type { Answer, Json, Workspace } from './slack-web-api-workspace.ts';

// Slack's response_url, as the Web API stand-in serves it: each command or message click gets one URL,
// good for 5 posts within 30 minutes. A post is ephemeral to the person unless `response_type` is
// `in_channel`; on a clicked message `replace_original` edits it and `delete_original` removes it
// (an ephemeral original included). Content is checked like chat.* methods check it.

const USES = 5;
const LIFETIME_MS = 30 * 60 * 1000;

/** Where a response_url answers to: the person, the conversation, and the clicked message if any. */
export interface ResponseSource {
  user: string;
  channel: string;
  message?: { ts: string; ephemeral: boolean };
  /** The clicked message's thread, so replies stay in it. */
  threadTs?: string;
}

interface Issued {
  source: ResponseSource;
  issuedAt: number;
  uses: number;
}

export class ResponseUrls {
  readonly #issued = new Map<string, Issued>();
  readonly #workspace: Workspace;
  readonly #now: () => number;
  #seq = 0;

  constructor(workspace: Workspace, now: () => number) {
    this.#workspace = workspace;
    this.#now = now;
  }

  /** A new response_url path segment for one request. */
  issue(source: ResponseSource): string {
    this.#seq += 1;
    const id = `T0STANDIN/${this.#seq}/${Math.random().toString(36).slice(2, 12)}`;
    this.#issued.set(id, { source, issuedAt: this.#now(), uses: 0 });
    return id;
  }

  /** One post to a response_url: `{ status, body }` as Slack's hooks endpoint answers. */
  answer(id: string, args: Json): { status: number; body: Answer } {
    const issued = this.#issued.get(id);
    if (!issued) return { status: 404, body: { ok: false, error: 'no_service' } };
    if (this.#now() - issued.issuedAt > LIFETIME_MS || issued.uses >= USES) {
      return { status: 404, body: { ok: false, error: 'expired_url' } };
    }
    issued.uses += 1;
    const result = this.#apply(issued.source, args);
    return { status: result.ok ? 200 : 400, body: result };
  }

  #apply(source: ResponseSource, args: Json): Answer {
    const ws = this.#workspace;
    const original = source.message;
    const content = { text: args.text, blocks: args.blocks };
    if (original && args.delete_original === true) {
      return original.ephemeral
        ? ws.deleteEphemeral(source.user, original.ts)
        : ws.delete({ channel: source.channel, ts: original.ts });
    }
    if (original && args.replace_original === true) {
      return original.ephemeral
        ? ws.replaceEphemeral(source.user, original.ts, content)
        : ws.update({ channel: source.channel, ts: original.ts, ...content });
    }
    const thread = source.threadTs ? { thread_ts: source.threadTs } : {};
    if (args.response_type === 'in_channel') return ws.postMessage({ channel: source.channel, ...thread, ...content });
    return ws.postEphemeral({ channel: source.channel, user: source.user, ...thread, ...content });
  }
}
