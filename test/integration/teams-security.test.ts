import { afterEach, describe, expect, it } from 'vitest';
import { type Registry, reply } from '../../src/chat/command.ts';
import { inChannel } from '../../src/chat/reply.ts';
import { startTeamsHarness, type TeamsHarness, teamsConfig } from '../support/bot-connector-harness.ts';
import {
  actionExecute,
  botAddedToTeam,
  botInstalledPersonally,
  CHANNEL,
  DANA,
  OTHER_TENANT,
  PERSONAL_CONVERSATION,
  personalMessage,
  postActivity,
} from '../support/teams-requests.ts';

// Who gets served: tenants, tokens, resends; and what is kept for proactive sends.

let runs = 0;
const registry: Registry = {
  commands: [
    {
      name: 'posture',
      summary: 'Show a vendor',
      usage: 'posture <vendor>',
      examples: [],
      parse: (words: string[]) => words.join(' '),
      async run(_ctx, vendor: string) {
        runs += 1;
        return reply(inChannel(`Posture of ${vendor}`));
      },
    },
  ],
  actions: [
    {
      action: 'finding.ack',
      async run() {
        runs += 1;
        return reply(inChannel('Acknowledged'), true);
      },
    },
  ],
  forms: [],
};

let h: TeamsHarness | null = null;
afterEach(async () => {
  runs = 0;
  await h?.close();
  h = null;
});

function bot(): TeamsHarness {
  if (!h) throw new Error('no bot running');
  return h;
}

async function stored(table: 'people' | 'conversation_refs' | 'inbound_receipts'): Promise<number> {
  const rows = await bot()
    .store.db.selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(rows?.n ?? 0);
}

describe('Teams requests that must not be served twice or at all', () => {
  it('applies an activity that Teams resends once', async () => {
    h = await startTeamsHarness(registry);
    const message = personalMessage(bot().where, 'posture Acme');
    expect((await postActivity(bot().botUrl, message)).status).toBe(200);
    expect((await postActivity(bot().botUrl, message)).status).toBe(200);
    const click = actionExecute(bot().where, { verb: 'finding.ack', data: { value: '1' } }, 'card-1');
    await postActivity(bot().botUrl, click);
    const again = await postActivity(bot().botUrl, click);
    expect(runs).toBe(2);
    expect(bot().connector.calls.map((c) => c.kind)).toEqual(['reply', 'update']);
    expect((again.body as { value: string }).value).toBe('Already received.');
  });

  it('refuses a tenant that is not allowed with 403 and stores nothing', async () => {
    h = await startTeamsHarness(registry);
    const answer = await postActivity(
      bot().botUrl,
      personalMessage({ ...bot().where, tenant: OTHER_TENANT }, 'posture Acme'),
    );
    expect(answer.status).toBe(403);
    const click = await postActivity(
      bot().botUrl,
      actionExecute({ ...bot().where, tenant: OTHER_TENANT }, { verb: 'finding.ack', data: { value: '1' } }, 'c'),
    );
    expect(click.status).toBe(403);
    expect(runs).toBe(0);
    expect(bot().connector.calls).toEqual([]);
    expect([await stored('people'), await stored('conversation_refs'), await stored('inbound_receipts')]).toEqual([
      0, 0, 0,
    ]);
  });

  it('refuses every tenant while the allowed list is empty, and says why in the log', async () => {
    h = await startTeamsHarness(
      registry,
      teamsConfig({ allowedTenants: [], allowAnonymousDev: false, appId: 'x', appPassword: 'p', tenantId: 't' }),
    );
    expect(bot().logs.join('\n')).toContain('TEAMS_ALLOWED_TENANTS is empty');
  });

  it('rejects a missing or garbage token with 401 when an app id is configured, and runs nothing', async () => {
    const config = teamsConfig({
      appId: '0b1c2d3e-0000-4000-8000-0000000000ff',
      appPassword: 'not-a-real-secret',
      tenantId: '5f1a2b3c-0000-4000-8000-00000000000a',
      allowAnonymousDev: false,
    });
    h = await startTeamsHarness(registry, config);
    const missing = await postActivity(bot().botUrl, personalMessage(bot().where, 'posture Acme'));
    const garbage = await postActivity(bot().botUrl, personalMessage(bot().where, 'posture Acme'), {
      authorization: 'Bearer not.a.jwt',
    });
    expect([missing.status, garbage.status]).toEqual([401, 401]);
    expect(runs).toBe(0);
    expect(bot().connector.calls).toEqual([]);
    expect([await stored('people'), await stored('conversation_refs'), await stored('inbound_receipts')]).toEqual([
      0, 0, 0,
    ]);
  });

  it('in anonymous dev mode answers only loopback serviceUrls: a forged one gets 403 and nothing is stored or sent', async () => {
    h = await startTeamsHarness(registry);
    const forged = { ...bot().where, serviceUrl: 'https://collector.evil.example/' };
    const answer = await postActivity(bot().botUrl, personalMessage(forged, 'role @someone approver'));
    expect(answer.status).toBe(403);
    const click = await postActivity(
      bot().botUrl,
      actionExecute(forged, { verb: 'finding.ack', data: { value: '1' } }, 'card-9'),
    );
    expect(click.status).toBe(403);
    expect(runs).toBe(0);
    expect(bot().connector.calls).toEqual([]);
    expect([await stored('people'), await stored('conversation_refs'), await stored('inbound_receipts')]).toEqual([
      0, 0, 0,
    ]);
    expect(bot().logs.join('\n')).toContain('anonymous dev mode answers only loopback serviceUrls');
  });

  it('logs a loud warning when it runs without an app id', async () => {
    h = await startTeamsHarness(registry);
    expect(bot().logs.join('\n')).toContain('TEAMS ANONYMOUS DEV MODE');
  });
});

describe('conversation references for proactive sends', () => {
  it('keeps a reference per conversation on install and per person for 1:1 chats', async () => {
    h = await startTeamsHarness(registry);
    await postActivity(bot().botUrl, botAddedToTeam(bot().where));
    await postActivity(bot().botUrl, botInstalledPersonally(bot().where));
    await postActivity(bot().botUrl, personalMessage(bot().where, 'posture Acme'));
    const rows = await bot()
      .store.db.selectFrom('conversation_refs')
      .select(['key', 'reference'])
      .orderBy('key')
      .execute();
    expect(rows.map((r) => r.key)).toEqual([
      `teams:conv:${CHANNEL}`,
      `teams:conv:${PERSONAL_CONVERSATION}`,
      `teams:${DANA.aadObjectId}`,
    ]);
    const channel = JSON.parse(rows[0]?.reference ?? '{}');
    expect(channel).toMatchObject({
      serviceUrl: `${bot().connector.url}/`,
      conversation: { id: CHANNEL },
      channelId: 'msteams',
    });
    expect(channel.activityId).toBeUndefined();
  });
});
