import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { inChannel, type Reply } from '../../src/chat/reply.ts';
import { enqueue } from '../../src/core/messaging/outbox.ts';
import { PermanentSendError, RateLimitedError, TransientSendError } from '../../src/delivery/errors.ts';
import { claimDue, recordRetry } from '../../src/delivery/outbox-rows.ts';
import { Relay, type RelayOptions } from '../../src/delivery/relay.ts';
import type { PostRequest, Sender } from '../../src/delivery/sender.ts';
import { inTransaction } from '../../src/store/database.ts';
import type { OutboxRow } from '../../src/store/tables.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

// The relay's rules against a real SQLite file and a scripted sender: what counts as an attempt, when
// a row may be claimed, what a stale relay may not undo, and how start/nudge/stop behave.

/** One scripted post: throw to fail it; call `accept()` first to fail it after the platform took it. */
type Script = (request: PostRequest, accept: () => void) => Promise<void>;

class ScriptedSender implements Sender {
  readonly posted: string[] = [];
  readonly lookups: string[] = [];
  readonly #byKey = new Map<string, { conversation: string; id: string }>();
  readonly #script: Script[] = [];

  /** The next posts run these first (throw to fail); afterwards posts succeed. */
  script(...steps: Script[]): this {
    this.#script.push(...steps);
    return this;
  }

  async post(request: PostRequest) {
    let accepted: { conversation: string; id: string } | null = null;
    const accept = () => {
      this.posted.push(request.reply.text);
      accepted = { conversation: request.target.slice(6), id: String(this.posted.length) };
      this.#byKey.set(request.key ?? '', accepted);
    };
    await this.#script.shift()?.(request, accept);
    if (!accepted) accept();
    return accepted!;
  }

  async findPosted(request: PostRequest) {
    this.lookups.push(request.key ?? '');
    return this.#byKey.get(request.key ?? '') ?? null;
  }

  async update(request: { reply: Reply; message: { conversation: string; id: string } }) {
    this.posted.push(`edit ${request.reply.text}`);
    return request.message;
  }
}

let store: TestStore;
let sender: ScriptedSender;
let relay: Relay;

const render = async (row: OutboxRow): Promise<Reply | null> => {
  const { text } = JSON.parse(row.data) as { text: string };
  return text === 'obsolete' ? null : inChannel(text);
};

function makeRelay(options: Partial<RelayOptions> = {}): Relay {
  return new Relay({
    db: store.db,
    clock: store.clock,
    senders: { slack: sender },
    render,
    random: () => 0.5,
    ...options,
  });
}

beforeEach(async () => {
  store = await createTestStore();
  sender = new ScriptedSender();
  relay = makeRelay();
});

afterEach(async () => {
  await relay.stop();
  await store.cleanup();
});

const send = (key: string, target: string, text: string) =>
  inTransaction(store.db, (tx) => enqueue(tx, store.clock, { key, target, template: 'text', data: { text } }));
const row = (key: string) =>
  store.db.selectFrom('outbox').selectAll().where('idempotency_key', '=', key).executeTakeFirstOrThrow();
const fail =
  (error: Error): Script =>
  async () => {
    throw error;
  };

describe('attempts and waits', () => {
  it('waits out a rate limit without counting an attempt, holding back only that target', async () => {
    sender.script(fail(new RateLimitedError(30_000)));
    await send('a1', 'slack:CA', 'a1');
    await send('a2', 'slack:CA', 'a2');
    await send('b1', 'slack:CB', 'b1');
    await relay.drainOnce();

    expect(sender.posted).toEqual(['b1']);
    expect(await row('a1')).toMatchObject({ status: 'pending', attempts: 0, available_at: '2026-06-01T09:00:30.000Z' });
    store.clock.advance(30_000);
    await relay.drainOnce();
    expect(sender.posted).toEqual(['b1', 'a1', 'a2']);
  });

  it('counts a transient failure and waits a jittered backoff before the next attempt', async () => {
    sender.script(fail(new TransientSendError('HTTP 503')), fail(new TransientSendError('HTTP 503')));
    await send('m', 'slack:C1', 'hello');
    await relay.drainOnce();
    // random() = 0.5 of a 1 s ceiling after the first failure, of 2 s after the second.
    expect(await row('m')).toMatchObject({ attempts: 1, available_at: '2026-06-01T09:00:00.500Z' });
    store.clock.advance(500);
    await relay.drainOnce();
    expect(await row('m')).toMatchObject({ attempts: 2, available_at: '2026-06-01T09:00:01.500Z' });
    store.clock.advance(1_000);
    await relay.drainOnce();
    expect(await row('m')).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
  });

  it('looks for the earlier copy before retrying a post whose outcome is unknown', async () => {
    sender.script(async (_request, accept) => {
      accept();
      throw new TransientSendError('timed out', { outcomeUnknown: true });
    });
    await send('m', 'slack:C1', 'hello');
    await relay.drainOnce();
    expect(await row('m')).toMatchObject({ status: 'pending', attempts: 1 });
    store.clock.advance(500);
    await relay.drainOnce();
    expect(sender.lookups).toEqual(['m']);
    expect(sender.posted).toEqual(['hello']);
    expect(await row('m')).toMatchObject({ status: 'sent' });
  });

  it('does not look before retrying a post the platform refused', async () => {
    sender.script(fail(new TransientSendError('HTTP 500')));
    await send('m', 'slack:C1', 'hello');
    await relay.drainOnce();
    store.clock.advance(500);
    await relay.drainOnce();
    expect(sender.lookups).toEqual([]);
    expect(sender.posted).toEqual(['hello']);
  });

  it('retries an unexpected error (a rendering bug) like a transient one', async () => {
    relay = makeRelay({
      render: async () => {
        throw new Error('template exploded');
      },
    });
    await send('m', 'slack:C1', 'hello');
    await relay.drainOnce();
    expect(await row('m')).toMatchObject({ status: 'pending', attempts: 1 });
    expect((await row('m')).last_error).toContain('template exploded');
  });

  it('kills a row on a permanent refusal after one attempt', async () => {
    sender.script(fail(new PermanentSendError('not_in_channel')));
    await send('m', 'slack:C1', 'hello');
    expect((await relay.drainOnce()).dead).toBe(1);
    expect(await row('m')).toMatchObject({ status: 'dead', attempts: 1 });
  });
});

describe('what is claimed', () => {
  it('marks a row sent without sending when there is nothing to say any more', async () => {
    await send('m', 'slack:C1', 'obsolete');
    expect((await relay.drainOnce()).skipped).toBe(1);
    expect(sender.posted).toEqual([]);
    expect(await row('m')).toMatchObject({ status: 'sent' });
  });

  it('leaves rows for a platform it has no sender for to a relay that has one', async () => {
    relay = makeRelay({ senders: { slack: sender, teams: undefined } });
    await send('t', 'teams:conv-1', 'for Teams');
    await send('s', 'slack:C1', 'for Slack');
    await relay.drainOnce();
    expect(sender.posted).toEqual(['for Slack']);
    expect(await row('t')).toMatchObject({ status: 'pending', attempts: 0, lease_until: null });
  });

  it('does not let a relay whose lease ran out undo the work of the relay that took over', async () => {
    await send('m', 'slack:C1', 'hello');
    const [stale] = await claimDue(store.db, store.clock, { limit: 1, leaseMs: 1_000, platforms: ['slack'] });
    store.clock.advance(1_001);
    const [fresh] = await claimDue(store.db, store.clock, { limit: 1, leaseMs: 1_000, platforms: ['slack'] });
    expect([stale?.resumed, fresh?.id, fresh?.resumed]).toEqual([false, stale?.id, true]);
    const now = store.clock.now();
    expect(await recordRetry(store.db, stale!, { at: now, error: 'late failure', maybePosted: false, now })).toBe(
      false,
    );
    expect(await row('m')).toMatchObject({ attempts: 0, last_error: null, lease_until: fresh?.lease_until });
  });
});

describe('running in the background', () => {
  it('sends soon after a nudge and finishes in-flight sends before stopping', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    sender.script(() => held);
    relay = makeRelay({ pollMs: 60_000 });
    relay.start();
    await send('m', 'slack:C1', 'hello');
    relay.nudge();
    await vi.waitFor(async () => expect((await row('m')).lease_until).not.toBeNull());

    let stopped = false;
    const stopping = relay.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(sender.posted).toEqual(['hello']);
    expect(await row('m')).toMatchObject({ status: 'sent' });
  });
});
