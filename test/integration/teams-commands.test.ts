import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Registry, reply } from '../../src/chat/command.ts';
import { parseUserRef } from '../../src/chat/refs.ts';
import { ephemeral, inChannel, mention } from '../../src/chat/reply.ts';
import { UserError } from '../../src/core/common/errors.ts';
import { startTeamsHarness, type TeamsHarness } from '../support/bot-connector-harness.ts';
import {
  BOT,
  CHANNEL,
  channelMessage,
  DANA,
  LEE,
  PERSONAL_CONVERSATION,
  personalMessage,
  postActivity,
} from '../support/teams-requests.ts';

// Typed commands over real HTTP: Teams -> /api/messages -> teams-ai -> dispatch -> the reply at the
// Bot Connector stand-in.

const seen: string[] = [];

const registry: Registry = {
  commands: [
    {
      name: 'posture',
      summary: 'Show a vendor',
      usage: 'posture <vendor>',
      examples: ['posture "Acme CRO"'],
      parse(words: string[]) {
        if (words.length === 0) throw new UserError('bad_arguments', 'Name a vendor.');
        return words.join(' ');
      },
      async run(_ctx, vendor: string) {
        seen.push(vendor);
        return reply(
          inChannel(`Posture of ${vendor}`, [
            { type: 'header', text: `Posture: ${vendor}` },
            { type: 'fields', fields: [{ label: 'Grade', value: 'B' }] },
            { type: 'actions', buttons: [{ action: 'finding.ack', label: 'Acknowledge', value: '12' }] },
          ]),
        );
      },
    },
    {
      name: 'whois',
      summary: 'Name a person',
      usage: 'whois @person',
      examples: ['whois @Dana'],
      parse(words: string[]) {
        const principal = parseUserRef(words[0] ?? '');
        if (!principal) throw new UserError('bad_arguments', 'Mention a person.');
        return { principal, token: words[0] ?? '' };
      },
      async run(_ctx, args: { principal: string; token: string }) {
        return reply(ephemeral(`${args.token} is ${args.principal}`));
      },
    },
    {
      name: 'boom',
      summary: 'Fails',
      usage: 'boom',
      examples: [],
      parse: () => null,
      async run() {
        throw new Error('SQLITE_CORRUPT: secret detail');
      },
    },
  ],
  actions: [],
  forms: [],
};

let h: TeamsHarness;
beforeAll(async () => {
  h = await startTeamsHarness(registry);
  h.connector.members.set(LEE.id, { id: LEE.id, name: LEE.name, aadObjectId: LEE.aadObjectId });
});
afterAll(() => h.close());
beforeEach(() => {
  seen.length = 0;
  h.connector.calls.length = 0;
});

function cardOf(index = 0): string {
  return JSON.stringify(h.connector.messages()[index]?.activity.attachments?.[0]?.content ?? null);
}

describe('commands typed to the bot in Teams', () => {
  it('answers a personal-chat command as a reply card, with or without the leading "vendor"', async () => {
    const first = personalMessage(h.where, 'vendor posture "Acme CRO"');
    expect((await postActivity(h.botUrl, first)).status).toBe(200);
    await postActivity(h.botUrl, personalMessage(h.where, 'posture “Acme CRO”'));
    expect(seen).toEqual(['Acme CRO', 'Acme CRO']);
    const [reply] = h.connector.messages();
    expect(reply).toMatchObject({ kind: 'reply', conversationId: PERSONAL_CONVERSATION, activityId: first.id });
    const card = reply?.activity.attachments?.[0]?.content as { version: string; body: { type: string }[] };
    expect(card.version).toBe('1.5');
    expect(JSON.stringify(card)).toContain('"verb":"finding.ack"');
    expect(JSON.stringify(card)).toContain('"data":{"value":"12"}');
    expect(JSON.stringify(card)).toContain('Posture: Acme CRO');
  });

  it('takes a command from a channel only through an @mention, and answers in that thread', async () => {
    const message = channelMessage(h.where, 'posture "Acme CRO"');
    await postActivity(h.botUrl, message);
    expect(seen).toEqual(['Acme CRO']);
    const [reply] = h.connector.messages();
    expect(reply?.conversationId).toBe(`${CHANNEL};messageid=1700000000000`);
    expect(reply?.activityId).toBe(message.id);
  });

  it('turns @mentions of other people into neutral tokens with their Entra object id', async () => {
    await postActivity(h.botUrl, channelMessage(h.where, `whois <at>${LEE.name}</at>`, [LEE]));
    const card = cardOf();
    expect(card).toContain(`is teams:${LEE.aadObjectId}`);
    // The answer is addressed to the person who asked, with real mention entities.
    expect(card).toContain(`"mentioned":{"id":"${DANA.aadObjectId}","name":"${DANA.name}"}`);
    const people = await h.store.db
      .selectFrom('people')
      .selectAll()
      .where('principal', '=', `teams:${LEE.aadObjectId}`)
      .execute();
    expect(people.map((p) => p.display_name)).toEqual([LEE.name]);
  });

  it('shows the same usage errors as Slack', async () => {
    await postActivity(h.botUrl, personalMessage(h.where, 'posture'));
    const card = cardOf();
    expect(card).toContain('Name a vendor.');
    expect(card).toContain('Usage: posture <vendor>');
    expect(seen).toEqual([]);
  });

  it('answers a failing handler with an apology and a reference, never the error text', async () => {
    await postActivity(h.botUrl, personalMessage(h.where, 'boom'));
    const card = cardOf();
    expect(card).toContain('Sorry, something went wrong on our side');
    expect(card).not.toContain('SQLITE_CORRUPT');
  });

  it('remembers who typed the command under their Entra object id', async () => {
    await postActivity(h.botUrl, personalMessage(h.where, 'posture Acme'));
    const row = await h.store.db
      .selectFrom('people')
      .selectAll()
      .where('principal', '=', `teams:${DANA.aadObjectId}`)
      .executeTakeFirst();
    expect(row?.display_name).toBe(DANA.name);
    expect(mention(`teams:${DANA.aadObjectId}`, DANA.name)).toContain(DANA.aadObjectId);
    expect(BOT.id).not.toBe(DANA.id);
  });
});
