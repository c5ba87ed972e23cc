// Activities in the shapes the Bot Framework documents for Teams (message, invoke
// `adaptiveCard/action` with Action.Execute, conversationUpdate), and a client that POSTs them to
// the bot's /api/messages over real HTTP.

export const TENANT = '5f1a2b3c-0000-4000-8000-00000000000a';
export const OTHER_TENANT = '9e9e9e9e-0000-4000-8000-00000000000b';
export const BOT = { id: '28:7d3c0a5e-0000-4000-8000-0000000000b0', name: 'Vendor Risk' };
export const DANA = { id: '29:1dana', name: 'Dana Lee', aadObjectId: 'd0d0d0d0-0000-4000-8000-000000000001' };
export const LEE = { id: '29:1lee', name: 'Lee Park', aadObjectId: 'e1e1e1e1-0000-4000-8000-000000000002' };

export type Account = { id: string; name: string; aadObjectId?: string };
export type Activity = Record<string, unknown> & { id: string; type: string };

let counter = 0;
const nextId = () => `${1_700_000_000_000 + ++counter}`;

export interface Where {
  serviceUrl: string;
  tenant?: string;
  from?: Account;
}

export const PERSONAL_CONVERSATION = 'a:1personal-chat-with-dana';
export const CHANNEL = '19:risk-channel@thread.tacv2';
export const TEAM = '19:team-general@thread.tacv2';

function base(where: Where, conversation: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const tenant = where.tenant ?? TENANT;
  return {
    id: nextId(),
    timestamp: new Date().toISOString(),
    serviceUrl: `${where.serviceUrl}/`,
    channelId: 'msteams',
    from: where.from ?? DANA,
    recipient: BOT,
    locale: 'en-US',
    conversation: { tenantId: tenant, ...conversation },
    channelData: { tenant: { id: tenant }, ...extra },
  };
}

const personal = () => ({ conversationType: 'personal', id: PERSONAL_CONVERSATION });
const channel = (threadId: string) => ({
  conversationType: 'channel',
  isGroup: true,
  id: `${CHANNEL};messageid=${threadId}`,
});
const channelData = { teamsChannelId: CHANNEL, teamsTeamId: TEAM, channel: { id: CHANNEL }, team: { id: TEAM } };

/** A message typed in the 1:1 chat with the bot. */
export function personalMessage(where: Where, text: string, mentions: Account[] = []): Activity {
  return {
    ...base(where, personal()),
    type: 'message',
    textFormat: 'plain',
    text,
    entities: mentions.map(mentionEntity),
  };
}

/** A message in a channel thread that @mentions the bot first, as Teams requires there. */
export function channelMessage(where: Where, text: string, mentions: Account[] = []): Activity {
  const activity = base(where, channel('1700000000000'), channelData);
  return {
    ...activity,
    type: 'message',
    textFormat: 'plain',
    text: `<at>${BOT.name}</at> ${text}`,
    entities: [BOT, ...mentions].map(mentionEntity),
  };
}

/** Teams' mention entity: the account (29:… id and name, no object id) and the tag in the text. */
export function mentionEntity(account: Account): Record<string, unknown> {
  return { type: 'mention', text: `<at>${account.name}</at>`, mentioned: { id: account.id, name: account.name } };
}

/** A click on an Action.Execute button (or a form's submit) of the card `replyToId`. */
export function actionExecute(
  where: Where,
  action: { verb: string; data: Record<string, unknown> },
  replyToId: string,
  conversation: 'personal' | 'channel' = 'personal',
): Activity {
  const activity =
    conversation === 'personal' ? base(where, personal()) : base(where, channel('1700000000000'), channelData);
  return {
    ...activity,
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', verb: action.verb, data: action.data }, trigger: 'manual' },
  };
}

/** The bot being added to a team channel (install). */
export function botAddedToTeam(where: Where): Activity {
  return {
    ...base(
      where,
      { conversationType: 'channel', isGroup: true, id: CHANNEL },
      { ...channelData, eventType: 'teamMemberAdded' },
    ),
    type: 'conversationUpdate',
    membersAdded: [{ id: BOT.id }],
  };
}

/** The bot being installed in a person's 1:1 chat. */
export function botInstalledPersonally(where: Where): Activity {
  return { ...base(where, personal()), type: 'conversationUpdate', membersAdded: [{ id: BOT.id }] };
}

export interface BotAnswer {
  status: number;
  body: unknown;
}

export async function postActivity(
  botUrl: string,
  activity: Activity,
  headers: Record<string, string> = {},
): Promise<BotAnswer> {
  const response = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: keep the text.
  }
  return { status: response.status, body };
}
