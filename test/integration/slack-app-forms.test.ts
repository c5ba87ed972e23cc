import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FormValues, openForm, type Registry, reply } from '../../src/chat/command.ts';
import { ephemeral, type Form } from '../../src/chat/reply.ts';
import type { OpenView } from '../../src/playground/slack-web-api.ts';
import { viewProblems } from '../../src/playground/slack-web-api-blocks.ts';
import { type SlackHarness, startSlackHarness } from '../support/slack-harness.ts';
import { deliver, interaction, type StateValues, slashCommand, viewSubmission } from '../support/slack-requests.ts';

// Forms through the real app: a questionnaire too long for one modal is walked page by page and
// reaches its handler whole; a modal Slack refuses to open ends in an apology, not silence.

const questionnaire: Form = {
  id: 'assessment.answer',
  title: 'Security questionnaire',
  submitLabel: 'Submit answers',
  state: 'assessment:3',
  intro: 'Answer **every** control.',
  fields: Array.from({ length: 150 }, (_, i) => ({ id: `c${i}`, label: `Control ${i}`, kind: 'text' as const })),
};

describe('Slack forms over HTTP', () => {
  let slack: SlackHarness;
  let submitted: { values: FormValues; state: string }[];

  const registry: Registry = {
    commands: [
      {
        name: 'questionnaire',
        summary: 'Opens the questionnaire',
        usage: 'questionnaire',
        examples: [],
        parse: () => null,
        run: async () => openForm(questionnaire),
      },
    ],
    actions: [],
    forms: [
      {
        form: 'assessment.answer',
        submit: async (_ctx, values, state) => {
          submitted.push({ values, state });
          return reply(ephemeral(`Thanks, ${Object.keys(values).length} answers recorded.`));
        },
      },
    ],
  };

  beforeEach(async () => {
    submitted = [];
    slack = await startSlackHarness({ registry });
  });

  afterEach(() => slack.close());

  const openQuestionnaire = () =>
    deliver(
      slack.endpoint,
      slashCommand(
        {
          text: 'questionnaire',
          userId: 'U1',
          channelId: 'C1',
          responseUrl: slack.responses.url(),
          triggerId: slack.api.issueTrigger('U1'),
        },
        slack.sign,
      ),
    );

  /** Fills every input on a page with `<field id> answer` and submits it. */
  const submitPage = (view: { id?: string; callback_id: string; private_metadata: string; blocks: unknown[] }) => {
    const values: StateValues = {};
    for (const block of view.blocks as { type: string; block_id?: string }[]) {
      if (block.type !== 'input' || !block.block_id) continue;
      values[block.block_id] = { [block.block_id]: { type: 'plain_text_input', value: `${block.block_id} answer` } };
    }
    const payload = viewSubmission('U1', {
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values,
    });
    return deliver(slack.endpoint, interaction(payload, slack.sign));
  };

  it('walks a 150-question form page by page and hands every answer to the handler once', async () => {
    expect((await openQuestionnaire()).status).toBe(200);
    await vi.waitFor(() => expect(slack.api.lastView('U1')).toBeDefined());
    const first = (slack.api.lastView('U1') as OpenView).view as Parameters<typeof submitPage>[0];
    expect(first.blocks).toHaveLength(100);

    const next = await submitPage(first);
    const update = JSON.parse(next.body) as { response_action: string; view: Parameters<typeof submitPage>[0] };
    expect(update.response_action).toBe('update');
    expect(update.view.blocks).toHaveLength(51);
    expect(viewProblems(update.view, 'modal')).toEqual([]);
    expect(submitted).toHaveLength(0);

    const done = await submitPage(update.view);
    expect(done.status).toBe(200);
    expect(done.body).toBe('');
    expect(submitted).toHaveLength(1);
    expect(submitted[0]?.state).toBe('assessment:3');
    expect(Object.keys(submitted[0]?.values ?? {})).toHaveLength(150);
    expect(submitted[0]?.values.c0).toBe('c0 answer');
    expect(submitted[0]?.values.c149).toBe('c149 answer');
    await vi.waitFor(() => expect(slack.api.ephemerals('U1')[0]?.text).toBe('Thanks, 150 answers recorded.'));
  });

  it('asks the person to start again when a later page arrives for a form it no longer holds', async () => {
    const answer = await submitPage({
      callback_id: 'assessment.answer',
      private_metadata: JSON.stringify({ s: 'assessment:3', p: 1, n: 2, k: 'forgotten' }),
      blocks: [{ type: 'input', block_id: 'c120' }],
    });
    expect(JSON.parse(answer.body)).toEqual({
      response_action: 'errors',
      errors: { c120: 'This form expired while it was open. Close it and run the command again.' },
    });
    expect(submitted).toHaveLength(0);
  });

  it('apologises at the response_url when Slack refuses to open the modal', async () => {
    slack.api.inject('views.open', { error: 'expired_trigger_id' });
    expect((await openQuestionnaire()).status).toBe(200);
    await vi.waitFor(() => expect(slack.responses.posts).toHaveLength(1));
    expect(slack.responses.posts[0]?.body).toMatchObject({
      response_type: 'ephemeral',
      text: 'Sorry, Slack would not open that form just now. Please try again.',
    });
    expect(slack.api.lastView('U1')).toBeUndefined();
  });
});
