import { afterEach, describe, expect, it } from 'vitest';
import { type Registry, reply } from '../../src/chat/command.ts';
import { inChannel } from '../../src/chat/reply.ts';
import type { BotConnector } from '../support/bot-connector.ts';
import { startTeamsHarness, type TeamsHarness, teamsConfig } from '../support/bot-connector-harness.ts';
import { type Claims, channelClaims, newSigningKey, signToken } from '../support/bot-framework-tokens.ts';
import {
  type Activity,
  actionExecute,
  botAddedToTeam,
  CHANNEL,
  OTHER_TENANT,
  personalMessage,
  postActivity,
  TENANT,
} from '../support/teams-requests.ts';

// Inbound authentication of POST /api/messages over real HTTP, with an app id configured: tokens are
// checked against the Bot Connector stand-in's OpenID metadata and signing key. Every token an
// attacker (or a misconfigured proxy) could present is refused with 401 before anything is stored; a
// valid token from a tenant the deployment does not serve gets 403; keys that cannot be fetched are
// our problem (503, logged), never a 500.

const APP_ID = '0b1c2d3e-0000-4000-8000-0000000000ff';

let runs = 0;
const registry: Registry = {
  commands: [
    {
      name: 'posture',
      summary: 'Show a vendor',
      usage: 'posture <vendor>',
      examples: [],
      parse: (words: string[]) => words.join(' '),
      async run() {
        runs += 1;
        return reply(inChannel('Posture'));
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

const authenticated = (connector: BotConnector, metadataUrl = connector.openIdMetadataUrl) =>
  teamsConfig({
    appId: APP_ID,
    appPassword: 'not-a-real-secret',
    tenantId: TENANT,
    allowAnonymousDev: false,
    openIdMetadataUrl: metadataUrl,
  });

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

/** Rows a served request would leave: receipts, references, people, audit. */
async function stored(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['inbound_receipts', 'conversation_refs', 'people', 'audit_log', 'outbox'] as const) {
    const row = await bot()
      .store.db.selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}
const NOTHING = { inbound_receipts: 0, conversation_refs: 0, people: 0, audit_log: 0, outbox: 0 };

/** POSTs the activity with a token for it (its serviceUrl), signed by the stand-in's key unless told. */
function send(activity: Activity, claims: Claims = {}, key = bot().connector.signingKey, kid?: string) {
  const token = signToken(channelClaims(APP_ID, String(activity.serviceUrl), claims), key, kid);
  return postActivity(bot().botUrl, activity, { authorization: `Bearer ${token}` });
}

const refusals = () => bot().logs.filter((l) => l.includes('Teams request refused: not authenticated'));

describe('Teams inbound authentication with an app id', () => {
  it('serves a valid channel token: the install is answered and its conversation reference kept', async () => {
    h = await startTeamsHarness(registry, (c) => authenticated(c));
    const answer = await send(botAddedToTeam(bot().where));
    expect(answer.status).toBe(200);
    const refs = await bot().store.db.selectFrom('conversation_refs').select('key').execute();
    expect(refs.map((r) => r.key)).toEqual([`teams:conv:${CHANNEL}`]);
  });

  it('answers 401 to a token signed by a key it does not know, and stores nothing', async () => {
    h = await startTeamsHarness(registry, (c) => authenticated(c));
    const stranger = newSigningKey('attacker-key');
    const unknownKid = await send(personalMessage(bot().where, 'posture Acme'), {}, stranger);
    // The attacker names the real key id but signs with their own key: botbuilder alone answers 500 here.
    const borrowedKid = await send(
      personalMessage(bot().where, 'posture Acme'),
      {},
      stranger,
      bot().connector.signingKey.kid,
    );
    const click = await send(
      actionExecute(bot().where, { verb: 'finding.ack', data: { value: '1' } }, 'card-1'),
      {},
      stranger,
      bot().connector.signingKey.kid,
    );
    expect([unknownKid.status, borrowedKid.status, click.status]).toEqual([401, 401, 401]);
    expect(unknownKid.body).toEqual({ error: 'unauthorized' });
    expect(runs).toBe(0);
    expect(bot().connector.calls).toEqual([]);
    expect(await stored()).toEqual(NOTHING);
    expect(refusals().join('\n')).toContain('signature not valid');
  });

  it('answers 401 to expired, wrong-audience, wrong-issuer and not-yet-valid tokens, and stores nothing', async () => {
    h = await startTeamsHarness(registry, (c) => authenticated(c));
    const now = Math.floor(Date.now() / 1000);
    const message = () => personalMessage(bot().where, 'posture Acme');
    const answers = [
      await send(message(), { exp: now - 3600, nbf: now - 7200 }),
      await send(message(), { aud: '11111111-0000-4000-8000-000000000000' }),
      await send(message(), { iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/' }),
      await send(message(), { nbf: now + 3600, exp: now + 7200 }),
      await send(message(), { exp: undefined }),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    expect(runs).toBe(0);
    expect(await stored()).toEqual(NOTHING);
    const reasons = refusals().join('\n');
    for (const why of [
      'token expired',
      'another bot (aud)',
      'not issued by the Bot Framework channel',
      'not valid yet',
    ]) {
      expect(reasons).toContain(why);
    }
  });

  it('trusts a serviceUrl only from the token: one minted for another serviceUrl is refused and nothing is sent there', async () => {
    h = await startTeamsHarness(registry, (c) => authenticated(c));
    const forged = personalMessage({ ...bot().where, serviceUrl: 'https://collector.evil.example' }, 'posture Acme');
    const token = signToken(channelClaims(APP_ID, `${bot().connector.url}/`), bot().connector.signingKey);
    const answer = await postActivity(bot().botUrl, forged, { authorization: `Bearer ${token}` });
    expect(answer.status).toBe(401);
    expect(refusals().join('\n')).toContain('another serviceUrl');
    expect(runs).toBe(0);
    expect(await stored()).toEqual(NOTHING);
  });

  it('refuses a missing, malformed or non-Bearer authorization with 401', async () => {
    h = await startTeamsHarness(registry, (c) => authenticated(c));
    const message = () => personalMessage(bot().where, 'posture Acme');
    const valid = signToken(channelClaims(APP_ID, `${bot().connector.url}/`), bot().connector.signingKey);
    const answers = [
      await postActivity(bot().botUrl, message()),
      await postActivity(bot().botUrl, message(), { authorization: 'Bearer not.a.jwt' }),
      await postActivity(bot().botUrl, message(), { authorization: `Basic ${valid}` }),
      await postActivity(bot().botUrl, message(), { authorization: `Bearer ${valid.slice(0, -4)}AAAA` }),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401]);
    expect(await stored()).toEqual(NOTHING);
  });

  it('gives a valid token from a tenant the deployment does not serve 403, and stores nothing', async () => {
    h = await startTeamsHarness(registry, (c) => authenticated(c));
    const elsewhere = { ...bot().where, tenant: OTHER_TENANT };
    const install = await send(botAddedToTeam(elsewhere));
    const message = await send(personalMessage(elsewhere, 'posture Acme'));
    expect([install.status, message.status]).toEqual([403, 403]);
    expect(runs).toBe(0);
    expect(await stored()).toEqual(NOTHING);
  });

  it('answers 503 and logs an error when the signing keys cannot be fetched, never 500', async () => {
    h = await startTeamsHarness(registry, (c) =>
      authenticated(c, 'http://127.0.0.1:9/v1/.well-known/openidconfiguration'),
    );
    const answer = await send(personalMessage(bot().where, 'posture Acme'));
    expect(answer.status).toBe(503);
    expect(await stored()).toEqual(NOTHING);
    const errors = bot().logs.filter((l) => JSON.parse(l).level >= 50);
    expect(errors.join('\n')).toContain('could not fetch the Bot Framework signing keys');
  });
});
