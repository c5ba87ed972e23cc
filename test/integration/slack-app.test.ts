import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openForm, type Registry, reply } from '../../src/chat/command.ts';
import { ephemeral, type Form, inChannel, mention } from '../../src/chat/reply.ts';
import { readModalMeta } from '../../src/slack/forms.ts';
import { type SlackHarness, startSlackHarness } from '../support/slack-harness.ts';
import {
  appHomeOpened,
  blockActions,
  deliver,
  interaction,
  slashCommand,
  viewClosed,
  viewSubmission,
} from '../support/slack-requests.ts';

// The real Bolt ExpressReceiver on loopback HTTP, signed requests in Slack's shapes, and the Web API
// stand-in behind the real WebClient. The registry is a small one made for this test.

const noteForm = (itemId: string): Form => ({
  id: 'item.note',
  title: 'Add a note',
  submitLabel: 'Save note',
  state: itemId,
  fields: [{ id: 'note', label: 'Note', kind: 'textarea' }],
});

function testRegistry() {
  const calls = { home: 0, closed: [] as string[] };
  const registry: Registry = {
    commands: [
      {
        name: 'ping',
        summary: 'Answers',
        usage: 'ping',
        examples: [],
        parse: (words) => words,
        run: async (ctx, words: string[]) =>
          reply(
            inChannel(`pong for **${ctx.actor.name}** ${mention(ctx.actor.id, ctx.actor.name)} ${words.join(' ')}`, [
              { type: 'text', text: `pong for ${mention(ctx.actor.id, ctx.actor.name)} in ${ctx.channel}` },
              { type: 'actions', buttons: [{ action: 'finding.assign', label: 'Add note', value: '7' }] },
            ]),
          ),
      },
    ],
    actions: [
      { action: 'finding.assign', run: async (_ctx, value) => openForm(noteForm(value)) },
      {
        action: 'finding.resolve',
        run: async (ctx, value) => reply(inChannel(`Item ${value} closed by ${ctx.actor.name}`), true),
      },
    ],
    forms: [
      {
        form: 'item.note',
        submit: async (ctx, values, state) => {
          const note = String(values.note ?? '');
          if (note.length < 5) return { fieldErrors: { note: 'Write at least 5 characters.' } };
          return reply(ephemeral(`Noted on item ${state} by ${ctx.actor.name}: ${note}`));
        },
        close: async (_ctx, values, state) => {
          calls.closed.push(`${state}:${values.note ?? ''}`);
        },
      },
    ],
    home: async (ctx) => {
      calls.home += 1;
      return [
        { type: 'header', text: 'Your queue' },
        { type: 'text', text: `Hello **${ctx.actor.name}**` },
      ];
    },
  };
  return { registry, calls };
}

describe('Slack app over HTTP', () => {
  let slack: SlackHarness;
  let calls: ReturnType<typeof testRegistry>['calls'];

  beforeEach(async () => {
    const test = testRegistry();
    calls = test.calls;
    slack = await startSlackHarness({ registry: test.registry });
  });

  afterEach(() => slack.close());

  it('answers a command at its response_url, with the printed name from users.info remembered', async () => {
    const command = slashCommand(
      { text: 'ping &amp; more', userId: 'U1', channelId: 'C1', responseUrl: slack.responses.url('ping') },
      slack.sign,
    );
    const answer = await deliver(slack.endpoint, command);
    expect(answer.status).toBe(200);
    await vi.waitFor(() => expect(slack.responses.posts).toHaveLength(1));
    const body = slack.responses.posts[0]?.body as { response_type: string; text: string; blocks: { type: string }[] };
    expect(body.response_type).toBe('in_channel');
    expect(body.text).toBe('pong for *Dana Lee* <@U1> &amp; more');
    expect(body.blocks.map((b) => b.type)).toEqual(['section', 'actions']);
    expect(JSON.stringify(body.blocks[0])).toContain('pong for <@U1> in slack:C1');
    const person = await slack.store.db
      .selectFrom('people')
      .selectAll()
      .where('principal', '=', 'slack:U1')
      .executeTakeFirst();
    expect(person?.display_name).toBe('Dana Lee');

    // Known for a day: the next command does not ask users.info again.
    await deliver(
      slack.endpoint,
      slashCommand({ text: 'ping', userId: 'U1', channelId: 'C1', responseUrl: slack.responses.url() }, slack.sign),
    );
    await vi.waitFor(() => expect(slack.responses.posts).toHaveLength(2));
    expect(slack.api.calls('users.info')).toHaveLength(1);

    // A day later the name is looked up again, so a renamed person is signed under the new name.
    slack.store.clock.advance(25 * 60 * 60 * 1000);
    await deliver(
      slack.endpoint,
      slashCommand({ text: 'ping', userId: 'U1', channelId: 'C1', responseUrl: slack.responses.url() }, slack.sign),
    );
    await vi.waitFor(() => expect(slack.responses.posts).toHaveLength(3));
    expect(slack.api.calls('users.info')).toHaveLength(2);
  });

  it('opens a modal from a button through views.open, then takes field errors and a valid submission', async () => {
    const click = blockActions({
      userId: 'U1',
      channelId: 'C1',
      actionId: 'finding.assign#2',
      value: '7',
      responseUrl: slack.responses.url(),
      triggerId: slack.api.issueTrigger('U1'),
    });
    expect((await deliver(slack.endpoint, interaction(click, slack.sign))).status).toBe(200);
    await vi.waitFor(() => expect(slack.api.lastView('U1')).toBeDefined());
    const opened = slack.api.lastView('U1')?.view as { callback_id: string; private_metadata: string };
    expect(opened.callback_id).toBe('item.note');
    expect(readModalMeta(opened)).toMatchObject({ state: '7', channel: 'slack:C1' });

    const submit = (note: string) =>
      interaction(
        viewSubmission('U1', {
          callbackId: opened.callback_id,
          privateMetadata: opened.private_metadata,
          values: { note: { note: { type: 'plain_text_input', value: note } } },
        }),
        slack.sign,
      );
    const refused = await deliver(slack.endpoint, submit('hi'));
    expect(refused.status).toBe(200);
    expect(JSON.parse(refused.body)).toEqual({
      response_action: 'errors',
      errors: { note: 'Write at least 5 characters.' },
    });

    const accepted = await deliver(slack.endpoint, submit('Vendor sent the SOC 2 report'));
    expect(accepted.status).toBe(200);
    expect(accepted.body).toBe('');
    await vi.waitFor(() => expect(slack.api.ephemerals('U1')).toHaveLength(1));
    expect(slack.api.ephemerals('U1')[0]).toMatchObject({
      channel: 'C1',
      text: 'Noted on item 7 by Dana Lee: Vendor sent the SOC 2 report',
    });
  });

  it('replaces the clicked card through its response_url when the handler asks to', async () => {
    const click = blockActions({
      userId: 'U1',
      channelId: 'C1',
      actionId: 'finding.resolve',
      value: '7',
      responseUrl: slack.responses.url(),
    });
    expect((await deliver(slack.endpoint, interaction(click, slack.sign))).status).toBe(200);
    await vi.waitFor(() => expect(slack.responses.posts).toHaveLength(1));
    expect(slack.responses.posts[0]?.body).toMatchObject({
      response_type: 'in_channel',
      replace_original: true,
      text: 'Item 7 closed by Dana Lee',
    });
  });

  it('tells the form handler when a modal is closed without submitting', async () => {
    const closed = viewClosed('U1', {
      callbackId: 'item.note',
      privateMetadata: JSON.stringify({ s: '9' }),
      values: { note: { note: { type: 'plain_text_input', value: 'half a thought' } } },
    });
    expect((await deliver(slack.endpoint, interaction(closed, slack.sign))).status).toBe(200);
    await vi.waitFor(() => expect(calls.closed).toEqual(['9:half a thought']));
  });

  it('publishes the Home tab when it is opened', async () => {
    expect((await deliver(slack.endpoint, appHomeOpened('U1', slack.sign))).status).toBe(200);
    await vi.waitFor(() => expect(slack.api.homeView('U1')).toBeDefined());
    const home = slack.api.homeView('U1')?.view as { type: string; blocks: unknown[] };
    expect(home.type).toBe('home');
    expect(home.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Your queue', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: 'Hello *Dana Lee*' } },
    ]);
  });
});
