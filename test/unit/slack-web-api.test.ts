import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { type SlackWebApi, type SlackWebApiOptions, startSlackWebApi } from '../../src/playground/slack-web-api.ts';

// The stand-in's own rules: if it ever turns permissive, every test that relies on it proves nothing.

let api: SlackWebApi;
let now = 1_780_000_000_000;

async function start(options: SlackWebApiOptions = {}): Promise<webApi.WebClient> {
  now = 1_780_000_000_000;
  api = await startSlackWebApi({
    channels: ['C1', 'C2'],
    users: [{ id: 'U1', name: 'dana', realName: 'Dana Scully', displayName: 'dana' }],
    now: () => now,
    ...options,
  });
  return client(api.token);
}

function client(token: string): webApi.WebClient {
  return new webApi.WebClient(token, {
    slackApiUrl: api.url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: webApi.LogLevel.ERROR,
  });
}

/** The Slack error code a call failed with (or 'ok'). */
async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    const e = error as { data?: { error?: string }; code?: string; statusCode?: number };
    return e.data?.error ?? (e.statusCode ? `http_${e.statusCode}` : (e.code ?? 'unknown'));
  }
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (text: string, extra: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id: `a${Math.random()}`,
  text: { type: 'plain_text', text },
  ...extra,
});
const post = (c: webApi.WebClient, blocks: unknown[], text = 'fallback') =>
  outcome(c.apiCall('chat.postMessage', { channel: 'C1', text, blocks }));

afterEach(async () => {
  await api?.close();
});

describe('authentication', () => {
  it('refuses a wrong token and a missing one, and accepts a form-body token', async () => {
    await start();
    expect(await outcome(client('xoxb-wrong').auth.test())).toBe('invalid_auth');
    const bare = await fetch(`${api.url}auth.test`, { method: 'POST' });
    expect(await bare.json()).toEqual({ ok: false, error: 'not_authed' });
    const form = await fetch(`${api.url}auth.test`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${api.token}`,
    });
    expect(await form.json()).toMatchObject({ ok: true, team_id: 'T0STANDIN' });
    expect(JSON.stringify(api.calls())).not.toContain(api.token);
  });

  it('takes JSON bodies, but only with the token in the Authorization header', async () => {
    await start();
    const body = JSON.stringify({ channel: 'C1', text: 'hi', token: api.token });
    const noHeader = await fetch(`${api.url}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body,
    });
    expect(await noHeader.json()).toEqual({ ok: false, error: 'not_authed' });
    const withHeader = await fetch(`${api.url}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${api.token}` },
      body: JSON.stringify({ channel: 'C1', text: 'hi', blocks: [section('hi')] }),
    });
    expect(await withHeader.json()).toMatchObject({ ok: true, channel: 'C1' });
    expect(api.messages('C1').map((m) => m.text)).toEqual(['hi']);
  });
});

describe('Block Kit limits', () => {
  it('accepts a message at every limit', async () => {
    const c = await start();
    const full = [
      { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(150) } },
      section('s'.repeat(3000)),
      { type: 'section', fields: Array.from({ length: 10 }, () => ({ type: 'mrkdwn', text: 'f'.repeat(2000) })) },
      {
        type: 'actions',
        block_id: 'b'.repeat(255),
        elements: Array.from({ length: 25 }, (_, i) =>
          button('t'.repeat(75), { value: 'v'.repeat(2000), action_id: `${i}`.padEnd(255, 'x') }),
        ),
      },
      ...Array.from({ length: 46 }, () => ({ type: 'divider' })),
    ];
    expect(full).toHaveLength(50);
    expect(await post(c, full)).toBe('ok');
  });

  it.each([
    ['51 blocks', Array.from({ length: 51 }, () => ({ type: 'divider' }))],
    ['section text of 3001', [section('s'.repeat(3001))]],
    ['11 fields', [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }]],
    ['a field of 2001', [{ type: 'section', fields: [{ type: 'mrkdwn', text: 'f'.repeat(2001) }] }]],
    ['header of 151', [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }]],
    ['mrkdwn header', [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }]],
    ['button text of 76', [{ type: 'actions', elements: [button('t'.repeat(76))] }]],
    ['button value of 2001', [{ type: 'actions', elements: [button('ok', { value: 'v'.repeat(2001) })] }]],
    ['action_id of 256', [{ type: 'actions', elements: [button('ok', { action_id: 'a'.repeat(256) })] }]],
    ['block_id of 256', [{ ...section('x'), block_id: 'b'.repeat(256) }]],
    ['26 action elements', [{ type: 'actions', elements: Array.from({ length: 26 }, () => button('b')) }]],
    ['an unknown block type', [{ type: 'carousel' }]],
    [
      'duplicate block ids',
      [
        { ...section('a'), block_id: 'x' },
        { ...section('b'), block_id: 'x' },
      ],
    ],
  ])('refuses %s with invalid_blocks', async (_name, blocks) => {
    const c = await start();
    expect(await post(c, blocks)).toBe('invalid_blocks');
    expect(api.messages('C1')).toEqual([]);
  });

  it('requires the text fallback with blocks, and some text without', async () => {
    const c = await start();
    expect(await post(c, [section('only blocks')], '')).toBe('invalid_blocks');
    now += 1000; // a refused post still counts against the channel's allowance, as on Slack
    expect(await outcome(c.apiCall('chat.postMessage', { channel: 'C1' }))).toBe('no_text');
  });

  it('holds modals to 24-character titles and buttons and 100 blocks; Home to 100 blocks', async () => {
    const c = await start();
    const modal = (title: string, blocks: unknown[] = [section('x')]) => ({
      type: 'modal',
      title: { type: 'plain_text', text: title },
      close: { type: 'plain_text', text: 'Cancel' },
      blocks,
    });
    const open = (view: unknown) => outcome(c.apiCall('views.open', { trigger_id: api.issueTrigger('U1'), view }));
    expect(await open(modal('t'.repeat(25)))).toBe('invalid_blocks');
    expect(await open({ ...modal('ok'), submit: { type: 'plain_text', text: 's'.repeat(25) } })).toBe('invalid_blocks');
    expect(
      await open(
        modal(
          'ok',
          Array.from({ length: 101 }, () => ({ type: 'divider' })),
        ),
      ),
    ).toBe('invalid_blocks');
    expect(
      await open(
        modal(
          't'.repeat(24),
          Array.from({ length: 100 }, () => ({ type: 'divider' })),
        ),
      ),
    ).toBe('ok');
    const home = (n: number) => ({ type: 'home', blocks: Array.from({ length: n }, () => ({ type: 'divider' })) });
    expect(await outcome(c.apiCall('views.publish', { user_id: 'U1', view: home(101) }))).toBe('invalid_blocks');
    expect(await outcome(c.apiCall('views.publish', { user_id: 'U1', view: home(100) }))).toBe('ok');
    expect(api.homeView('U1')?.view.blocks).toHaveLength(100);
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After to a second post in the same channel within a second', async () => {
    const c = await start();
    expect(await outcome(c.chat.postMessage({ channel: 'C1', text: 'one' }))).toBe('ok');
    const error = await c.chat.postMessage({ channel: 'C1', text: 'two' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(webApi.WebAPIRateLimitedError);
    expect((error as webApi.WebAPIRateLimitedError).retryAfter).toBe(1);
    expect(await outcome(c.chat.postMessage({ channel: 'C2', text: 'elsewhere' }))).toBe('ok');
    now += 1000;
    expect(await outcome(c.chat.postMessage({ channel: 'C1', text: 'two' }))).toBe('ok');
    expect(api.messages('C1').map((m) => m.text)).toEqual(['one', 'two']);
    expect(api.calls('chat.postMessage').map((r) => r.status)).toEqual([200, 429, 200, 200]);
  });

  it('limits a tier per rolling minute', async () => {
    const c = await start({ tierPerMinute: { 3: 2 } });
    const { ts } = await c.chat.postMessage({ channel: 'C1', text: 'v1' });
    const update = (text: string) => outcome(c.chat.update({ channel: 'C1', ts: ts!, text }));
    expect([await update('v2'), await update('v3'), await update('v4')]).toEqual([
      'ok',
      'ok',
      'slack_webapi_rate_limited_error',
    ]);
    now += 60_001;
    expect(await update('v4')).toBe('ok');
    expect(api.messages('C1')[0]?.edits.map((e) => e.text)).toEqual(['v1', 'v2', 'v3']);
  });
});

describe('trigger ids', () => {
  const view = { type: 'modal', title: { type: 'plain_text', text: 'Form' }, blocks: [section('x')] };

  it('work once, within 3 seconds, and only when issued', async () => {
    const c = await start();
    const trigger = api.issueTrigger('U1');
    expect(await outcome(c.views.open({ trigger_id: trigger, view: view as never }))).toBe('ok');
    expect(api.lastView('U1')?.view.title).toEqual(view.title);
    expect(await outcome(c.views.open({ trigger_id: trigger, view: view as never }))).toBe('exchanged_trigger_id');
    const late = api.issueTrigger('U1');
    now += 3_001;
    expect(await outcome(c.views.open({ trigger_id: late, view: view as never }))).toBe('expired_trigger_id');
    expect(await outcome(c.views.open({ trigger_id: 'made-up', view: view as never }))).toBe('invalid_trigger_id');
  });
});

describe('faults and state', () => {
  it('injects 500s, errors, 429s and dropped connections for the next calls of a method', async () => {
    const c = await start();
    api.inject('chat.postMessage', { status: 500 }, 2);
    api.inject('chat.postMessage', { error: 'channel_not_found' });
    api.inject('chat.postMessage', { rateLimited: 7 });
    api.inject('chat.postMessage', { drop: true });
    const send = () => c.chat.postMessage({ channel: 'C1', text: 'x' }).catch((e: unknown) => e);
    const results = [await send(), await send(), await send(), await send(), await send()];
    expect(results.slice(0, 2).map((e) => (e as webApi.WebAPIHTTPError).statusCode)).toEqual([500, 500]);
    expect((results[2] as webApi.WebAPIPlatformError).data.error).toBe('channel_not_found');
    expect((results[3] as webApi.WebAPIRateLimitedError).retryAfter).toBe(7);
    expect(results[4]).toBeInstanceOf(webApi.WebAPIRequestError);
    expect(api.messages('C1')).toEqual([]);
    expect(await outcome(c.chat.postMessage({ channel: 'C1', text: 'x' }))).toBe('ok');
  });

  it('keeps threads, DMs, ephemerals and a user directory', async () => {
    const c = await start();
    const parent = await c.chat.postMessage({ channel: 'C1', text: 'card' });
    now += 1000;
    await c.chat.postMessage({ channel: 'C1', text: 'history', thread_ts: parent.ts! });
    expect(api.messages('C1').map((m) => m.text)).toEqual(['card']);
    expect(api.threadReplies('C1', parent.ts!).map((m) => m.text)).toEqual(['history']);
    expect(await outcome(c.chat.postMessage({ channel: 'C2', text: 'x', thread_ts: '1.000001' }))).toBe(
      'thread_not_found',
    );

    const dm = await c.conversations.open({ users: 'U1' });
    expect(dm.channel?.id).toBe(api.dmChannel('U1'));
    expect(await outcome(c.conversations.open({ users: 'U404' }))).toBe('user_not_found');
    await c.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'only you' });
    expect(api.ephemerals('U1').map((e) => e.text)).toEqual(['only you']);

    const info = await c.users.info({ user: 'U1' });
    expect(info.user?.profile).toMatchObject({ real_name: 'Dana Scully', display_name: 'dana' });
    expect(await outcome(c.chat.postMessage({ channel: 'CNOPE', text: 'x' }))).toBe('channel_not_found');
  });

  it('reads history newest first and threads oldest first, with metadata only on request', async () => {
    const c = await start();
    const metadata = { event_type: 'outbox', event_payload: { key: 'k1' } };
    const first = await c.chat.postMessage({ channel: 'C1', text: 'one', metadata });
    now += 1000;
    await c.chat.postMessage({ channel: 'C1', text: 'two' });
    now += 1000;
    await c.chat.postMessage({ channel: 'C1', text: 'reply', thread_ts: first.ts! });

    const plain = await c.conversations.history({ channel: 'C1' });
    expect(plain.messages?.map((m) => [m.text, m.metadata])).toEqual([
      ['two', undefined],
      ['one', undefined],
    ]);
    const withMeta = await c.conversations.history({ channel: 'C1', include_all_metadata: true, oldest: first.ts! });
    expect(withMeta.messages?.map((m) => m.text)).toEqual(['two']);
    const all = await c.conversations.history({ channel: 'C1', include_all_metadata: true });
    expect(all.messages?.[1]?.metadata).toEqual(metadata);
    const thread = await c.conversations.replies({ channel: 'C1', ts: first.ts! });
    expect(thread.messages?.map((m) => m.text)).toEqual(['one', 'reply']);
    expect(await outcome(c.apiCall('chat.postMessage', { channel: 'C2', text: 'x', metadata: { nope: 1 } }))).toBe(
      'invalid_metadata_format',
    );
  });
});
