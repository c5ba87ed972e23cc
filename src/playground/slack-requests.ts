import { createHmac, randomUUID } from 'node:crypto';

// Requests exactly as Slack sends them: payload shapes from Slack's documentation, signed with
// v0 HMAC-SHA256 over `v0:<timestamp>:<raw body>`, and the exact content type Bolt parses. The
// playground turns browser actions into these; the Slack adapter's tests build theirs here too.

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
export const TEAM = { id: 'T0TEST', domain: 'acme' };
export const APP_ID = 'A0TEST';

export interface SignOptions {
  secret: string;
  /** `bad`: signed with another secret; `missing`: no signature headers; `stale`: six minutes old. */
  signature?: 'good' | 'bad' | 'missing' | 'stale';
  /** Adds X-Slack-Retry-Num (and a reason), as Slack does when it redelivers an event. */
  retryNum?: number;
  /** Seconds since the epoch the request claims to be from; now by default. */
  now?: number;
}

export interface SlackRequest {
  body: string;
  headers: Record<string, string>;
}

export function sign(body: string, contentType: string, options: SignOptions): SlackRequest {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const timestamp = options.signature === 'stale' ? now - 6 * 60 : now;
  const secret = options.signature === 'bad' ? `${options.secret}-not` : options.secret;
  const digest = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  const headers: Record<string, string> = { 'content-type': contentType };
  if (options.signature !== 'missing') {
    headers['x-slack-request-timestamp'] = String(timestamp);
    headers['x-slack-signature'] = `v0=${digest}`;
  }
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  return { body, headers };
}

export interface SlashCommand {
  text: string;
  userId: string;
  userName?: string;
  channelId: string;
  channelName?: string;
  responseUrl: string;
  triggerId?: string;
  command?: string;
}

/** A slash command: a plain form post. */
export function slashCommand(c: SlashCommand, options: SignOptions): SlackRequest {
  const body = new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: TEAM.id,
    team_domain: TEAM.domain,
    channel_id: c.channelId,
    channel_name: c.channelName ?? 'risk',
    user_id: c.userId,
    user_name: c.userName ?? 'dana',
    command: c.command ?? '/vendor',
    text: c.text,
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: c.responseUrl,
    trigger_id: c.triggerId ?? triggerId(),
  }).toString();
  return sign(body, FORM_CONTENT_TYPE, options);
}

/** An interaction: the JSON payload in the `payload` form field. */
export function interaction(payload: object, options: SignOptions): SlackRequest {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return sign(body, FORM_CONTENT_TYPE, options);
}

export function appHomeOpened(
  userId: string,
  options: SignOptions & { eventId?: string; channelId?: string },
): SlackRequest {
  const body = JSON.stringify({
    token: 'legacy-verification-token',
    team_id: TEAM.id,
    api_app_id: APP_ID,
    event: {
      type: 'app_home_opened',
      user: userId,
      channel: options.channelId ?? 'D0HOME',
      tab: 'home',
      event_ts: '1767000000.000200',
    },
    type: 'event_callback',
    event_id: options.eventId ?? `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
    event_time: 1767000000,
    authorizations: [{ team_id: TEAM.id, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  });
  return sign(body, 'application/json', options);
}

/** Sends a built request to the app and returns its status and body. */
export async function deliver(url: string, request: SlackRequest): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { method: 'POST', headers: request.headers, body: request.body });
  return { status: response.status, body: await response.text() };
}

/** A trigger id shaped like Slack's; the playground uses ones the stand-in issued instead. */
export function triggerId(): string {
  return `${Date.now()}.${Math.floor(Math.random() * 1e9)}.${randomUUID().slice(0, 8)}`;
}
