import type { Logger } from 'pino';
import type { Registry } from '../../src/chat/command.ts';
import { renderNotification } from '../../src/chat/notifications/index.ts';
import { createSlackPacer } from '../../src/delivery/pacing.ts';
import { Relay } from '../../src/delivery/relay.ts';
import { type SlackUser, type SlackWebApi, startSlackWebApi } from '../../src/playground/slack-web-api.ts';
import { createSlackNotifier } from '../../src/slack/notifier.ts';
import { type ResponseUrlCatcher, type SignOptions, startResponseUrlCatcher } from './slack-requests.ts';
import { serveSlackApp } from './slack-server.ts';
import { createTestStore, type TestStore } from './store.ts';

// One Slack workspace for an integration test: a fresh store, the Web API stand-in behind the real
// WebClient, a response_url catcher, and the real Bolt app listening on loopback (slack-server.ts).
// Requests signed with `sign` reach the handlers; `close` takes it all down in reverse order.

/** The one person most tests need: a Slack user the stand-in knows as Dana Lee. */
const DANA: SlackUser = { id: 'U1', name: 'dana', realName: 'Dana Lee', displayName: 'dana' };

export interface SlackHarnessOptions {
  registry: Registry;
  /** The stand-in's directory; Dana (U1) by default. */
  users?: SlackUser[];
  /** Channels the bot is a member of; C1 by default. */
  channels?: string[];
  /** The channels configured for finding cards and approval requests; none by default. */
  findingsChannel?: string;
  approvalsChannel?: string;
  /** Where the app logs; silent by default. */
  log?: Logger;
  /** The store to serve; a fresh one by default. */
  store?: TestStore;
}

export interface SlackHarness {
  store: TestStore;
  api: SlackWebApi;
  responses: ResponseUrlCatcher;
  /** Where Slack would send commands, interactions and events. */
  endpoint: string;
  /** Signs a request the app accepts. */
  sign: SignOptions;
  close(): Promise<void>;
}

export interface SlackRelayHarness extends SlackHarness {
  /** Runs the relay until the outbox has nothing pending, as the running bot would in time. */
  drain(): Promise<void>;
}

const SECRET = 'test-signing-secret';

export async function startSlackHarness(
  options: SlackHarnessOptions & { postsPerSecondPerChannel?: number },
): Promise<SlackHarness> {
  const store = options.store ?? (await createTestStore());
  const api = await startSlackWebApi({
    channels: options.channels ?? ['C1'],
    users: options.users ?? [DANA],
    ...(options.postsPerSecondPerChannel ? { postsPerSecondPerChannel: options.postsPerSecondPerChannel } : {}),
  });
  const responses = await startResponseUrlCatcher();
  const server = await serveSlackApp({
    api,
    registry: options.registry,
    deps: store.deps,
    secret: SECRET,
    findingsChannel: options.findingsChannel,
    approvalsChannel: options.approvalsChannel,
    ...(options.log ? { log: options.log } : {}),
  });
  return {
    store,
    api,
    responses,
    endpoint: server.endpoint,
    sign: { secret: SECRET },
    async close() {
      await server.close();
      await responses.close();
      await api.close();
      await store.cleanup();
    },
  };
}

/**
 * The same workspace with the outbox relay sending through the real notifier, paced at `rate` posts a
 * second per channel, which the stand-in enforces too (raised from Slack's 1 so tests are quick).
 */
export async function startSlackRelayHarness(options: SlackHarnessOptions, rate: number): Promise<SlackRelayHarness> {
  const harness = await startSlackHarness({ ...options, postsPerSecondPerChannel: rate });
  const { store, api } = harness;
  const pacer = createSlackPacer({ postsPerSecondPerChannel: rate });
  const sender = createSlackNotifier({ token: api.token, slackApiUrl: api.url, pacer });
  const relay = new Relay({
    db: store.db,
    clock: store.clock,
    senders: { slack: sender },
    render: renderNotification(store.deps),
  });
  return {
    ...harness,
    async drain() {
      for (let round = 0; round < 10; round += 1) {
        await relay.drainOnce();
        const pending = await store.db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute();
        if (pending.length === 0) return;
      }
      throw new Error('the outbox did not drain');
    },
    async close() {
      await relay.stop();
      await pacer.stop();
      await harness.close();
    },
  };
}
