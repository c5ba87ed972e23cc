import { createHmac, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { recordEvidence } from '../../src/core/evidence/record.ts';
import { type RunningBot, startBot } from '../../src/main.ts';
import { type SlackWebApi, startSlackWebApi } from '../../src/playground/slack-web-api.ts';
import { inTransaction } from '../../src/store/database.ts';
import { createTeamStore, dana, insertVendor } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

// The whole bot against the Slack stand-in: the scheduler's startup sweep catches up what fell due
// while the bot was down (one late reminder, not one per missed week), the relay delivers it, a signed
// critical signal turns into a finding card in the channel, and a restart repeats nothing.

const KEY = randomBytes(32);
const NOW = '2026-06-01T09:30:00.000Z'; // a Monday, half an hour after the digest hour (UTC)

async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('the bot runs its schedule', () => {
  let slack: SlackWebApi;
  let store: TestStore;
  /** The documents policy requires of a critical PHI vendor, so what the sweeps send is about reviews. */
  async function holdsRequiredDocuments(vendorId: number): Promise<void> {
    await inTransaction(store.deps.db, async (tx) => {
      for (const type of ['hipaa_baa', 'soc2_type2'] as const)
        await recordEvidence(tx, store.deps, dana, { vendorId, type, expiresOn: '2030-12-31' });
      await recordEvidence(tx, store.deps, dana, {
        vendorId,
        type: 'pentest',
        issuedOn: '2026-03-01',
        expiresOn: '2027-03-01',
      });
    });
  }
  let bot: RunningBot | null = null;

  const start = async () => {
    const config = loadConfig({
      DATABASE_URL: store.path,
      PORT: '0',
      LOG_LEVEL: 'silent',
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: 'stand-in-signing-secret',
      SLACK_API_URL: slack.url,
      SLACK_FINDINGS_CHANNEL: 'CFINDINGS',
      SLACK_APPROVALS_CHANNEL: 'CAPPROVALS',
      SIGNALS_WEBHOOK_SECRET: `whsec_${KEY.toString('base64')}`,
    });
    bot = await startBot(config, { clock: store.clock, host: '127.0.0.1' });
    return bot;
  };

  beforeEach(async () => {
    slack = await startSlackWebApi({
      channels: ['CFINDINGS', 'CAPPROVALS'],
      users: [{ id: 'UOLIVE', name: 'olive', realName: 'Olive Owner', displayName: 'Olive' }],
    });
    store = await createTeamStore(NOW);
    // Due on 20 May: the 27 May weekly reminder was missed while the bot was down.
    const acme = await insertVendor(store, { name: 'Acme Health Cloud', nextReviewOn: '2026-05-20' });
    await holdsRequiredDocuments(acme);
    // The bot last swept on the due day and was down since.
    await store.db
      .insertInto('scheduler_heartbeats')
      .values({ name: 'sweep', swept_at: '2026-05-20T09:30:00.000Z' })
      .execute();
  });

  afterEach(async () => {
    await bot?.stop();
    bot = null;
    await slack.close();
    await store.cleanup();
  });

  const dms = () => {
    const channel = slack.dmChannel('UOLIVE');
    return channel ? slack.messages(channel) : [];
  };

  it('catches up once at startup, posts a critical signal at once, and repeats nothing after a restart', async () => {
    const running = await start();
    const [reminder] = await waitFor('the catch-up reminder', () => dms().length > 0 && dms());
    expect(reminder?.text).toContain('Reassessment of Acme Health Cloud overdue by 12 days (2026-05-20).');
    expect(reminder?.text).toContain('This reminder is late');
    await waitFor('the weekly digest', () =>
      slack.messages('CFINDINGS').find((m) => m.text.startsWith('Vendor risk digest, week of 2026-06-01')),
    );

    const body = JSON.stringify({
      source: 'scanner',
      externalId: 'es-9200',
      vendor: 'Acme Health Cloud',
      kind: 'exposed_datastore',
      severity: 'critical',
      summary: 'Elasticsearch on es.acme.example:9200 answers without authentication',
    });
    const id = 'msg_e2e_1';
    const ts = String(Math.floor(Date.now() / 1000)); // senders sign with the time of day
    const signature = createHmac('sha256', KEY).update(`${id}.${ts}.${body}`).digest('base64');
    const response = await fetch(`${running.url}/signals`, {
      method: 'POST',
      headers: { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': `v1,${signature}` },
      body,
    });
    expect(response.status).toBe(200);
    const { findingId } = (await response.json()) as { findingId: number };
    await waitFor('the finding card', () => slack.messages('CFINDINGS').find((m) => m.text.includes(`#${findingId}`)));

    await bot?.stop();
    bot = null;
    // While it was down, another vendor came due today; the restart owes that reminder and nothing else.
    await holdsRequiredDocuments(await insertVendor(store, { name: 'Beta Payroll', nextReviewOn: '2026-06-01' }));
    store.clock.set('2026-06-01T11:00:00.000Z');
    await start();
    await waitFor('the reminder due today', () => dms().length > 1);
    await waitFor('the outbox to drain', async () => {
      const waiting = await store.db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute();
      return waiting.length === 0;
    });
    const texts = dms().map((m) => m.text.split('\n')[0]);
    expect(texts).toEqual([
      'Reassessment of Acme Health Cloud overdue by 12 days (2026-05-20).',
      'Reassessment of Beta Payroll due today (2026-06-01).',
    ]);
    expect(slack.messages('CFINDINGS').filter((m) => m.text.startsWith('Vendor risk digest'))).toHaveLength(1);
  });
});
