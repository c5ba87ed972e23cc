import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/core/audit/log.ts';
import { createVendor } from '../../src/core/vendors/create-update.ts';
import { type SlackWebApi, startSlackWebApi } from '../../src/playground/slack-web-api.ts';
import { inTransaction } from '../../src/store/database.ts';
import { blockActions, deliver, interaction } from '../support/slack-requests.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

// Three bot processes behind one URL share one PostgreSQL and one Redis, as a scaled-out deployment
// does. Signals and clicks arrive at all of them; one is killed with SIGKILL while messages drain.
// The Slack stand-in enforces Slack's real 1 message per second per channel with 429 + Retry-After.
// Afterwards: every message arrived once, in order per channel, nothing was rate limited, each
// reminder went out once, the conflicting clicks made one transition, and the audit chain verifies.

const CHILD = fileURLToPath(new URL('../support/replica-child.ts', import.meta.url));
const SIGNING_SECRET = 'replica-signing-secret';
const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const VENDORS = ['Atlas Clinical', 'Borealis Labs', 'Cobalt Trials'];
const CHANNELS = ['CATLAS', 'CBOREALIS', 'CCOBALT'];
const SIGNALS_PER_VENDOR = 3;
const OWNER = 'UOWNER';
/** This run's own limiter keys: another run sharing the Redis (or a killed replica's leftovers) stays apart. */
const REDIS_KEY_PREFIX = `replica-test-${randomBytes(4).toString('hex')}`;

interface Replica {
  proc: ChildProcess;
  url: string;
  stderr: () => string;
}

let store: TestStore;
let slack: SlackWebApi;
const replicas: Replica[] = [];

function startReplica(): Promise<Replica> {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: {
      ...process.env,
      PORT: '0',
      DATABASE_URL: store.path,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX,
      LOG_LEVEL: 'error',
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      SLACK_FINDINGS_CHANNEL: 'CFINDINGS',
      SLACK_APPROVALS_CHANNEL: 'CAPPROVALS',
      SIGNALS_WEBHOOK_SECRET: WEBHOOK_SECRET,
      OUTBOX_LEASE_SECONDS: '3',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  proc.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    proc.stdout?.on('data', (chunk: Buffer) => {
      const ready = /ready (\S+)/.exec(chunk.toString());
      if (ready?.[1]) resolve({ proc, url: ready[1], stderr: () => errors });
    });
    proc.on('exit', (code) => reject(new Error(`replica exited (${code}) before it was ready: ${errors}`)));
  });
}

function killed(proc: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.on('exit', () => resolve());
    proc.kill(signal);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function sendSignal(url: string, vendor: string, n: number): Promise<number> {
  const body = JSON.stringify({
    source: 'replica-test',
    externalId: `${vendor}-${n}`,
    vendor,
    kind: 'exposed_datastore',
    severity: 'critical',
    summary: `Datastore ${n} at ${vendor} answers without authentication`,
  });
  const id = `msg_${randomBytes(6).toString('hex')}`;
  const at = new Date();
  const signature = new Webhook(WEBHOOK_SECRET).sign(id, at, body);
  const response = await fetch(`${url}/signals`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body,
  });
  return response.status;
}

/** The rows still to send, for a failure message. */
async function pendingRows(): Promise<string> {
  const rows = await store.db
    .selectFrom('outbox')
    .select(['id', 'target', 'status', 'attempts', 'available_at', 'lease_until', 'last_error'])
    .where('status', '!=', 'sent')
    .orderBy('id')
    .execute();
  return JSON.stringify(rows, null, 1);
}

async function undelivered(): Promise<number> {
  const row = await store.db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '!=', 'sent')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The outbox key each accepted post carries (the notifier stamps it in message metadata). */
function postedKeys(): { channel: string; key: string }[] {
  return slack
    .calls('chat.postMessage')
    .filter((c) => c.status === 200 && !c.error)
    .map((c) => {
      const args = c.args as { channel?: string; metadata?: { event_payload?: { key?: string } } };
      return { channel: String(args.channel), key: String(args.metadata?.event_payload?.key) };
    });
}

beforeAll(async () => {
  store = await createTestStore(new Date().toISOString(), { on: 'postgres' });
  slack = await startSlackWebApi({
    channels: ['CFINDINGS', 'CAPPROVALS', ...CHANNELS],
    users: [{ id: OWNER, name: 'olive', realName: 'Olive Owner', displayName: 'olive' }],
  });
  await inTransaction(store.db, async (tx) => {
    for (const [i, name] of VENDORS.entries()) {
      await createVendor(
        tx,
        store.deps,
        { id: 'slack:UADMIN', name: 'Jordan Blake' },
        {
          name,
          criticality: 'high',
          dataTypes: ['PII'],
          ownerId: `slack:${OWNER}`,
          channel: `slack:${CHANNELS[i]}`,
        },
      );
    }
  });
  replicas.push(...(await Promise.all([startReplica(), startReplica(), startReplica()])));
}, 150_000);

afterAll(async () => {
  await Promise.all(replicas.map((r) => killed(r.proc, 'SIGKILL')));
  await slack?.close();
  await store?.cleanup();
});

describe('three replicas on one PostgreSQL and one Redis', () => {
  it('deliver every message once, in order, within the rate, through a SIGKILL mid-drain', async () => {
    const statuses = await Promise.all(
      VENDORS.flatMap((vendor, v) =>
        Array.from({ length: SIGNALS_PER_VENDOR }, (_, n) =>
          sendSignal(replicas[(v * SIGNALS_PER_VENDOR + n) % replicas.length]!.url, vendor, n),
        ),
      ),
    );
    expect(statuses.filter((s) => s >= 300)).toEqual([]);

    // Two replicas click Acknowledge on the same card at the same moment.
    const cardFor = () =>
      slack.messages(CHANNELS[0]!).find((m) => JSON.stringify(m.blocks ?? []).includes('Acknowledge'));
    for (let waited = 0; !cardFor(); waited += 100) {
      if (waited > 30_000) throw new Error('no finding card reached the vendor channel');
      await sleep(100);
    }
    const card = cardFor()!;
    const acknowledge = findButton(card.blocks, 'Acknowledge');
    const click = interaction(
      blockActions({
        userId: OWNER,
        userName: 'olive',
        channelId: CHANNELS[0],
        actionId: acknowledge.actionId,
        value: acknowledge.value,
        messageTs: card.ts,
      }),
      { secret: SIGNING_SECRET },
    );
    const answers = await Promise.all(replicas.map((r) => deliver(`${r.url}/slack/events`, click)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);

    // Kill one replica while messages are still draining.
    const victim = replicas[0]!;
    for (let waited = 0; postedKeys().length < 3; waited += 100) {
      if (waited > 30_000) throw new Error('nothing was posted');
      await sleep(100);
    }
    const pendingAtKill = await undelivered();
    await killed(victim.proc, 'SIGKILL');

    for (let waited = 0; (await undelivered()) > 0; waited += 250) {
      if (waited > 240_000) {
        throw new Error(
          `the outbox did not drain: ${await pendingRows()}\n${replicas.map((r) => r.stderr()).join('\n')}`,
        );
      }
      await sleep(250);
    }

    const rows = await store.db
      .selectFrom('outbox')
      .select(['id', 'idempotency_key as key', 'target'])
      .orderBy('id')
      .execute();
    const posts = postedKeys();
    const keys = posts.map((p) => p.key);
    const duplicates = keys.length - new Set(keys).size;
    const rateLimited = slack.calls().filter((c) => c.status === 429).length;
    const transitions = await store.db
      .selectFrom('audit_log')
      .select('seq')
      .where('action', '=', 'finding.acknowledge')
      .execute();
    const reminders = rows.filter((r) => r.target === `slack:${OWNER}`);
    console.log(
      `replica test: ${rows.length} messages from 3 replicas, one killed with ${pendingAtKill} undelivered; ` +
        `${duplicates} duplicates, ${rateLimited} × 429, ${transitions.length} acknowledgement from 3 clicks`,
    );

    // Every posted row arrived exactly once (edits are chat.update and are not counted here).
    const postedRows = rows.filter((r) => keys.includes(r.key));
    expect(duplicates).toBe(0);
    expect(rateLimited).toBe(0);
    // Per channel, posts arrived in the order they were enqueued.
    for (const channel of ['CFINDINGS', ...CHANNELS]) {
      const sent = posts.filter((p) => p.channel === channel).map((p) => p.key);
      const enqueued = postedRows.filter((r) => r.target === `slack:${channel}`).map((r) => r.key);
      expect(sent).toEqual(enqueued);
    }
    // The first sweep's review reminder reached the owner once per vendor, from whichever replica led.
    expect(reminders).toHaveLength(VENDORS.length);
    expect(transitions).toHaveLength(1);
    expect((await verifyAuditChain(store.db)).ok).toBe(true);
  }, 360_000);
});

function findButton(blocks: unknown, label: string): { actionId: string; value: string } {
  const found: { actionId: string; value: string }[] = [];
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const el = node as { type?: string; text?: { text?: string }; action_id?: string; value?: string };
    if (el.type === 'button' && el.text?.text === label && el.action_id) {
      found.push({ actionId: el.action_id, value: el.value ?? '' });
    }
    for (const child of Object.values(node)) walk(child);
  };
  walk(blocks);
  if (!found[0]) throw new Error(`no ${label} button on the card`);
  return found[0];
}
