import { webApi } from '@slack/bolt';
import { pino } from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { rememberPerson } from '../../src/core/roles/people.ts';
import { type SlackWebApi, startSlackWebApi } from '../../src/playground/slack-web-api.ts';
import { slackActor } from '../../src/slack/identity.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

let store: TestStore;
let slack: SlackWebApi;
beforeEach(async () => {
  store = await createTestStore();
  slack = await startSlackWebApi({
    token: 'xoxb-test',
    users: [{ id: 'U0PICKED', name: 'lee', realName: 'Morgan Lee', displayName: 'morgan' }],
  });
});
afterEach(async () => {
  await slack.close();
  await store.cleanup();
});

it('signs with the real printed name even when the person was first seen only as an id in a form', async () => {
  // Someone picked in the Assign form arrives with only an id; the core must not keep that as a name.
  await rememberPerson(store.db, store.clock, { id: 'slack:U0PICKED', name: 'slack:U0PICKED' });
  const client = new webApi.WebClient('xoxb-test', { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
  const actor = await slackActor(store.deps, client, 'U0PICKED', pino({ level: 'silent' }));
  expect(actor).toEqual({ id: 'slack:U0PICKED', name: 'Morgan Lee' });
});
