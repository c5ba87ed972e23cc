import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwks, KEYS_PATH, METADATA_PATH, newSigningKey, type SigningKey } from './bot-framework-tokens.ts';

// A local stand-in for the Bot Connector service, over real HTTP on 127.0.0.1. Activities name it as
// their serviceUrl, so everything the bot sends lands here: replies (POST /v3/conversations/{id}/
// activities/{replyToId}), new messages and proactive sends (POST …/activities), edits (PUT
// …/activities/{id}) and member look-ups (GET …/members/{id}). It enforces Teams' documented
// per-bot, per-conversation send limits (7 in 1 s, 8 in 2 s, 60 in 30 s, 1800 in an hour) with 429 and
// Retry-After, on a clock the test controls.

export type CallKind = 'send' | 'reply' | 'update';

export interface ConnectorCall {
  kind: CallKind;
  conversationId: string;
  /** The activity replied to (reply) or edited (update). */
  activityId: string | null;
  /** The id this stand-in gave the activity (send, reply) or the edited id (update). */
  id: string;
  activity: Record<string, unknown> & { type?: string; attachments?: { content?: unknown }[] };
  authorization: string | null;
}

export interface Member {
  id: string;
  name: string;
  aadObjectId: string;
}

export interface InjectedFailure {
  status: number;
  retryAfterSeconds?: number;
}

export interface BotConnector {
  url: string;
  /** Accepted calls, in order; rate-limited and failed ones are not recorded. */
  calls: ConnectorCall[];
  /** Every request that arrived, including refused ones: how often a client retried. */
  attempts: { method: string; path: string; status: number }[];
  members: Map<string, Member>;
  /** The Bot Framework's OpenID metadata, as served here: a bot given this URL checks tokens signed with `signingKey`. */
  openIdMetadataUrl: string;
  signingKey: SigningKey;
  /** The next `count` activity requests (send/reply/update) fail with this status. */
  failNext(failure: InjectedFailure, count?: number): void;
  messages(kind?: CallKind): ConnectorCall[];
  close(): Promise<void>;
}

export const TEAMS_SEND_LIMITS: [windowMs: number, max: number][] = [
  [1_000, 7],
  [2_000, 8],
  [30_000, 60],
  [3_600_000, 1_800],
];

export async function startBotConnector(options: { now?: () => number } = {}): Promise<BotConnector> {
  const now = options.now ?? Date.now;
  const calls: ConnectorCall[] = [];
  const attempts: BotConnector['attempts'] = [];
  const members = new Map<string, Member>();
  const sent = new Map<string, number[]>();
  const failures: InjectedFailure[] = [];
  let nextId = 1;
  const signingKey = newSigningKey();
  let baseUrl = '';

  function limited(conversationId: string): number | null {
    const at = now();
    const times = sent.get(conversationId) ?? [];
    for (const [windowMs, max] of TEAMS_SEND_LIMITS) {
      const inWindow = times.filter((t) => t > at - windowMs);
      if (inWindow.length >= max) return Math.max(1, Math.ceil(((inWindow[0] ?? at) + windowMs - at) / 1000));
    }
    times.push(at);
    sent.set(conversationId, times);
    return null;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const body = await readBody(req);
    const answer = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
      attempts.push({ method: req.method ?? '', path, status });
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(json === undefined ? '' : JSON.stringify(json));
    };
    if (req.method === 'GET' && path === METADATA_PATH) return answer(200, { jwks_uri: `${baseUrl}${KEYS_PATH}` });
    if (req.method === 'GET' && path === KEYS_PATH) return answer(200, jwks([signingKey]));
    const member = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && member) {
      const found = members.get(decodeURIComponent(member[2] ?? ''));
      return found ? answer(200, found) : answer(404, { error: { code: 'MemberNotFound' } });
    }
    const activities = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    if (!activities || (req.method !== 'POST' && req.method !== 'PUT'))
      return answer(404, { error: { code: 'NotFound' } });
    const conversationId = decodeURIComponent(activities[1] ?? '');
    const activityId = activities[2] ? decodeURIComponent(activities[2]) : null;
    const failure = failures.shift();
    if (failure) {
      const headers: Record<string, string> =
        failure.retryAfterSeconds === undefined ? {} : { 'retry-after': String(failure.retryAfterSeconds) };
      return answer(failure.status, { error: { code: `Injected${failure.status}` } }, headers);
    }
    const retryAfter = limited(conversationId);
    if (retryAfter !== null)
      return answer(429, { error: { code: 'Throttled' } }, { 'retry-after': String(retryAfter) });
    const kind: CallKind = req.method === 'PUT' ? 'update' : activityId ? 'reply' : 'send';
    const id = kind === 'update' ? (activityId ?? '') : `msg-${nextId++}`;
    calls.push({
      kind,
      conversationId,
      activityId,
      id,
      activity: JSON.parse(body || '{}'),
      authorization: req.headers.authorization ?? null,
    });
    return answer(200, { id });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
  return {
    url: baseUrl,
    openIdMetadataUrl: `${baseUrl}${METADATA_PATH}`,
    signingKey,
    calls,
    attempts,
    members,
    failNext(failure, count = 1) {
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    messages(kind) {
      return calls.filter((c) => c.activity.type === 'message' && (kind === undefined || c.kind === kind));
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
