import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.ts';
import { startTeamsHarness, type TeamsHarness } from '../support/bot-connector-harness.ts';
import { errorLines } from '../support/fuzz.ts';
import { actionExecute, personalMessage, postActivity } from '../support/teams-requests.ts';

// Teams activities that crashed a turn (a TypeError logged as "Teams turn failed") or got botbuilder's
// 501 before the activity checks: each is now answered below 500, with nothing logged as an error.

describe('malformed Teams activities', () => {
  let teams: TeamsHarness;
  beforeAll(async () => {
    teams = await startTeamsHarness(registry);
  });
  afterAll(() => teams.close());

  it('a task module fetch gets a refusal Teams can show, not a 501', async () => {
    const fetchTask = {
      ...actionExecute(teams.where, { verb: 'x', data: {} }, 'card-1'),
      name: 'task/fetch',
      value: { data: {} },
    };
    const answer = await postActivity(teams.botUrl, fetchTask);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ task: { type: 'message' } });
  });

  it('a message extension query gets a refusal, not a 501', async () => {
    const query = { ...actionExecute(teams.where, { verb: 'x', data: {} }, 'card-1'), name: 'composeExtension/query' };
    expect((await postActivity(teams.botUrl, query)).status).toBe(200);
  });

  it('a mention entity naming no account is a 400, not a TypeError in botbuilder', async () => {
    const message = personalMessage(teams.where, 'help');
    message.entities = [{ type: 'mention', text: '<at>x</at>', mentioned: null }];
    expect((await postActivity(teams.botUrl, message)).status).toBe(400);
  });

  it('an activity without a sender or conversation is a 400', async () => {
    const message = personalMessage(teams.where, 'help');
    expect((await postActivity(teams.botUrl, { ...message, from: null })).status).toBe(400);
    expect((await postActivity(teams.botUrl, { ...message, conversation: undefined })).status).toBe(400);
  });

  it('an adaptiveCard/action without its action gets a Universal Actions error response', async () => {
    const click = actionExecute(teams.where, { verb: 'finding.ack', data: { value: '1' } }, 'card-1');
    const answer = await postActivity(teams.botUrl, { ...click, value: { action: null } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error' });
  });

  it('none of the above logged an error', () => {
    expect(errorLines(teams.logs)).toEqual([]);
  });
});
