import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SlackWebApi, startSlackWebApi } from '../../src/playground/slack-web-api.ts';

// What the Slack stand-in does in Slack's place for the playground: response_urls with Slack's rules,
// and a modal submission's acknowledgement applied as Slack's client applies it. If it were lenient
// here, the playground would show people things Slack never would.

let api: SlackWebApi;
let web: webApi.WebClient;
let now = 1_780_000_000_000;
let changes = 0;

beforeEach(async () => {
  now = 1_780_000_000_000;
  changes = 0;
  api = await startSlackWebApi({
    channels: ['C1'],
    users: [
      { id: 'U1', name: 'dana', realName: 'Dana Reyes', displayName: 'dana' },
      { id: 'U2', name: 'sam', realName: 'Sam Patel', displayName: 'sam' },
    ],
    now: () => now,
    onChange: () => {
      changes += 1;
    },
  });
  web = new webApi.WebClient(api.token, { slackApiUrl: api.url, retryConfig: { retries: 0 } });
});

afterEach(async () => {
  await api.close();
});

/** Posts to a response_url as Bolt's respond() does: JSON, no token. */
async function respond(url: string, body: object): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const section = (text: string) => [{ type: 'section', text: { type: 'mrkdwn', text } }];
const modal = (title: string) => ({
  type: 'modal',
  callback_id: 'form',
  title: { type: 'plain_text', text: title },
  submit: { type: 'plain_text', text: 'Save' },
  blocks: [
    {
      type: 'input',
      block_id: 'note',
      label: { type: 'plain_text', text: 'Note' },
      element: { type: 'plain_text_input', action_id: 'note' },
    },
  ],
});

describe('response_url', () => {
  it('answers the person only, unless the reply is meant for the channel', async () => {
    const url = api.responseUrl({ user: 'U1', channel: 'C1' });
    expect((await respond(url, { text: 'only you', blocks: section('only you') })).status).toBe(200);
    expect(api.ephemerals('U1').map((e) => e.text)).toEqual(['only you']);
    expect(api.ephemerals('U2')).toEqual([]);
    expect(api.messages('C1')).toEqual([]);

    await respond(url, { response_type: 'in_channel', text: 'for everyone' });
    expect(api.messages('C1').map((m) => m.text)).toEqual(['for everyone']);
    expect(changes).toBe(2);
  });

  it('replaces or deletes the clicked message, an ephemeral one included', async () => {
    const posted = await web.chat.postMessage({ channel: 'C1', text: 'card v1' });
    const onCard = api.responseUrl({ user: 'U1', channel: 'C1', message: { ts: String(posted.ts), ephemeral: false } });
    await respond(onCard, { replace_original: true, text: 'card v2' });
    expect(api.messages('C1')).toMatchObject([{ ts: posted.ts, text: 'card v2', edits: [{ text: 'card v1' }] }]);

    const { message_ts } = await web.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'page 1' });
    const onPage = api.responseUrl({ user: 'U1', channel: 'C1', message: { ts: String(message_ts), ephemeral: true } });
    await respond(onPage, { replace_original: true, text: 'page 2' });
    expect(api.ephemerals('U1').map((e) => e.text)).toEqual(['page 2']);
    await respond(onPage, { delete_original: true });
    expect(api.ephemerals('U1')).toEqual([]);
    await respond(onCard, { delete_original: true });
    expect(api.messages('C1')).toEqual([]);
  });

  it('works five times within 30 minutes, checks content like chat.* does, and knows no other urls', async () => {
    const url = api.responseUrl({ user: 'U1', channel: 'C1' });
    const bad = await respond(url, { text: '', blocks: [{ type: 'nonsense' }] });
    expect(bad).toMatchObject({ status: 400, body: { ok: false, error: 'invalid_blocks' } });
    for (let i = 0; i < 4; i += 1) expect((await respond(url, { text: `reply ${i}` })).status).toBe(200);
    expect(await respond(url, { text: 'sixth' })).toEqual({ status: 404, body: { ok: false, error: 'expired_url' } });

    const later = api.responseUrl({ user: 'U1', channel: 'C1' });
    now += 30 * 60 * 1000 + 1;
    expect((await respond(later, { text: 'too late' })).body.error).toBe('expired_url');
    expect((await respond(`${later}x`, { text: 'forged' })).status).toBe(404);
    expect(api.ephemerals('U1')).toHaveLength(4);
  });
});

describe("a modal submission's acknowledgement", () => {
  async function openModal(title = 'First'): Promise<string> {
    const opened = await web.views.open({ trigger_id: api.issueTrigger('U1'), view: modal(title) as never });
    return String(opened.view?.id);
  }

  it('closes the submitted view when acknowledged plainly, revealing the one beneath', async () => {
    const first = await openModal();
    const pushed = await web.views.push({ trigger_id: api.issueTrigger('U1'), view: modal('Second') as never });
    expect(api.applySubmissionAck('U1', String(pushed.view?.id), {})).toEqual({ ok: true });
    expect(api.lastView('U1')?.id).toBe(first);
    api.applySubmissionAck('U1', first, {});
    expect(api.lastView('U1')).toBeUndefined();
  });

  it('keeps the view for errors, updates it in place, pushes, and clears', async () => {
    const id = await openModal();
    const hash = api.lastView('U1')?.hash;
    expect(api.applySubmissionAck('U1', id, { response_action: 'errors', errors: { note: 'Too short' } }).ok).toBe(
      true,
    );
    expect(api.lastView('U1')?.hash).toBe(hash);

    api.applySubmissionAck('U1', id, { response_action: 'update', view: modal('Page 2') });
    expect(api.lastView('U1')).toMatchObject({ id, view: { title: { text: 'Page 2' } } });
    expect(api.lastView('U1')?.hash).not.toBe(hash);

    api.applySubmissionAck('U1', id, { response_action: 'push', view: modal('On top') });
    expect(api.lastView('U1')?.view.title).toMatchObject({ text: 'On top' });
    api.applySubmissionAck('U1', id, { response_action: 'clear' });
    expect(api.lastView('U1')).toBeUndefined();
  });

  it("refuses a next view Slack would refuse, and leaves the person's view as it was", async () => {
    const id = await openModal();
    const tooLong = { ...modal('A title far longer than Slack allows'), blocks: [] };
    expect(api.applySubmissionAck('U1', id, { response_action: 'update', view: tooLong })).toMatchObject({
      ok: false,
      error: 'invalid_blocks',
    });
    expect(api.lastView('U1')?.view.title).toMatchObject({ text: 'First' });
    expect(api.applySubmissionAck('U2', id, {})).toEqual({ ok: false, error: 'view_not_found' });
  });
});
