import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createVendor } from '../../src/core/vendors/create-update.ts';
import { type RunningBot, startBot } from '../../src/main.ts';
import { type SlackWebApi, startSlackWebApi } from '../../src/playground/slack-web-api.ts';
import { inTransaction } from '../../src/store/database.ts';
import { deliver, slashCommand, startResponseUrlCatcher } from '../support/slack-requests.ts';

// The whole bot as `npm start` builds it (config -> store -> adapters -> relay -> scheduler -> HTTP),
// with only Slack's Web API stood in. A scanner's signed webhook becomes a finding card in the channel.

const SIGNING_SECRET = 'e2e-signing-secret';
const WEBHOOK_SECRET = `whsec_${Buffer.from('e2e-webhook-key').toString('base64')}`;

describe('the bot, composed by main', () => {
  let dir: string;
  let api: SlackWebApi;
  let bot: RunningBot;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vendor-risk-main-'));
    api = await startSlackWebApi({
      token: 'xoxb-e2e',
      channels: ['CFINDINGS', 'CAPPROVALS'],
      users: [{ id: 'UADMIN', name: 'jordan', realName: 'Jordan Blake', displayName: 'jordan' }],
    });
    const config = loadConfig({
      PORT: '0',
      DATABASE_URL: join(dir, 'bot.db'),
      LOG_LEVEL: 'silent',
      BOT_ADMINS: 'slack:UADMIN',
      SLACK_BOT_TOKEN: 'xoxb-e2e',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: api.url,
      SLACK_FINDINGS_CHANNEL: 'CFINDINGS',
      SLACK_APPROVALS_CHANNEL: 'CAPPROVALS',
      SIGNALS_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    bot = await startBot(config, { host: '127.0.0.1', log: pino({ level: 'silent' }) });
    await inTransaction(bot.deps.db, (tx) =>
      createVendor(
        tx,
        bot.deps,
        { id: 'slack:UADMIN', name: 'Jordan Blake' },
        {
          name: 'Northstar Trials Network',
          dataTypes: ['PHI'],
          criticality: 'high',
        },
      ),
    );
  });

  afterAll(async () => {
    await bot.stop();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers health checks', async () => {
    expect(await (await fetch(`${bot.url}/healthz`)).json()).toEqual({ status: 'ok' });
  });

  it('turns a signed critical signal into a finding card in the findings channel within seconds', async () => {
    const body = JSON.stringify({
      source: 'exposure-scanner',
      externalId: 'NS-ES-1',
      vendor: 'Northstar Trials Network',
      kind: 'exposed_datastore',
      severity: 'critical',
      summary: 'Elasticsearch on search.northstar.example:9200 answers without authentication',
    });
    const id = 'msg_e2e_1';
    const timestamp = String(Math.floor(Date.now() / 1000));
    const response = await fetch(`${bot.url}/signals`, {
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
    // The channel may also hold the weekly digest the scheduler caught up on at start-up.
    const card = () => api.messages('CFINDINGS').find((m) => /unauthenticated/i.test(m.text ?? ''));
    await vi.waitFor(() => expect(card()).toBeDefined(), { timeout: 5_000 });
    expect(card()?.text).toMatch(/Northstar Trials Network/);
    expect(JSON.stringify(card()?.blocks)).toMatch(/Acknowledge/);
  });

  it('serves /vendor through the same server, with BOT_ADMINS bootstrapped as admin', async () => {
    const responses = await startResponseUrlCatcher();
    try {
      const request = slashCommand(
        { text: 'role', userId: 'UADMIN', channelId: 'CFINDINGS', responseUrl: responses.url() },
        { secret: SIGNING_SECRET },
      );
      expect((await deliver(`${bot.url}/slack/events`, request)).status).toBe(200);
      await vi.waitFor(() => expect(responses.posts).toHaveLength(1));
      expect(JSON.stringify(responses.posts[0]?.body)).toMatch(/admin/);
    } finally {
      await responses.close();
    }
  });
});
