import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inChannel, type Reply } from '../../src/chat/reply.ts';
import { SYSTEM_ACTOR } from '../../src/core/common/actor.ts';
import { enqueue, type Notification } from '../../src/core/messaging/outbox.ts';
import { grantRole } from '../../src/core/roles/permissions.ts';
import { claimDue } from '../../src/delivery/outbox-rows.ts';
import { createSlackPacer, type Pacer } from '../../src/delivery/pacing.ts';
import { Relay } from '../../src/delivery/relay.ts';
import type { Sender } from '../../src/delivery/sender.ts';
import { type SlackWebApi, startSlackWebApi } from '../../src/playground/slack-web-api.ts';
import { createSlackNotifier } from '../../src/slack/notifier.ts';
import { inTransaction } from '../../src/store/database.ts';
import type { OutboxRow } from '../../src/store/tables.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

// The relay end to end: real SQLite, the real notifier and WebClient, and a Slack stand-in that
// enforces Slack's rules and injects failures. Time in the store is a manual clock, so backoff and
// leases are crossed by moving it; pacing runs on real time at a raised rate so the tests are quick.

const RATE = 20;
let store: TestStore;
let slack: SlackWebApi;
let pacer: Pacer;
let relay: Relay;
let sender: Sender;

async function render(row: OutboxRow): Promise<Reply | null> {
  const data = JSON.parse(row.data) as Record<string, unknown>;
  if (row.template === 'dead-letter') return inChannel(`Undeliverable message ${data.outboxId} to ${data.target}`);
  return inChannel(String(data.text), [{ type: 'header', text: String(data.text) }]);
}

beforeEach(async () => {
  store = await createTestStore();
  slack = await startSlackWebApi({
    channels: ['C1', 'C2', 'C3'],
    users: [
      { id: 'U1', name: 'dana', realName: 'Dana Scully', displayName: 'dana' },
      { id: 'UADMIN', name: 'ops', realName: 'Olu Adebayo', displayName: 'olu' },
    ],
    postsPerSecondPerChannel: RATE,
  });
  pacer = createSlackPacer({ postsPerSecondPerChannel: RATE });
  sender = createSlackNotifier({ token: slack.token, slackApiUrl: slack.url, pacer });
  relay = new Relay({ db: store.db, clock: store.clock, senders: { slack: sender }, render, random: () => 0.5 });
});

afterEach(async () => {
  await relay.stop();
  await pacer.stop();
  await slack.close();
  await store.cleanup();
});

function send(key: string, target: string, text: string, extra: Partial<Notification> = {}): Promise<boolean> {
  return inTransaction(store.db, (tx) =>
    enqueue(tx, store.clock, { key, target, template: 'text', data: { text }, ...extra } as Notification),
  );
}

/** Drains, moving the clock past every backoff, until nothing is pending (or gives up). */
async function drainAll(): Promise<void> {
  for (let round = 0; round < 30; round += 1) {
    await relay.drainOnce();
    const pending = await store.db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute();
    if (pending.length === 0) return;
    store.clock.advance(5 * 60_000);
  }
  throw new Error('outbox did not drain');
}

const outbox = () => store.db.selectFrom('outbox').selectAll().orderBy('id').execute();
const texts = (channel: string) => slack.messages(channel).map((m) => m.text);

describe('delivery through failures', () => {
  it('delivers every message exactly once, in order per channel, through 429s, 500s and dropped connections', async () => {
    const expected: Record<string, string[]> = { C1: [], C2: [], C3: [] };
    for (let i = 0; i < 30; i += 1) {
      const channel = `C${(i % 3) + 1}`;
      expected[channel]!.push(`message ${i}`);
      await send(`m${i}`, `slack:${channel}`, `message ${i}`);
    }
    slack.inject('chat.postMessage', { status: 500 }, 2, 3);
    slack.inject('chat.postMessage', { rateLimited: 2 }, 2, 4);
    slack.inject('chat.postMessage', { drop: true }, 1, 3);
    slack.inject('chat.postMessage', { error: 'internal_error' }, 1, 2);

    await drainAll();

    expect({ C1: texts('C1'), C2: texts('C2'), C3: texts('C3') }).toEqual(expected);
    const statuses = slack.calls('chat.postMessage').map((c) => c.status);
    expect(statuses.filter((s) => s === 500)).toHaveLength(2);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    const rows = await outbox();
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    // A 429 is not a failed attempt; a 500, a dropped connection and internal_error are.
    expect(rows.reduce((sum, r) => sum + r.attempts, 0)).toBe(4);
  });

  it('sends nothing twice when the same idempotency key is enqueued twice', async () => {
    expect(await send('same', 'slack:C1', 'once')).toBe(true);
    expect(await send('same', 'slack:C1', 'once again')).toBe(false);
    await drainAll();
    expect(texts('C1')).toEqual(['once']);
  });
});

describe('one message per subject', () => {
  it('edits the original message in place with chat.update', async () => {
    await send('f1-open', 'slack:C1', 'Finding 1: open', { subject: 'finding:1' });
    await drainAll();
    const [original] = slack.messages('C1');
    await send('f1-ack', 'slack:C1', 'Finding 1: acknowledged', { subject: 'finding:1' });
    await drainAll();

    expect(slack.messages('C1')).toHaveLength(1);
    expect(slack.messages('C1')[0]).toMatchObject({ ts: original?.ts, text: 'Finding 1: acknowledged' });
    expect(slack.messages('C1')[0]?.edits.map((e) => e.text)).toEqual(['Finding 1: open']);
    expect(slack.calls('chat.update').map((c) => c.args.ts)).toEqual([original?.ts]);
  });

  it('posts the message again when someone deleted it, and edits the new one from then on', async () => {
    await send('f1-open', 'slack:C1', 'v1', { subject: 'finding:1' });
    await drainAll();
    const client = new webApi.WebClient(slack.token, { slackApiUrl: slack.url });
    await client.chat.delete({ channel: 'C1', ts: slack.messages('C1')[0]!.ts });
    await send('f1-v2', 'slack:C1', 'v2', { subject: 'finding:1' });
    await drainAll();
    await send('f1-v3', 'slack:C1', 'v3', { subject: 'finding:1' });
    await drainAll();
    expect(texts('C1')).toEqual(['v3']);
    expect(slack.messages('C1')[0]?.edits.map((e) => e.text)).toEqual(['v2']);
  });

  it('threads history under the subject message, in channels and in DMs', async () => {
    await send('card', 'slack:C1', 'Finding 2', { subject: 'finding:2' });
    await send('hist', 'slack:C1', 'Dana acknowledged', { threadOf: 'finding:2' });
    await send('dm-card', 'slack:U1', 'Assigned to you', { subject: 'finding:3' });
    await send('dm-hist', 'slack:U1', 'Due in 7 days', { threadOf: 'finding:3' });
    await send('dm-edit', 'slack:U1', 'Assigned to you (resolved)', { subject: 'finding:3' });
    await drainAll();

    const card = slack.messages('C1')[0]!;
    expect(slack.threadReplies('C1', card.ts).map((m) => m.text)).toEqual(['Dana acknowledged']);
    const dm = slack.dmChannel('U1')!;
    const dmCard = slack.messages(dm)[0]!;
    expect(slack.messages(dm).map((m) => m.text)).toEqual(['Assigned to you (resolved)']);
    expect(slack.threadReplies(dm, dmCard.ts).map((m) => m.text)).toEqual(['Due in 7 days']);
    expect(slack.calls('conversations.open')).toHaveLength(1);
  });
});

describe('dead letters', () => {
  beforeEach(async () => {
    await inTransaction(store.db, async (tx) => {
      await grantRole(tx, store.clock, SYSTEM_ACTOR, 'slack:UADMIN', 'admin');
      await grantRole(tx, store.clock, SYSTEM_ACTOR, 'cli:operator', 'admin');
    });
  });

  it('gives up on the 8th failed attempt and tells every admin it can reach', async () => {
    await send('doomed', 'slack:C1', 'never arrives');
    slack.inject('chat.postMessage', { status: 503 }, 8);
    await drainAll();

    const [doomed, ...notices] = await outbox();
    expect(doomed).toMatchObject({ status: 'dead', attempts: 8 });
    expect(doomed?.last_error).toContain('503');
    expect(texts('C1')).toEqual([]);
    expect(notices.map((n) => [n.target, n.template, n.status])).toEqual([['slack:UADMIN', 'dead-letter', 'sent']]);
    expect(texts(slack.dmChannel('UADMIN')!)).toEqual([`Undeliverable message ${doomed?.id} to slack:C1`]);
    const audit = await store.db.selectFrom('audit_log').selectAll().where('action', '=', 'outbox.dead').execute();
    expect(audit.map((a) => a.entity_id)).toEqual([String(doomed?.id)]);
  });

  it('gives up at once on a permanent refusal, and never reports a dead letter about a dead letter', async () => {
    await inTransaction(store.db, (tx) => grantRole(tx, store.clock, SYSTEM_ACTOR, 'slack:UGONE', 'admin'));
    await send('lost', 'slack:CNOPE', 'to a channel that does not exist');
    await drainAll();

    const rows = await outbox();
    expect(rows.map((r) => [r.target, r.template, r.status, r.attempts])).toEqual([
      ['slack:CNOPE', 'text', 'dead', 1],
      ['slack:UADMIN', 'dead-letter', 'sent', 0],
      ['slack:UGONE', 'dead-letter', 'dead', 1],
    ]);
    expect(rows[0]?.last_error).toContain('channel_not_found');
    expect(rows[2]?.last_error).toContain('user_not_found');
  });
});

describe('after a crash between posting and recording', () => {
  /** A relay that claimed the row, posted it, and died before recording it. */
  async function postAndDie(threadParent: { conversation: string; id: string } | null = null): Promise<void> {
    const [row] = await claimDue(store.db, store.clock, { limit: 1, leaseMs: 60_000, platforms: ['slack'] });
    const reply = await render(row!);
    await sender.post({ key: row!.idempotency_key, target: row!.target, reply: reply!, threadParent });
    store.clock.advance(60_001);
  }

  it('finds the post the dead relay made instead of posting it again, and edits that one later', async () => {
    await send('card', 'slack:C1', 'Finding 9: open', { subject: 'finding:9' });
    await postAndDie();
    const summary = await relay.drainOnce();
    expect(summary.sent).toBe(1);
    expect(texts('C1')).toEqual(['Finding 9: open']);

    await send('card-v2', 'slack:C1', 'Finding 9: resolved', { subject: 'finding:9' });
    await drainAll();
    expect(texts('C1')).toEqual(['Finding 9: resolved']);
  });

  it('finds an interrupted thread reply and an interrupted DM', async () => {
    await send('card', 'slack:C1', 'Finding 9', { subject: 'finding:9' });
    await drainAll();
    const card = slack.messages('C1')[0]!;
    await send('note', 'slack:C1', 'Dana acknowledged', { threadOf: 'finding:9' });
    await postAndDie({ conversation: 'C1', id: card.ts });
    await drainAll();
    await send('dm', 'slack:U1', 'Assigned to you');
    await postAndDie();
    await send('dm-2', 'slack:U1', 'Due tomorrow');
    await drainAll();

    expect(slack.threadReplies('C1', card.ts).map((m) => m.text)).toEqual(['Dana acknowledged']);
    expect(texts(slack.dmChannel('U1')!)).toEqual(['Assigned to you', 'Due tomorrow']);
  });

  it('posts again, once, when it cannot read the channel to check', async () => {
    await send('card', 'slack:C1', 'Finding 9', { subject: 'finding:9' });
    await postAndDie();
    slack.inject('conversations.history', { error: 'missing_scope' });
    await relay.drainOnce();
    expect(texts('C1')).toEqual(['Finding 9', 'Finding 9']);
  });
});

describe('leases', () => {
  it('leaves a row leased by a crashed relay alone until the lease expires, then sends it', async () => {
    await send('orphan', 'slack:C1', 'claimed by a relay that died');
    const claimed = await claimDue(store.db, store.clock, { limit: 10, leaseMs: 60_000, platforms: ['slack'] });
    expect(claimed).toHaveLength(1);

    expect((await relay.drainOnce()).sent).toBe(0);
    expect(texts('C1')).toEqual([]);
    store.clock.advance(60_001);
    expect((await relay.drainOnce()).sent).toBe(1);
    expect(texts('C1')).toEqual(['claimed by a relay that died']);
  });

  it('renews the lease of a row it is still sending, so another relay does not send it too', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let calls = 0;
    // A send that waits as long as the test likes: a long pacing wait, or a slow platform.
    const slow: Sender = {
      ...sender,
      post: async (request) => {
        calls += 1;
        await gate;
        return sender.post(request);
      },
    };
    const busy = new Relay({ db: store.db, clock: store.clock, senders: { slack: slow }, render, leaseMs: 300 });
    await send('slow', 'slack:C1', 'sent once however long it takes');
    busy.start();
    try {
      const leaseOf = async () =>
        (await store.db.selectFrom('outbox').select('lease_until').executeTakeFirstOrThrow()).lease_until;
      for (let waited = 0; calls === 0; waited += 20) {
        if (waited > 10_000) throw new Error('the relay never sent');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const first = await leaseOf();
      store.clock.advance(200);
      for (let waited = 0; (await leaseOf()) === first; waited += 20) {
        if (waited > 10_000) throw new Error('the lease was never renewed');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // Past the first lease, within the renewed one: another relay leaves the row alone.
      store.clock.advance(250);
      expect((await relay.drainOnce()).sent).toBe(0);
      release();
    } finally {
      release();
      await busy.stop();
    }
    expect(texts('C1')).toEqual(['sent once however long it takes']);
    expect((await outbox()).map((r) => r.status)).toEqual(['sent']);
  });
});
