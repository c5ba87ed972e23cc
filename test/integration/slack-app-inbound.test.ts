import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Registry, reply } from '../../src/chat/command.ts';
import { ephemeral } from '../../src/chat/reply.ts';
import { claimReceipt, pruneReceipts } from '../../src/core/inbound-receipts.ts';
import { createLogger } from '../../src/log.ts';
import { type SlackWebApi, startSlackWebApi } from '../../src/playground/slack-web-api.ts';
import { createSlackApp, type SlackApp } from '../../src/slack/app.ts';
import {
  appHomeOpened,
  blockActions,
  deliver,
  interaction,
  type ResponseUrlCatcher,
  type SignOptions,
  slashCommand,
  startResponseUrlCatcher,
} from '../support/slack-requests.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

// What reaches the handlers: only correctly signed, fresh requests, and each Slack delivery once.
// "Applied once" is observed after a later, distinct request of the same kind has been handled.

const SECRET = 'test-signing-secret';

describe('Slack inbound requests', () => {
  let store: TestStore;
  let api: SlackWebApi;
  let responses: ResponseUrlCatcher;
  let slack: SlackApp;
  let server: Server;
  let endpoint: string;
  const counts = { commands: 0, clicks: 0, homes: 0 };

  const registry: Registry = {
    commands: [
      {
        name: 'count',
        summary: 'Counts',
        usage: 'count',
        examples: [],
        parse: () => null,
        run: async () => reply(ephemeral(`command ${++counts.commands}`)),
      },
    ],
    actions: [{ action: 'item.count', run: async () => reply(ephemeral(`click ${++counts.clicks}`)) }],
    forms: [],
    home: async () => [{ type: 'text', text: `home ${++counts.homes}` }],
  };

  beforeEach(async () => {
    Object.assign(counts, { commands: 0, clicks: 0, homes: 0 });
    store = await createTestStore();
    api = await startSlackWebApi({
      channels: ['C1'],
      users: [{ id: 'U1', name: 'dana', realName: 'Dana Lee', displayName: 'dana' }],
    });
    responses = await startResponseUrlCatcher();
    const http = express();
    slack = createSlackApp({
      config: {
        botToken: api.token,
        signingSecret: SECRET,
        appToken: undefined,
        apiUrl: api.url,
        findingsChannel: undefined,
        approvalsChannel: undefined,
      },
      registry,
      deps: store.deps,
      log: createLogger('silent'),
      expressApp: http,
    });
    await slack.start();
    server = http.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await slack.stop();
    await responses.close();
    await api.close();
    await store.cleanup();
  });

  const command = (options: Omit<SignOptions, 'secret'> = {}) =>
    slashCommand(
      { text: 'count', userId: 'U1', channelId: 'C1', responseUrl: responses.url() },
      { secret: SECRET, ...options },
    );

  it.each(['bad', 'missing', 'stale'] as const)(
    'refuses a request with a %s signature: 401, handler never runs',
    async (signature) => {
      const answer = await deliver(endpoint, command({ signature }));
      expect(answer.status).toBe(401);

      // A good request afterwards is the first and only one the handler ever saw.
      expect((await deliver(endpoint, command())).status).toBe(200);
      await vi.waitFor(() => expect(responses.posts).toHaveLength(1));
      expect(responses.posts[0]?.body.text).toBe('command 1');
      expect(counts.commands).toBe(1);
      expect(api.calls('users.info')).toHaveLength(1);
    },
  );

  it('sends a form post with a charset in its content type nowhere near the handler', async () => {
    const request = command();
    request.headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-8';
    const answer = await deliver(endpoint, request);
    expect(answer.status).not.toBe(200);
    expect(counts.commands).toBe(0);
  });

  it('answers a slash command posted twice with the same trigger_id once', async () => {
    const once = slashCommand(
      { text: 'count', userId: 'U1', channelId: 'C1', responseUrl: responses.url(), triggerId: '1234.5678.dup' },
      { secret: SECRET },
    );
    expect((await deliver(endpoint, once)).status).toBe(200);
    expect((await deliver(endpoint, once)).status).toBe(200);
    expect((await deliver(endpoint, command())).status).toBe(200);
    await vi.waitFor(() => expect(responses.posts).toHaveLength(2));
    expect(counts.commands).toBe(2);
  });

  it('publishes the Home tab once when Slack retries the same event', async () => {
    expect((await deliver(endpoint, appHomeOpened('U1', { secret: SECRET, eventId: 'Ev1' }))).status).toBe(200);
    await vi.waitFor(() => expect(api.homeView('U1')).toBeDefined());
    const retry = appHomeOpened('U1', { secret: SECRET, eventId: 'Ev1', retryNum: 1 });
    expect((await deliver(endpoint, retry)).status).toBe(200);

    expect((await deliver(endpoint, appHomeOpened('U1', { secret: SECRET, eventId: 'Ev2' }))).status).toBe(200);
    await vi.waitFor(() => expect(api.calls('views.publish')).toHaveLength(2));
    expect(counts.homes).toBe(2);
    expect(JSON.stringify(api.homeView('U1')?.view)).toContain('home 2');
  });

  it('applies an interaction delivered twice only once', async () => {
    const click = (actionTs: string) =>
      interaction(
        blockActions({ userId: 'U1', channelId: 'C1', actionId: 'item.count', responseUrl: responses.url(), actionTs }),
        { secret: SECRET },
      );
    const first = click('1767000000.000001');
    expect((await deliver(endpoint, first)).status).toBe(200);
    expect((await deliver(endpoint, first)).status).toBe(200);
    await vi.waitFor(() => expect(responses.posts).toHaveLength(1));

    expect((await deliver(endpoint, click('1767000001.000002'))).status).toBe(200);
    await vi.waitFor(() => expect(responses.posts).toHaveLength(2));
    expect(counts.clicks).toBe(2);
    expect(responses.posts.map((p) => p.body.text)).toEqual(['click 1', 'click 2']);
  });

  it('forgets receipts once they are older than the cut-off, and only those', async () => {
    expect(await claimReceipt(store.db, store.clock, 'slack:event:old')).toBe(true);
    store.clock.advance(2 * 24 * 60 * 60 * 1000);
    expect(await claimReceipt(store.db, store.clock, 'slack:event:new')).toBe(true);
    const dayAgo = new Date(store.clock.now().getTime() - 24 * 60 * 60 * 1000);
    expect(await pruneReceipts(store.db, dayAgo)).toBe(1);
    expect(await claimReceipt(store.db, store.clock, 'slack:event:new')).toBe(false);
    expect(await claimReceipt(store.db, store.clock, 'slack:event:old')).toBe(true);
  });
});
