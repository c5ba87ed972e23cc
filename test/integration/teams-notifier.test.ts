import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/chat/reply.ts';
import {
  MessageGoneError,
  NotInstalledError,
  type PermanentSendError,
  RateLimitedError,
  TransientSendError,
} from '../../src/delivery/errors.ts';
import { createTeamsPacer, type Pacer } from '../../src/delivery/pacing.ts';
import type { Sender } from '../../src/delivery/sender.ts';
import { captureReferences } from '../../src/teams/conversation-refs.ts';
import { createTeamsNotifier } from '../../src/teams/notifier.ts';
import { type BotConnector, startBotConnector } from '../support/bot-connector.ts';
import { teamsConfig } from '../support/bot-connector-harness.ts';
import { createTestStore, type TestStore } from '../support/store.ts';
import { botAddedToTeam, CHANNEL, DANA, PERSONAL_CONVERSATION, personalMessage } from '../support/teams-requests.ts';

// The outbox relay's Teams sender against the Bot Connector stand-in: where messages land, and how
// every failure comes back as exactly one attempt sorted into the relay's retry classes.

const unpaced: Pacer = { schedule: (_method, _key, call) => call(), stop: async () => {} };
const card: Reply = {
  visibility: 'in_channel',
  text: 'Finding F-12 opened',
  blocks: [{ type: 'header', text: 'F-12' }],
};

let store: TestStore;
let connector: BotConnector;
let now = Date.parse('2026-06-01T09:00:00Z');
let teams: Sender;

beforeAll(async () => {
  store = await createTestStore();
  connector = await startBotConnector({ now: () => now });
  const where = { serviceUrl: connector.url };
  // What install and a 1:1 message leave behind.
  await captureReferences(store.db, store.clock, botAddedToTeam(where) as never);
  await captureReferences(store.db, store.clock, personalMessage(where, 'hi') as never);
  teams = createTeamsNotifier({ config: teamsConfig(), db: store.db, pacer: unpaced });
});
afterAll(async () => {
  await connector.close();
  await store.cleanup();
});
beforeEach(() => {
  now += 3_600_000; // a fresh rate-limit hour for every test
  connector.calls.length = 0;
  connector.attempts.length = 0;
});

describe('the Teams sender', () => {
  it('posts a card to a channel and a person, over the stored conversation references', async () => {
    const inChannel = await teams.post({ target: `teams:conv:${CHANNEL}`, reply: card, threadParent: null });
    const toDana = await teams.post({ target: `teams:${DANA.aadObjectId}`, reply: card, threadParent: null });
    expect(connector.calls.map((c) => [c.kind, c.conversationId])).toEqual([
      ['send', CHANNEL],
      ['send', PERSONAL_CONVERSATION],
    ]);
    expect(inChannel).toEqual({ conversation: CHANNEL, id: connector.calls[0]?.id });
    expect(toDana.conversation).toBe(PERSONAL_CONVERSATION);
    expect(JSON.stringify(connector.calls[0]?.activity)).toContain('"text":"F-12"');
  });

  it('replies in a channel thread and edits a message in place', async () => {
    const root = await teams.post({ target: `teams:conv:${CHANNEL}`, reply: card, threadParent: null });
    await teams.post({
      target: `teams:conv:${CHANNEL}`,
      reply: { visibility: 'in_channel', text: 'Dana acknowledged' },
      threadParent: root,
    });
    const edited = await teams.update({
      target: `teams:conv:${CHANNEL}`,
      message: root,
      reply: { ...card, text: 'Acknowledged' },
    });
    expect(connector.calls.map((c) => [c.kind, c.conversationId, c.activityId])).toEqual([
      ['send', CHANNEL, null],
      ['send', `${CHANNEL};messageid=${root.id}`, null],
      ['update', CHANNEL, root.id],
    ]);
    expect(edited).toEqual(root);
  });

  it('hands a 429 back at once with its Retry-After: botbuilder does not retry behind the relay', async () => {
    connector.failNext({ status: 429, retryAfterSeconds: 7 });
    const error = await teams
      .post({ target: `teams:conv:${CHANNEL}`, reply: card, threadParent: null })
      .catch((e) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(7_000);
    expect(connector.attempts.map((a) => a.status)).toEqual([429]);
  });

  it('makes one attempt on 412, 502, 503 and 504 and leaves the retrying to the relay', async () => {
    for (const status of [412, 502, 503, 504]) {
      connector.failNext({ status });
      const error = await teams
        .post({ target: `teams:conv:${CHANNEL}`, reply: card, threadParent: null })
        .catch((e) => e);
      expect(error).toBeInstanceOf(TransientSendError);
    }
    connector.failNext({ status: 503, retryAfterSeconds: 2 });
    const waited = await teams
      .post({ target: `teams:conv:${CHANNEL}`, reply: card, threadParent: null })
      .catch((e) => e);
    expect((waited as RateLimitedError).retryAfterMs).toBe(2_000);
    expect(connector.attempts.map((a) => a.status)).toEqual([412, 502, 503, 504, 503]);
  });

  it("stops at Teams' per-conversation limit and says when to come back", async () => {
    for (let i = 0; i < 7; i++) await teams.post({ target: `teams:conv:${CHANNEL}`, reply: card, threadParent: null });
    const error = await teams
      .post({ target: `teams:conv:${CHANNEL}`, reply: card, threadParent: null })
      .catch((e) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(1_000);
  });

  it('reports a deleted message as gone, and refusals as permanent', async () => {
    connector.failNext({ status: 404 });
    const gone = await teams
      .update({ target: `teams:conv:${CHANNEL}`, message: { conversation: CHANNEL, id: 'deleted' }, reply: card })
      .catch((e) => e);
    expect(gone).toBeInstanceOf(MessageGoneError);
    connector.failNext({ status: 403 });
    const forbidden = await teams
      .post({ target: `teams:conv:${CHANNEL}`, reply: card, threadParent: null })
      .catch((e) => e);
    expect((forbidden as PermanentSendError).code).toBe('forbidden');
    const nowhere = await teams
      .post({ target: 'teams:conv:19:never-installed', reply: card, threadParent: null })
      .catch((e) => e);
    // Not installed there yet: the relay waits for the install (test/e2e/teams-waiting-for-install.test.ts).
    expect(nowhere).toBeInstanceOf(NotInstalledError);
  });

  it('in anonymous dev mode sends nothing over a reference to a serviceUrl off this machine', async () => {
    const reference = { serviceUrl: 'https://smba.trafficmanager.net/emea/', conversation: { id: '19:elsewhere' } };
    await store.db
      .insertInto('conversation_refs')
      .values({ key: 'teams:conv:19:elsewhere', reference: JSON.stringify(reference), updated_at: '2026-06-01' })
      .execute();
    const refused = await teams
      .post({ target: 'teams:conv:19:elsewhere', reply: card, threadParent: null })
      .catch((e) => e);
    expect((refused as PermanentSendError).code).toBe('not_loopback');
    expect(connector.attempts).toEqual([]);
  });

  it('goes through the Teams pacer by default', async () => {
    const pacer = createTeamsPacer();
    const paced = createTeamsNotifier({ config: teamsConfig(), db: store.db, pacer });
    await paced.post({ target: `teams:conv:${CHANNEL}`, reply: card, threadParent: null });
    await paced.post({ target: `teams:conv:${CHANNEL}`, reply: card, threadParent: null });
    expect(connector.calls).toHaveLength(2);
  });
});
