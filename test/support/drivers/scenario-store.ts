import { renderNotification } from '../../../src/chat/notifications/index.ts';
import { ManualClock } from '../../../src/core/common/clock.ts';
import type { CoreDeps, Routing } from '../../../src/core/common/deps.ts';
import { DEFAULT_POLICY } from '../../../src/core/policy/policy.ts';
import { Relay } from '../../../src/delivery/relay.ts';
import type { Sender } from '../../../src/delivery/sender.ts';
import type { Db } from '../../../src/store/database.ts';
import { createTestStore, type TestStore } from '../store.ts';

// One bot per test file, a fresh store per scenario. The adapters are built once with these deps; the
// getters hand them the current scenario's database and clock, so no scenario sees another's rows.

/** The current scenario's clock, for code that keeps the clock it was given (Slack's pending forms). */
class FollowingClock extends ManualClock {
  readonly #current: () => ManualClock;

  constructor(current: () => ManualClock) {
    super('1970-01-01T00:00:00.000Z');
    this.#current = current;
  }

  override now(): Date {
    return this.#current().now();
  }

  override set(at: Date | string): void {
    this.#current().set(at);
  }

  override advance(ms: number): void {
    this.#current().advance(ms);
  }
}

export class ScenarioStore {
  #store: TestStore | null = null;
  #relay: Relay | null = null;
  readonly deps: CoreDeps;

  constructor(routing: Routing) {
    const current = () => {
      if (!this.#store) throw new Error('no scenario is running: call reset() first');
      return this.#store;
    };
    this.deps = {
      get db(): Db {
        return current().db;
      },
      clock: new FollowingClock(() => current().clock),
      policy: DEFAULT_POLICY,
      routing,
      timeZone: 'UTC',
      // Signing scenarios switch to 'pin' (test/scenarios/signing-pin.ts); next() switches back.
      signatureMode: 'chat-identity',
    };
  }

  get store(): TestStore {
    if (!this.#store) throw new Error('no scenario is running: call reset() first');
    return this.#store;
  }

  /** Drops the last scenario's store and starts an empty one with a relay over the senders made for it. */
  async next(senders: (store: TestStore) => Record<string, Sender>): Promise<CoreDeps> {
    await this.close();
    const store = await createTestStore();
    this.#store = store;
    this.deps.signatureMode = 'chat-identity';
    this.#relay = new Relay({
      db: store.db,
      clock: store.clock,
      senders: senders(store),
      render: renderNotification(this.deps),
    });
    return this.deps;
  }

  /**
   * Sends the outbox until it is empty. `between` runs after each pass (a stand-in's rate-limit clock
   * moving on); a row the relay put off to a later time fails loudly instead of hanging.
   */
  async drain(between: () => void = () => {}): Promise<void> {
    const relay = this.#relay;
    if (!relay) throw new Error('no scenario is running: call reset() first');
    const pendingRows = () =>
      this.store.db
        .selectFrom('outbox')
        .select(['id', 'template', 'target', 'attempts', 'last_error'])
        .where('status', '=', 'pending')
        .execute();
    let before = Number.POSITIVE_INFINITY;
    for (let pass = 0; pass < 50; pass += 1) {
      await relay.drainOnce();
      between();
      const pending = await pendingRows();
      if (pending.length === 0) return;
      const due = await this.store.db
        .selectFrom('outbox')
        .select('id')
        .where('status', '=', 'pending')
        .where('available_at', '<=', this.store.clock.now().toISOString())
        .execute();
      if (due.length === 0) throw new Error(`the outbox holds rows put off for later: ${JSON.stringify(pending)}`);
      // A pass that sent nothing met a platform's Retry-After: the rate-limited row (and those queued behind
      // it for the same conversation) wait until its available_at, so let that much scenario time pass.
      if (pending.length >= before) {
        const next = await this.store.db
          .selectFrom('outbox')
          .select((eb) => eb.fn.min('available_at').as('at'))
          .where('status', '=', 'pending')
          .where('available_at', '>', this.store.clock.now().toISOString())
          .executeTakeFirst();
        const waitMs = next?.at ? Date.parse(next.at) - this.store.clock.now().getTime() : 0;
        if (waitMs > 0 && waitMs <= 60_000) this.store.clock.advance(waitMs);
      }
      before = pending.length;
    }
    throw new Error(`the outbox did not drain in 50 passes: ${JSON.stringify((await pendingRows()).slice(0, 5))}`);
  }

  async close(): Promise<void> {
    await this.#relay?.stop();
    await this.#store?.cleanup();
    this.#relay = null;
    this.#store = null;
  }
}
