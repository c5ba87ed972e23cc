import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { pino } from 'pino';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { ManualClock } from '../../src/core/common/clock.ts';
import { createVendor } from '../../src/core/vendors/create-update.ts';
import { type RunningBot, startBot } from '../../src/main.ts';
import { type SlackWebApi, startSlackWebApi } from '../../src/playground/slack-web-api.ts';
import { inTransaction } from '../../src/store/database.ts';

// What an operator relies on to run the bot as a service: Prometheus metrics, a readiness probe that
// does not lean on Slack, and a shutdown that finishes the sends it started, within its bound.

const TOKEN = 'xoxb-ops';
const WEBHOOK_SECRET = `whsec_${Buffer.from('ops-webhook-key').toString('base64')}`;
const VENDOR = 'Northstar Trials Network';

interface World {
  dir: string;
  api: SlackWebApi;
  bot: RunningBot;
  clock: ManualClock;
}

async function startWorld(env: Record<string, string> = {}): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'vendor-risk-ops-'));
  const api = await startSlackWebApi({
    token: TOKEN,
    channels: ['CFINDINGS', 'CVENDOR'],
    users: [{ id: 'UADMIN', name: 'jordan', realName: 'Jordan Blake', displayName: 'jordan' }],
  });
  const clock = new ManualClock(new Date());
  const config = loadConfig({
    PORT: '0',
    DATABASE_URL: join(dir, 'bot.db'),
    LOG_LEVEL: 'silent',
    BOT_ADMINS: 'slack:UADMIN',
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: 'ops-signing-secret',
    SLACK_API_URL: api.url,
    SLACK_FINDINGS_CHANNEL: 'CFINDINGS',
    SIGNALS_WEBHOOK_SECRET: WEBHOOK_SECRET,
    ...env,
  });
  const bot = await startBot(config, { host: '127.0.0.1', clock, log: pino({ level: 'silent' }) });
  await inTransaction(bot.deps.db, (tx) =>
    createVendor(
      tx,
      bot.deps,
      { id: 'slack:UADMIN', name: 'Jordan Blake' },
      // Reviewed today, in a channel of its own: nothing the scheduler posts queues ahead of its cards.
      {
        name: VENDOR,
        dataTypes: ['PHI'],
        criticality: 'high',
        channel: 'slack:CVENDOR',
        lastReviewOn: clock.now().toISOString().slice(0, 10),
      },
    ),
  );
  return { dir, api, bot, clock };
}

async function stopWorld(world: World): Promise<void> {
  await world.bot.stop();
  await world.api.close();
  rmSync(world.dir, { recursive: true, force: true });
}

/** A scanner reports an exposed database: a critical finding and its card in the vendor's channel. */
async function reportExposure(world: World, externalId: string): Promise<void> {
  const body = JSON.stringify({
    source: 'exposure-scanner',
    externalId,
    vendor: VENDOR,
    kind: 'exposed_datastore',
    severity: 'critical',
    summary: 'Elasticsearch on search.northstar.example:9200 answers without authentication',
  });
  const id = `msg_${externalId}`;
  const timestamp = String(Math.floor(world.clock.now().getTime() / 1000));
  const response = await fetch(`${world.bot.url}/signals`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': new Webhook(WEBHOOK_SECRET).sign(id, new Date(Number(timestamp) * 1000), body),
    },
    body,
  });
  expect(response.status).toBeLessThan(300);
}

const card = (api: SlackWebApi) => api.messages('CVENDOR').find((m) => /unauthenticated/i.test(m.text ?? ''));

/** The card's outbox row, read straight from the database file (the bot's store may be closed). */
function cardRow(world: World): { status: string; lease_until: string | null } | undefined {
  const raw = new SqliteDatabase(join(world.dir, 'bot.db'), { readonly: true });
  try {
    return raw
      .prepare("select status, lease_until from outbox where target = 'slack:CVENDOR' order by id desc limit 1")
      .get() as { status: string; lease_until: string | null } | undefined;
  } finally {
    raw.close();
  }
}

/** Waits until the relay has nothing left to send (start-up catch-up included). */
async function settled(world: World): Promise<void> {
  await vi.waitFor(
    () => {
      const raw = new SqliteDatabase(join(world.dir, 'bot.db'), { readonly: true });
      try {
        expect(raw.prepare("select count(*) as n from outbox where status = 'pending'").get()).toEqual({ n: 0 });
      } finally {
        raw.close();
      }
    },
    { timeout: 10_000 },
  );
}

async function metricsText(world: World): Promise<string> {
  const response = await fetch(`${world.bot.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return response.text();
}

/** The value of one sample line, e.g. `vendor_risk_findings_open{severity="critical"}`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

describe('metrics and readiness of a running bot', () => {
  let world: World;

  beforeAll(async () => {
    world = await startWorld();
  });

  afterAll(async () => {
    await stopWorld(world);
  });

  it('serves Prometheus metrics: request latency by route, sends by platform and result, open findings by severity', async () => {
    await fetch(`${world.bot.url}/healthz`);
    await reportExposure(world, 'NS-ES-1');
    await vi.waitFor(() => expect(card(world.api)).toBeDefined(), { timeout: 5_000 });
    await vi.waitFor(() => expect(cardRow(world)?.status).toBe('sent'));

    const text = await metricsText(world);
    expect(
      sample(text, 'vendor_risk_http_request_duration_seconds_count', { route: '/healthz', status: '200' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'vendor_risk_http_request_duration_seconds_count', { route: '/signals' })).toBe(1);
    expect(
      sample(text, 'vendor_risk_delivery_attempts_total', { platform: 'slack', result: 'sent' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'vendor_risk_findings_open', { severity: 'critical' })).toBe(1);
    expect(sample(text, 'vendor_risk_outbox_dead')).toBe(0);
    expect(sample(text, 'vendor_risk_outbox_pending')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'vendor_risk_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('names an unknown path "other" rather than growing a label per path', async () => {
    await fetch(`${world.bot.url}/wp-login.php`);
    const text = await metricsText(world);
    expect(sample(text, 'vendor_risk_http_request_duration_seconds_count', { route: 'other', status: '404' })).toBe(1);
    expect(text).not.toContain('wp-login');
  });

  it('is ready while the database answers and Slack accepts the token, asking Slack at most once a minute', async () => {
    const authTests = () => world.api.calls('auth.test').length;
    const before = authTests();
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${world.bot.url}/readyz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ready', checks: { database: 'ok', slack: 'ok' } });
    }
    expect(authTests()).toBe(before);

    // The token is revoked: the next probe after the cached answer expires sees it, and later probes reuse it.
    world.api.inject('auth.test', { error: 'token_revoked' }, 10);
    world.clock.advance(61_000);
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${world.bot.url}/readyz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'unavailable', checks: { database: 'ok', slack: 'failing' } });
    }
    expect(authTests()).toBe(before + 1);
  });

  it('stays alive on /healthz whatever its dependencies say', async () => {
    const response = await fetch(`${world.bot.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});

describe('graceful shutdown', () => {
  let world: World | null = null;

  afterEach(async () => {
    if (world) await world.api.close();
    if (world) rmSync(world.dir, { recursive: true, force: true });
    world = null;
  });

  it('finishes and records a send that is in flight before closing the store', async () => {
    world = await startWorld({ SHUTDOWN_GRACE_SECONDS: '30' });
    await settled(world);
    // Every post is slow from now on (a late scheduler post may take one of them).
    world.api.inject('chat.postMessage', { delayMs: 400 }, 10);
    await reportExposure(world, 'NS-ES-2');
    // Claimed by the relay and on its way to the (slow) Slack.
    await vi.waitFor(() => expect(cardRow(world!)?.lease_until).not.toBeNull(), { timeout: 5_000 });

    await world.bot.stop();

    expect(card(world.api)).toBeDefined();
    expect(cardRow(world)?.status).toBe('sent');
  });

  it('stops within its grace when Slack does not answer, leaving the message queued for the next start', async () => {
    world = await startWorld({ SHUTDOWN_GRACE_SECONDS: '0.2' });
    await settled(world);
    world.api.inject('chat.postMessage', { delayMs: 60_000 }, 10);
    await reportExposure(world, 'NS-ES-3');
    await vi.waitFor(() => expect(cardRow(world!)?.lease_until).not.toBeNull(), { timeout: 5_000 });

    await world.bot.stop();

    expect(cardRow(world)?.status).toBe('pending');
    expect(card(world.api)).toBeUndefined();
  });
});
