import { describe, expect, it } from 'vitest';
import type { TeamsConfig } from '../../src/config.ts';
import { parseRetryAfter } from '../../src/teams/connector-http.ts';
import { baseConversationId, conversationTarget } from '../../src/teams/conversation-refs.ts';
import { tenantAllowed, tenantOf } from '../../src/teams/endpoint.ts';
import { neutralizeTeamsMentions } from '../../src/teams/refs.ts';
import { withoutVendorWord } from '../../src/teams/turns.ts';

const BOT = { id: '28:bot', name: 'Vendor Risk' };
const LEE = { id: '29:lee', name: 'Lee Park' };
const LEE_AAD = 'e1e1e1e1-0000-4000-8000-000000000002';

describe('Teams text to command text', () => {
  it('turns mentions of people into neutral tokens and drops the bot mention', async () => {
    const result = await neutralizeTeamsMentions(
      {
        text: '<at>Vendor Risk</at> assign F-1 <at>Lee Park</at>&nbsp;now',
        recipient: BOT,
        entities: [
          { type: 'mention', text: '<at>Vendor Risk</at>', mentioned: BOT },
          { type: 'mention', text: '<at>Lee Park</at>', mentioned: LEE },
        ],
      },
      async (account) => (account.id === LEE.id ? LEE_AAD : null),
    );
    expect(result.text).toBe(`assign F-1 <@teams:${LEE_AAD}|Lee Park> now`);
    expect(result.people).toEqual([{ id: `teams:${LEE_AAD}`, name: 'Lee Park' }]);
  });

  it('keeps a person it cannot identify as plain text', async () => {
    const result = await neutralizeTeamsMentions(
      {
        text: 'whois <at>Ghost</at>',
        recipient: BOT,
        entities: [{ type: 'mention', text: '<at>Ghost</at>', mentioned: { id: '29:x', name: 'Ghost' } }],
      },
      async () => null,
    );
    expect(result.text).toBe('whois @Ghost');
  });

  it('accepts commands with or without the leading "vendor"', () => {
    expect(withoutVendorWord('vendor posture "Acme CRO"')).toBe('posture "Acme CRO"');
    expect(withoutVendorWord('/vendor help')).toBe('help');
    expect(withoutVendorWord('vendors')).toBe('vendors');
    expect(withoutVendorWord('Vendor')).toBe('');
  });
});

describe('who Teams serves', () => {
  const config = (over: Partial<TeamsConfig>): TeamsConfig => ({
    appId: 'app',
    appPassword: 'secret',
    tenantId: 'T1',
    appType: 'SingleTenant',
    allowedTenants: ['5F1A2B3C-0000-4000-8000-00000000000A'],
    allowAnonymousDev: false,
    findingsConversation: undefined,
    approvalsConversation: undefined,
    ...over,
  });

  it('serves listed tenants only, compared without regard to case', () => {
    const tenant = tenantOf({
      channelData: { tenant: { id: '5f1a2b3c-0000-4000-8000-00000000000a' } },
      conversation: { id: 'x' } as never,
    });
    expect(tenantAllowed(config({}), tenant)).toBe(true);
    expect(tenantAllowed(config({}), 'other')).toBe(false);
    expect(tenantAllowed(config({}), null)).toBe(false);
  });

  it('serves nobody while the list is empty, except in anonymous dev mode', () => {
    expect(tenantAllowed(config({ allowedTenants: [] }), 'any')).toBe(false);
    expect(tenantAllowed(config({ allowedTenants: [], allowAnonymousDev: true }), 'any')).toBe(false);
    expect(tenantAllowed(config({ allowedTenants: [], appId: '', allowAnonymousDev: true }), 'any')).toBe(true);
  });

  it('finds the tenant on the conversation when channelData has none', () => {
    expect(tenantOf({ channelData: {}, conversation: { id: 'x', tenantId: 'ABC' } as never })).toBe('abc');
  });
});

describe('conversation keys and retry hints', () => {
  it('keys a channel thread by its channel', () => {
    expect(baseConversationId('19:c@thread.tacv2;messageid=17')).toBe('19:c@thread.tacv2');
    expect(conversationTarget('19:c@thread.tacv2;messageid=17')).toBe('teams:conv:19:c@thread.tacv2');
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(parseRetryAfter('3')).toBe(3_000);
    expect(parseRetryAfter('Mon, 01 Jun 2026 09:00:10 GMT', Date.parse('2026-06-01T09:00:00Z'))).toBe(10_000);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
});
