import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.ts';
import { errorLines } from '../support/fuzz.ts';
import { type SlackHarness, startSlackHarness } from '../support/slack-harness.ts';
import {
  blockActions,
  deliver,
  FORM_CONTENT_TYPE,
  interaction,
  sign,
  slashCommand,
  viewClosed,
  viewSubmission,
} from '../support/slack-requests.ts';

// Validly signed Slack payloads that crashed a handler or Bolt itself (HTTP 500, or no answer for three
// seconds) before the payload guard: each is now answered at once, below 500, with nothing logged as
// an error and nothing changed.

describe('malformed but validly signed Slack payloads', () => {
  const logs: string[] = [];
  let slack: SlackHarness;

  beforeAll(async () => {
    slack = await startSlackHarness({ registry, log: pino({ level: 'warn' }, { write: (l: string) => logs.push(l) }) });
  });
  afterAll(() => slack.close());

  const form = { id: 'V1', callbackId: 'finding.resolve', privateMetadata: '{"s":"1"}', values: {} };
  const send = (payload: object) => deliver(slack.endpoint, interaction(payload, slack.sign));
  const audits = async () =>
    Number(
      (
        await slack.store.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('view_submission whose view.state is null: a refusal that replaces the modal, not a TypeError', async () => {
    const payload = viewSubmission('U1', form) as { view: Record<string, unknown> };
    payload.view.state = null;
    const answer = await send(payload);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ response_action: 'update' });
    expect(answer.body).toContain('nothing was changed');
  });

  it('view_submission whose private_metadata is the JSON null', async () => {
    const answer = await send(viewSubmission('U1', { ...form, privateMetadata: 'null' }));
    expect(answer.status).toBe(200);
  });

  it('view_closed whose private_metadata names option lists that are not lists', async () => {
    const values = { reason: { reason: { type: 'static_select', selected_option: { value: '0' } } } };
    const answer = await send(viewClosed('U1', { ...form, privateMetadata: '{"o":{"reason":5}}', values }));
    expect(answer.status).toBe(200);
  });

  it('block_actions whose channel is null (Bolt read channel.id before any listener)', async () => {
    const payload = blockActions({ userId: 'U1', channelId: 'C1', actionId: 'finding.ack', value: '1' });
    const answer = await send({ ...payload, channel: null });
    expect(answer.status).toBe(200);
  });

  it('block_actions without actions, and an overflow menu without a chosen option', async () => {
    const payload = blockActions({ userId: 'U1', channelId: 'C1', actionId: 'finding.ack', value: '1' });
    expect((await send({ ...payload, actions: [] })).status).toBe(200);
    const overflow = { type: 'overflow', action_id: '_more', block_id: 'b', action_ts: '1.2' };
    expect((await send({ ...payload, actions: [overflow] })).status).toBe(200);
  });

  it('block_actions whose team id names an object property (Bolt keys its API clients by it)', async () => {
    const payload = blockActions({ userId: 'U1', channelId: 'C1', actionId: 'finding.ack', value: '1' });
    for (const id of ['constructor', '__proto__', 'toString']) {
      expect((await send({ ...payload, team: { id, domain: 'x' } })).status).toBe(200);
    }
  });

  it('block_actions whose user is null', async () => {
    const payload = blockActions({ userId: 'U1', channelId: 'C1', actionId: 'finding.ack', value: '1' });
    expect((await send({ ...payload, user: null })).status).toBe(200);
  });

  it('an interaction kind the app never asked for gets a 200, not a 404 after Bolt waits three seconds', async () => {
    const answer = await send({ type: 'shortcut', callback_id: 'x', trigger_id: '1.2', user: { id: 'U1' } });
    expect(answer.status).toBe(200);
  });

  it('a slash command for another command name, or without one, gets a refusal at once', async () => {
    const other = slashCommand(
      { text: 'help', userId: 'U1', channelId: 'C1', responseUrl: slack.responses.url(), command: '/other' },
      slack.sign,
    );
    const answer = await deliver(slack.endpoint, other);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ response_type: 'ephemeral' });
    const missing = sign('user_id=U1&text=help&trigger_id=1.2.3', FORM_CONTENT_TYPE, slack.sign);
    expect((await deliver(slack.endpoint, missing)).status).toBe(200);
  });

  it('an event delivery whose event is null, or not an object', async () => {
    for (const event of [null, 'app_home_opened', { type: 'app_home_opened', user: null, tab: 'home' }]) {
      const body = JSON.stringify({ type: 'event_callback', event_id: 'Ev1', team_id: 'T0TEST', event });
      const answer = await deliver(slack.endpoint, sign(body, 'application/json', slack.sign));
      expect(answer.status).toBe(200);
    }
  });

  it('a body that is signed but not JSON is a 400; an unsigned malformed one is still a 401', async () => {
    expect((await deliver(slack.endpoint, sign('{', 'application/json', slack.sign))).status).toBe(400);
    const unsigned = sign('{"type":"view_submission","view":null}', 'application/json', {
      ...slack.sign,
      signature: 'bad',
    });
    expect((await deliver(slack.endpoint, unsigned)).status).toBe(401);
  });

  it('none of the above logged an error or changed a record', async () => {
    expect(errorLines(logs)).toEqual([]);
    expect(await audits()).toBe(0);
  });
});
