import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inChannel } from '../src/chat/reply.ts';
import { systemClock } from '../src/core/common/clock.ts';
import { enqueue } from '../src/core/messaging/outbox.ts';
import { createSlackPacer } from '../src/delivery/pacing.ts';
import { Relay } from '../src/delivery/relay.ts';
import { startSlackWebApi } from '../src/playground/slack-web-api.ts';
import { createSlackNotifier } from '../src/slack/notifier.ts';
import { inTransaction, openStore } from '../src/store/database.ts';
import { migrateToLatest } from '../src/store/migrate.ts';

// How close the relay gets to the ceiling Slack's per-channel limit allows, without a single 429 and
// without losing a message. Slack allows 1 post per second per channel; the stand-in and the pacer are
// both set to 10 per second here so the run takes 10 seconds, not 100. The ratio is what matters: the
// same code paces at 1/s in production. Each channel's next post waits for the previous one to be
// recorded (that keeps order through failures), so a raised rate also tests that this record-then-next
// step fits comfortably inside one interval; at Slack's real interval it has 100 times the room.

const CHANNELS = 20;
const MESSAGES = 2_000;
const PER_SECOND = 10;
const GIVE_UP_MS = 120_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function benchDelivery(): Promise<{
  title: string;
  rows: Record<string, string | number>[];
  notes: string[];
}> {
  const dir = mkdtempSync(join(tmpdir(), 'vendor-risk-bench-'));
  const store = await openStore(join(dir, 'bench.db'));
  await migrateToLatest(store.db);
  const channels = Array.from({ length: CHANNELS }, (_, i) => `CBENCH${String(i).padStart(2, '0')}`);
  const slack = await startSlackWebApi({ channels, postsPerSecondPerChannel: PER_SECOND });
  const pacer = createSlackPacer({ postsPerSecondPerChannel: PER_SECOND });
  const relay = new Relay({
    db: store.db,
    clock: systemClock,
    senders: { slack: createSlackNotifier({ token: slack.token, slackApiUrl: slack.url, pacer }) },
    render: async (row) => inChannel((JSON.parse(row.data) as { text: string }).text),
    concurrency: CHANNELS * 2,
  });
  try {
    await inTransaction(store.db, async (tx) => {
      for (let i = 0; i < MESSAGES; i += 1) {
        const target = `slack:${channels[i % CHANNELS]}`;
        await enqueue(tx, systemClock, { key: `bench:${i}`, target, template: 'text', data: { text: `message ${i}` } });
      }
    });

    const started = performance.now();
    relay.start();
    const delivered = () => channels.reduce((n, c) => n + slack.messages(c).length, 0);
    while (delivered() < MESSAGES && performance.now() - started < GIVE_UP_MS) await sleep(5);
    const elapsedMs = performance.now() - started;
    await relay.stop();

    const sent = new Set(channels.flatMap((c) => slack.messages(c).map((m) => m.text)));
    const notSent = await store.db.selectFrom('outbox').select('id').where('status', '!=', 'sent').execute();
    const lost = Math.max(MESSAGES - sent.size, notSent.length);
    const perChannel = MESSAGES / CHANNELS;
    // The fastest drain the limit allows: each channel's first post at once, then one per interval.
    const ceilingMs = ((perChannel - 1) * 1000) / PER_SECOND;
    const rateLimited = slack.calls('chat.postMessage').filter((c) => c.status === 429).length;
    return {
      title: 'Delivery: outbox relay against a per-channel rate limit',
      rows: [
        { measure: 'throughput / ceiling', value: (ceilingMs / elapsedMs).toFixed(3), target: '>= 0.9' },
        {
          measure: 'messages per second',
          value: Math.round(MESSAGES / (elapsedMs / 1000)),
          target: `ceiling ${CHANNELS * PER_SECOND}`,
        },
        { measure: 'drain time (ms)', value: Math.round(elapsedMs), target: `floor ${Math.round(ceilingMs)}` },
        { measure: '429s received', value: rateLimited, target: '0' },
        { measure: 'messages lost', value: lost, target: '0' },
        {
          measure: 'duplicates',
          value: channels.reduce((n, c) => n + slack.messages(c).length, 0) - sent.size,
          target: '0',
        },
      ],
      notes: [
        `${MESSAGES} messages across ${CHANNELS} channels through the Slack Web API stand-in and the real WebClient.`,
        `The stand-in enforces ${PER_SECOND} posts per second per channel (Slack's limit is 1; raised so the run takes seconds) and the pacer is set to the same rate.`,
        'Every post waits for the previous post to its channel to be recorded, so order holds through failures.',
        'Ceiling: the drain time the limit allows, (messages per channel - 1) intervals.',
      ],
    };
  } finally {
    await relay.stop();
    await pacer.stop();
    await slack.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
