import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Fault, Faults } from './slack-web-api-faults.ts';
import { bearer, parseArgs, readBody, stringArg } from './slack-web-api-http.ts';
import { type RateLimitOptions, RateLimits } from './slack-web-api-limits.ts';
import { type ResponseSource, ResponseUrls } from './slack-web-api-responses.ts';
import {
  type Answer,
  type ChannelSpec,
  type EphemeralMessage,
  type Json,
  type OpenView,
  type SlackUser,
  type StoredMessage,
  Workspace,
} from './slack-web-api-workspace.ts';

// A local stand-in for the Slack Web API: a real HTTP server on 127.0.0.1 that the real WebClient
// (and Bolt, via clientOptions.slackApiUrl) talks to. It enforces what Slack enforces, so a test that
// passes against it means something: bearer-token auth, form-urlencoded and JSON bodies, Block Kit
// limits (invalid_blocks), per-tier and per-channel rate limits (HTTP 429 + Retry-After), trigger ids
// that expire after 3 s and work once. Faults can be injected per method. It also serves response_urls
// and does what Slack's client does with a modal's acknowledgement, so the playground runs the bot on
// it as the bot's workspace, and tests and benches use the same one.

export type { ChannelSpec, EphemeralMessage, Fault, OpenView, ResponseSource, SlackUser, StoredMessage };

export interface CallRecord {
  method: string;
  at: number;
  status: number;
  error: string | undefined;
  args: Json;
}

export interface SlackWebApiOptions extends RateLimitOptions {
  token?: string;
  channels?: (string | ChannelSpec)[];
  users?: SlackUser[];
  /** Milliseconds clock for rate limits and trigger expiry; default Date.now. */
  now?: () => number;
  /** Called after anything a person could see may have changed (a message, a modal, a Home tab). */
  onChange?: () => void;
  /** Socket Mode: the app-level token (xapp-…) apps.connections.open accepts, and the URL it hands out. */
  socketMode?: { appToken: string; url: () => string };
}

type Handler = (ws: Workspace, args: Json) => Answer;

const METHODS: Record<string, Handler> = {
  'auth.test': (ws) => ws.authTest(),
  'chat.postMessage': (ws, a) => ws.postMessage(a),
  'chat.update': (ws, a) => ws.update(a),
  'chat.delete': (ws, a) => ws.delete(a),
  'chat.postEphemeral': (ws, a) => ws.postEphemeral(a),
  'conversations.open': (ws, a) => ws.conversationsOpen(a),
  'conversations.history': (ws, a) => ws.history(a),
  'conversations.replies': (ws, a) => ws.replies(a),
  'users.info': (ws, a) => ws.usersInfo(a),
  'views.open': (ws, a) => ws.views.open(a),
  'views.push': (ws, a) => ws.views.push(a),
  'views.update': (ws, a) => ws.views.update(a),
  'views.publish': (ws, a) => ws.views.publish(a),
};

export class SlackWebApi {
  readonly workspace: Workspace;
  readonly token: string;
  readonly log: CallRecord[] = [];
  #url = '';
  readonly #limits: RateLimits;
  readonly #now: () => number;
  readonly #faults = new Faults();
  readonly #responses: ResponseUrls;
  readonly #onChange: () => void;
  readonly #socketMode: SlackWebApiOptions['socketMode'];
  readonly #server = createServer((req, res) => {
    this.#handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  constructor(options: SlackWebApiOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.token = options.token ?? 'xoxb-stand-in-token';
    this.workspace = new Workspace(this.#now);
    this.#limits = new RateLimits(options);
    this.#responses = new ResponseUrls(this.workspace, this.#now);
    this.#onChange = options.onChange ?? (() => {});
    this.#socketMode = options.socketMode;
    for (const c of options.channels ?? ['CGENERAL']) this.workspace.addChannel(typeof c === 'string' ? { id: c } : c);
    for (const u of options.users ?? []) this.workspace.addUser(u);
  }

  /** The base URL for WebClient's `slackApiUrl`, e.g. http://127.0.0.1:43121/api/ */
  get url(): string {
    return this.#url;
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.#url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/api/`;
    return this;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** The next `times` calls of `method` (after letting `after` calls through) answer with `fault`. */
  inject(method: string, fault: Fault, times = 1, after = 0): void {
    this.#faults.inject(method, fault, times, after);
  }

  issueTrigger(user: string): string {
    return this.workspace.views.issueTrigger(user);
  }

  /** A response_url for one command or message click, served by this stand-in as Slack serves it. */
  responseUrl(source: ResponseSource): string {
    return new URL(`../respond/${this.#responses.issue(source)}`, this.#url).toString();
  }

  /** The person cancelled the modal on top of their stack. */
  closeView(user: string, viewId: string): boolean {
    const closed = this.workspace.views.close(user, viewId);
    if (closed) this.#onChange();
    return closed;
  }

  /** Applies a view_submission's acknowledgement (response_action) as Slack's client does. */
  applySubmissionAck(user: string, viewId: string, ack: Json): Answer {
    const answer = this.workspace.views.applySubmissionAck(user, viewId, ack);
    this.#onChange();
    return answer;
  }

  addChannel(spec: string | ChannelSpec): void {
    this.workspace.addChannel(typeof spec === 'string' ? { id: spec } : spec);
  }

  addUser(user: SlackUser): void {
    this.workspace.addUser(user);
  }

  /** Top-level messages in a channel (or a DM, by its D… id), oldest first. */
  messages(channel: string): StoredMessage[] {
    return (this.workspace.channels.get(channel)?.messages ?? []).filter((m) => !m.threadTs);
  }

  threadReplies(channel: string, parentTs: string): StoredMessage[] {
    return (this.workspace.channels.get(channel)?.messages ?? []).filter((m) => m.threadTs === parentTs);
  }

  /** The DM channel id with a user, once the bot has opened one. */
  dmChannel(user: string): string | undefined {
    return this.workspace.dms.get(user);
  }

  ephemerals(user: string): EphemeralMessage[] {
    return this.workspace.ephemerals.filter((e) => e.user === user);
  }

  /** The modal on top of the user's stack, if one is open. */
  lastView(user: string): OpenView | undefined {
    return this.workspace.views.top(user);
  }

  homeView(user: string): OpenView | undefined {
    return this.workspace.views.homes.get(user);
  }

  calls(method?: string): CallRecord[] {
    return method ? this.log.filter((c) => c.method === method) : [...this.log];
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const method = url.pathname.startsWith('/api/')
      ? url.pathname.slice('/api/'.length)
      : url.pathname.startsWith('/respond/')
        ? 'response_url'
        : '';
    const parsed = parseArgs(req, url, await readBody(req));
    // A token in the body is accepted for form posts (not JSON, as on Slack) and never kept in the log.
    const { token: bodyToken, ...args } = parsed.args;
    const record = (status: number, error?: string) => this.log.push({ method, at: this.#now(), status, error, args });
    const send = (status: number, body: Json, headers: Record<string, string> = {}) => {
      record(status, body.ok === false ? String(body.error) : undefined);
      res
        .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
        .end(JSON.stringify(body));
      if (body.ok === true) this.#onChange();
    };

    if (url.pathname.startsWith('/respond/')) {
      // A response_url carries its own authority: no token. Logged as method "response_url".
      if (parsed.error) return send(400, { ok: false, error: parsed.error });
      const answer = this.#responses.answer(url.pathname.slice('/respond/'.length), args);
      return send(answer.status, answer.body);
    }
    if (parsed.error) return send(200, { ok: false, error: parsed.error });
    const token = bearer(req) ?? (parsed.json ? undefined : stringArg(bodyToken));
    if (!token) return send(200, { ok: false, error: 'not_authed' });
    if (method === 'apps.connections.open') {
      // Only an app-level token opens a Socket Mode connection; a bot token is the wrong kind.
      if (!this.#socketMode) return send(200, { ok: false, error: 'not_allowed_token_type' });
      if (token !== this.#socketMode.appToken) return send(200, { ok: false, error: 'invalid_auth' });
      return send(200, { ok: true, url: this.#socketMode.url() });
    }
    if (token !== this.token) return send(200, { ok: false, error: 'invalid_auth' });
    const handler = METHODS[method];
    if (!handler) return send(200, { ok: false, error: 'unknown_method' });

    const fault = this.#faults.take(method);
    if (fault && !('delayMs' in fault)) {
      if ('drop' in fault) {
        record(0, 'dropped');
        req.socket.destroy();
        return;
      }
      if ('status' in fault) return send(fault.status, { ok: false, error: `http_${fault.status}` });
      if ('rateLimited' in fault) {
        return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fault.rateLimited) });
      }
      return send(200, { ok: false, error: fault.error });
    }

    // Counted against the rate limits when it arrives, as Slack does, however long the answer takes.
    const channel = method === 'chat.postMessage' ? this.#channelKey(args.channel) : undefined;
    const retryAfter = this.#limits.check(method, channel, this.#now());
    if (fault && 'delayMs' in fault) {
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (req.socket.destroyed) return;
    }
    if (retryAfter > 0) return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(retryAfter) });
    send(200, handler(this.workspace, args));
  }

  /** Posts to a user land in their DM, so they share its per-channel allowance. */
  #channelKey(channel: unknown): string | undefined {
    const id = stringArg(channel);
    return id && this.workspace.users.has(id) ? (this.workspace.dms.get(id) ?? id) : id;
  }
}

export async function startSlackWebApi(options: SlackWebApiOptions = {}): Promise<SlackWebApi> {
  return new SlackWebApi(options).listen();
}
