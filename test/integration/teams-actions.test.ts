import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FormValues, openForm, type Registry, reply } from '../../src/chat/command.ts';
import { ephemeral, type Form, inChannel, mention } from '../../src/chat/reply.ts';
import { forbidden } from '../../src/core/common/errors.ts';
import { FORM_DRAFT_VERB, FORM_SUBMIT_VERB } from '../../src/teams/forms.ts';
import { startTeamsHarness, type TeamsHarness } from '../support/bot-connector-harness.ts';
import {
  actionExecute,
  DANA,
  LEE,
  PERSONAL_CONVERSATION,
  personalMessage,
  postActivity,
} from '../support/teams-requests.ts';

// Clicks on Action.Execute buttons and form submissions: the invoke response carries the new card
// (or a short message for the clicker), and the card is updated for everyone when the handler says so.

const submitted: { values: FormValues; state: string; actor: string }[] = [];

const noteForm: Form = {
  id: 'note.add',
  title: 'Add a note',
  submitLabel: 'Save',
  state: 'finding:12',
  fields: [
    { id: 'text', label: 'Note', kind: 'textarea' },
    { id: 'owner', label: 'Owner', kind: 'user', optional: true },
    {
      id: 'tags',
      label: 'Tags',
      kind: 'multiselect',
      options: [
        { value: 'a', label: 'A' },
        { value: 'b', label: 'B' },
      ],
    },
  ],
};

const registry: Registry = {
  commands: [
    {
      name: 'note',
      summary: 'Add a note',
      usage: 'note',
      examples: [],
      parse: () => null,
      run: async () => openForm(noteForm),
    },
  ],
  actions: [
    {
      action: 'finding.ack',
      run: async (ctx, value) =>
        reply(inChannel(`Finding ${value} acknowledged by ${mention(ctx.actor.id, ctx.actor.name)}`), true),
    },
    { action: 'intake.show', run: async (_ctx, value) => reply(ephemeral(`Finding ${value} is open.`)) },
    { action: 'finding.fixed', run: async () => openForm(noteForm) },
  ],
  forms: [
    {
      form: 'note.add',
      async submit(ctx, values, state) {
        if (values.text === 'x') return { fieldErrors: { text: 'Write at least two characters.' } };
        submitted.push({ values, state, actor: ctx.actor.id });
        return reply(inChannel(`Note saved on ${state}`));
      },
      async close(_ctx, values) {
        if (values.text === 'secret') throw forbidden('You may not keep drafts of this note.');
        drafts.push(values);
      },
    },
  ],
};

const drafts: FormValues[] = [];

let h: TeamsHarness;
beforeAll(async () => {
  h = await startTeamsHarness(registry);
});
afterAll(() => h.close());
beforeEach(() => {
  submitted.length = 0;
  h.connector.calls.length = 0;
});

type InvokeBody = { statusCode: number; type: string; value: unknown };

describe('card actions in Teams', () => {
  it('returns the updated card to the clicker and updates it in place for everyone', async () => {
    const answer = await postActivity(
      h.botUrl,
      actionExecute(h.where, { verb: 'finding.ack', data: { value: '12' } }, 'card-1'),
    );
    expect(answer.status).toBe(200);
    const body = answer.body as InvokeBody;
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(body.value)).toContain('Finding 12 acknowledged by <at>Dana Lee</at>');
    const [update] = h.connector.calls;
    expect(update).toMatchObject({ kind: 'update', conversationId: PERSONAL_CONVERSATION, activityId: 'card-1' });
    expect(JSON.stringify(update?.activity)).toContain('Finding 12 acknowledged');
  });

  it('answers an ephemeral reply to a click with a message only the clicker sees', async () => {
    const answer = await postActivity(
      h.botUrl,
      actionExecute(h.where, { verb: 'intake.show', data: { value: '7' } }, 'card-2'),
    );
    expect(answer.body).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'Finding 7 is open.',
    });
    expect(h.connector.calls).toEqual([]);
  });

  it('tells the clicker about a button that no longer exists', async () => {
    const answer = await postActivity(
      h.botUrl,
      actionExecute(h.where, { verb: 'gone.away', data: { value: '' } }, 'card-3'),
    );
    expect((answer.body as InvokeBody).value).toBe('That button is no longer supported. Try the command again.');
  });

  it('sends a form for a command and routes its submission to the form handler', async () => {
    await postActivity(h.botUrl, personalMessage(h.where, 'note'));
    const [formMessage] = h.connector.messages();
    const form = JSON.stringify(formMessage?.activity.attachments?.[0]?.content);
    expect(form).toContain('"type":"Input.Text","isMultiline":true');
    expect(form).toContain('"choices.data":{"type":"Data.Query","dataset":"graph.microsoft.com/users"}');
    expect(form).toContain(`"verb":"${FORM_SUBMIT_VERB}"`);
    h.connector.calls.length = 0;

    const data = {
      form: 'note.add',
      state: 'finding:12',
      own: true,
      'field:textarea:text': 'Vendor sent the SOC 2 report',
      'field:user:owner': LEE.aadObjectId,
      'field:multiselect:tags': 'a,b',
    };
    const answer = await postActivity(
      h.botUrl,
      actionExecute(h.where, { verb: FORM_SUBMIT_VERB, data }, formMessage?.id ?? ''),
    );
    expect(submitted).toEqual([
      {
        values: { text: 'Vendor sent the SOC 2 report', owner: `teams:${LEE.aadObjectId}`, tags: ['a', 'b'] },
        state: 'finding:12',
        actor: `teams:${DANA.aadObjectId}`,
      },
    ]);
    expect(JSON.stringify((answer.body as InvokeBody).value)).toContain('Note saved on finding:12');
    // The form was its own message: everyone now sees the result instead of the form.
    expect(h.connector.calls.map((c) => [c.kind, c.activityId])).toEqual([['update', formMessage?.id]]);
  });

  it('says a draft was saved only when the form handler kept it', async () => {
    const draft = (text: string) => ({ form: 'note.add', state: 'finding:12', own: true, 'field:textarea:text': text });
    const kept = await postActivity(
      h.botUrl,
      actionExecute(h.where, { verb: FORM_DRAFT_VERB, data: draft('half') }, 'f1'),
    );
    expect(String((kept.body as InvokeBody).value)).toMatch(/^Draft saved/);
    const refused = await postActivity(
      h.botUrl,
      actionExecute(h.where, { verb: FORM_DRAFT_VERB, data: draft('secret') }, 'f2'),
    );
    expect((refused.body as InvokeBody).value).toBe('You may not keep drafts of this note.');
    expect(drafts).toEqual([{ text: 'half' }]);
  });

  it('keeps the form and names the problem when the handler returns field errors', async () => {
    const data = { form: 'note.add', state: 'finding:12', own: true, 'field:textarea:text': 'x' };
    const answer = await postActivity(h.botUrl, actionExecute(h.where, { verb: FORM_SUBMIT_VERB, data }, 'form-9'));
    expect((answer.body as InvokeBody).value).toBe('Please check: Write at least two characters.');
    expect(submitted).toEqual([]);
    expect(h.connector.calls).toEqual([]);
  });

  it('draws a form opened from a button over the card, for the clicker only', async () => {
    const answer = await postActivity(
      h.botUrl,
      actionExecute(h.where, { verb: 'finding.fixed', data: { value: '12' } }, 'card-4'),
    );
    const card = JSON.stringify((answer.body as InvokeBody).value);
    expect(card).toContain('"own":false');
    expect(h.connector.calls).toEqual([]);
  });
});
