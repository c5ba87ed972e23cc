import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FormValues, openForm, type Registry, reply } from '../../src/chat/command.ts';
import { ephemeral, type Form } from '../../src/chat/reply.ts';
import { createLogger } from '../../src/log.ts';
import { type OpenView, type SlackWebApi, startSlackWebApi } from '../../src/playground/slack-web-api.ts';
import { viewProblems } from '../../src/playground/slack-web-api-blocks.ts';
import { createSlackApp, type SlackApp } from '../../src/slack/app.ts';
import {
  deliver,
  interaction,
  type ResponseUrlCatcher,
  type StateValues,
  slashCommand,
  startResponseUrlCatcher,
  viewSubmission,
} from '../support/slack-requests.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

// Forms through the real app: a questionnaire too long for one modal is walked page by page and
// reaches its handler whole; a modal Slack refuses to open ends in an apology, not silence.

const SECRET = 'test-signing-secret';

const questionnaire: Form = {
  id: 'assessment.answer',
  title: 'Security questionnaire',
  submitLabel: 'Submit answers',
  state: 'assessment:3',
  intro: 'Answer **every** control.',
  fields: Array.from({ length: 150 }, (_, i) => ({ id: `c${i}`, label: `Control ${i}`, kind: 'text' as const })),
};

describe('Slack forms over HTTP', () => {
  let store: TestStore;
  let api: SlackWebApi;
  let responses: ResponseUrlCatcher;
  let slack: SlackApp;
  let server: Server;
  let endpoint: string;
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
    store = await createTestStore();
    api = await startSlackWebApi({
      channels: ['C1'],
      users: [{ id: 'U1', name: 'dana', realName: 'Dana Lee', displayName: 'dana' }],
    });
    responses = await startResponseUrlCatcher();
    const http = express();
    const config = { botToken: api.token, signingSecret: SECRET, appToken: undefined, apiUrl: api.url };
    slack = createSlackApp({
      config: { ...config, findingsChannel: undefined, approvalsChannel: undefined },
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

  const openQuestionnaire = () =>
    deliver(
      endpoint,
      slashCommand(
        {
          text: 'questionnaire',
          userId: 'U1',
          channelId: 'C1',
          responseUrl: responses.url(),
          triggerId: api.issueTrigger('U1'),
        },
        { secret: SECRET },
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
    return deliver(endpoint, interaction(payload, { secret: SECRET }));
  };

  it('walks a 150-question form page by page and hands every answer to the handler once', async () => {
    expect((await openQuestionnaire()).status).toBe(200);
    await vi.waitFor(() => expect(api.lastView('U1')).toBeDefined());
    const first = (api.lastView('U1') as OpenView).view as Parameters<typeof submitPage>[0];
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
    await vi.waitFor(() => expect(api.ephemerals('U1')[0]?.text).toBe('Thanks, 150 answers recorded.'));
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
    api.inject('views.open', { error: 'expired_trigger_id' });
    expect((await openQuestionnaire()).status).toBe(200);
    await vi.waitFor(() => expect(responses.posts).toHaveLength(1));
    expect(responses.posts[0]?.body).toMatchObject({
      response_type: 'ephemeral',
      text: 'Sorry, Slack would not open that form just now. Please try again.',
    });
    expect(api.lastView('U1')).toBeUndefined();
  });
});
