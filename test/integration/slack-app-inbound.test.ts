import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Registry, reply } from '../../src/chat/command.ts';
import { ephemeral } from '../../src/chat/reply.ts';
import { claimReceipt, pruneReceipts } from '../../src/core/messaging/inbound-receipts.ts';
import { BODY_LIMITS } from '../../src/http/body-limits.ts';
import { receiptKeys } from '../../src/slack/receipts.ts';
import { type SlackHarness, startSlackHarness } from '../support/slack-harness.ts';
import {
  appHomeOpened,
  blockActions,
  deliver,
  interaction,
  type SignOptions,
  slashCommand,
} from '../support/slack-requests.ts';

// What reaches the handlers: only correctly signed, fresh requests, and each Slack delivery once.
// "Applied once" is observed after a later, distinct request of the same kind has been handled.

describe('Slack inbound requests', () => {
  let slack: SlackHarness;
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
      {
        name: 'peek',
        summary: 'Counts, and changes nothing',
        usage: 'peek',
        examples: [],
        readOnly: true,
        parse: () => null,
        run: async () => reply(ephemeral(`peek ${++counts.commands}`)),
      },
    ],
    actions: [{ action: 'finding.ack', run: async () => reply(ephemeral(`click ${++counts.clicks}`)) }],
    forms: [],
    home: async () => [{ type: 'text', text: `home ${++counts.homes}` }],
  };

  beforeEach(async () => {
    Object.assign(counts, { commands: 0, clicks: 0, homes: 0 });
    slack = await startSlackHarness({ registry });
  });

  afterEach(() => slack.close());

  const command = (options: Omit<SignOptions, 'secret'> = {}) =>
    slashCommand(
      { text: 'count', userId: 'U1', channelId: 'C1', responseUrl: slack.responses.url() },
      { ...slack.sign, ...options },
    );

  it.each(['bad', 'missing', 'stale'] as const)(
    'refuses a request with a %s signature: 401, handler never runs',
    async (signature) => {
      const answer = await deliver(slack.endpoint, command({ signature }));
      expect(answer.status).toBe(401);

      // A good request afterwards is the first and only one the handler ever saw.
      expect((await deliver(slack.endpoint, command())).status).toBe(200);
      await vi.waitFor(() => expect(slack.responses.posts).toHaveLength(1));
      expect(slack.responses.posts[0]?.body.text).toBe('command 1');
      expect(counts.commands).toBe(1);
      expect(slack.api.calls('users.info')).toHaveLength(1);
    },
  );

  it('sends a form post with a charset in its content type nowhere near the handler', async () => {
    const request = command();
    request.headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-8';
    const answer = await deliver(slack.endpoint, request);
    expect(answer.status).not.toBe(200);
    expect(counts.commands).toBe(0);
  });

  it('answers a slash command posted twice with the same trigger_id once', async () => {
    const once = slashCommand(
      { text: 'count', userId: 'U1', channelId: 'C1', responseUrl: slack.responses.url(), triggerId: '1234.5678.dup' },
      slack.sign,
    );
    expect((await deliver(slack.endpoint, once)).status).toBe(200);
    expect((await deliver(slack.endpoint, once)).status).toBe(200);
    expect((await deliver(slack.endpoint, command())).status).toBe(200);
    await vi.waitFor(() => expect(slack.responses.posts).toHaveLength(2));
    expect(counts.commands).toBe(2);
  });

  it('publishes the Home tab once when Slack retries the same event', async () => {
    expect((await deliver(slack.endpoint, appHomeOpened('U1', { ...slack.sign, eventId: 'Ev1' }))).status).toBe(200);
    await vi.waitFor(() => expect(slack.api.homeView('U1')).toBeDefined());
    const retry = appHomeOpened('U1', { ...slack.sign, eventId: 'Ev1', retryNum: 1 });
    expect((await deliver(slack.endpoint, retry)).status).toBe(200);

    expect((await deliver(slack.endpoint, appHomeOpened('U1', { ...slack.sign, eventId: 'Ev2' }))).status).toBe(200);
    await vi.waitFor(() => expect(slack.api.calls('views.publish')).toHaveLength(2));
    expect(counts.homes).toBe(2);
    expect(JSON.stringify(slack.api.homeView('U1')?.view)).toContain('home 2');
  });

  it('applies an interaction delivered twice only once', async () => {
    const click = (actionTs: string) =>
      interaction(
        blockActions({
          userId: 'U1',
          channelId: 'C1',
          actionId: 'finding.ack',
          responseUrl: slack.responses.url(),
          actionTs,
        }),
        slack.sign,
      );
    const first = click('1767000000.000001');
    expect((await deliver(slack.endpoint, first)).status).toBe(200);
    expect((await deliver(slack.endpoint, first)).status).toBe(200);
    await vi.waitFor(() => expect(slack.responses.posts).toHaveLength(1));

    expect((await deliver(slack.endpoint, click('1767000001.000002'))).status).toBe(200);
    await vi.waitFor(() => expect(slack.responses.posts).toHaveLength(2));
    expect(counts.clicks).toBe(2);
    expect(slack.responses.posts.map((p) => p.body.text)).toEqual(['click 1', 'click 2']);
  });

  it('refuses a request dated more than five minutes ahead: 401 before Bolt, handler never runs', async () => {
    const ahead = command({ now: Math.floor(Date.now() / 1000) + 6 * 60 });
    expect((await deliver(slack.endpoint, ahead)).status).toBe(401);
    const request = command();
    delete request.headers['x-slack-request-timestamp'];
    expect((await deliver(slack.endpoint, request)).status).toBe(401);
    expect((await deliver(slack.endpoint, command())).status).toBe(200);
    await vi.waitFor(() => expect(slack.responses.posts).toHaveLength(1));
    expect(counts.commands).toBe(1);
  });

  it('refuses a body over the Slack limit before reading it', async () => {
    const big = command();
    big.body += `&padding=${'x'.repeat(BODY_LIMITS.slack)}`;
    expect((await deliver(slack.endpoint, big)).status).toBe(413);
    expect(counts.commands).toBe(0);
  });

  it('refuses a slash command replayed after a restart: its receipt is durable', async () => {
    const triggerId = '1234.5678.replayed';
    // The process that first answered it claimed the receipt; this one has an empty memory.
    expect(await claimReceipt(slack.store.db, slack.store.clock, receiptKeys.command(triggerId))).toBe(true);
    const replay = slashCommand(
      { text: 'count', userId: 'U1', channelId: 'C1', responseUrl: slack.responses.url(), triggerId },
      slack.sign,
    );
    expect((await deliver(slack.endpoint, replay)).status).toBe(200);
    expect((await deliver(slack.endpoint, command())).status).toBe(200);
    await vi.waitFor(() => expect(slack.responses.posts).toHaveLength(1));
    expect(counts.commands).toBe(1);
  });

  it('answers a read-only command without a durable receipt; a double post is still answered once', async () => {
    const triggerId = '1234.5678.peek';
    const peek = slashCommand(
      { text: 'peek', userId: 'U1', channelId: 'C1', responseUrl: slack.responses.url(), triggerId },
      slack.sign,
    );
    expect((await deliver(slack.endpoint, peek)).status).toBe(200);
    expect((await deliver(slack.endpoint, peek)).status).toBe(200);
    expect((await deliver(slack.endpoint, command())).status).toBe(200);
    await vi.waitFor(() => expect(slack.responses.posts).toHaveLength(2));
    expect(slack.responses.posts.map((p) => p.body.text).sort()).toEqual(['command 2', 'peek 1']);
    // Nothing was written for it: its key is still free. A state-changing command's is taken.
    expect(await claimReceipt(slack.store.db, slack.store.clock, receiptKeys.command(triggerId))).toBe(true);
  });

  it('forgets receipts once they are older than the cut-off, and only those', async () => {
    expect(await claimReceipt(slack.store.db, slack.store.clock, 'slack:event:old')).toBe(true);
    slack.store.clock.advance(2 * 24 * 60 * 60 * 1000);
    expect(await claimReceipt(slack.store.db, slack.store.clock, 'slack:event:new')).toBe(true);
    const dayAgo = new Date(slack.store.clock.now().getTime() - 24 * 60 * 60 * 1000);
    expect(await pruneReceipts(slack.store.db, dayAgo)).toBe(1);
    expect(await claimReceipt(slack.store.db, slack.store.clock, 'slack:event:new')).toBe(false);
    expect(await claimReceipt(slack.store.db, slack.store.clock, 'slack:event:old')).toBe(true);
  });
});
