import { PERSONAS, type Persona } from '../../scenarios/driver.ts';
import { CHANNEL_PLACEHOLDER, PEOPLE, PERSON_PLACEHOLDER } from '../../scenarios/personas.ts';
import { type Activity, BOT, TENANT } from '../teams-requests.ts';

// Activities as Teams sends them for the scenarios' people: each persona with a Teams account id, an
// Entra object id and a 1:1 chat with the bot; a team with channels; mentions of people and channels
// written into the text as `<at>…</at>` with a mention entity beside each.

export const TEAM_ID = '19:team-vendor-risk@thread.tacv2';
export const channelId = (name: string) => `19:${name}@thread.tacv2`;
/** Where people type commands that mention someone (mentions need a conversation with others in it). */
export const COMMAND_CHANNEL = channelId('risk');
export const personalChat = (persona: Persona) => `a:1personal-chat-${persona}`;

export function teamsAccount(persona: Persona): { id: string; name: string; aadObjectId: string } {
  const n = PERSONAS.indexOf(persona);
  return {
    id: `29:1${persona}`,
    name: PEOPLE[persona].name,
    aadObjectId: `a0a0a0a${n}-0000-4000-8000-00000000000${n}`,
  };
}

let counter = 0;
const nextId = () => `${1_780_000_000_000 + ++counter}`;

function base(serviceUrl: string, persona: Persona, conversation: Record<string, unknown>, extra = {}) {
  return {
    id: nextId(),
    timestamp: new Date().toISOString(),
    serviceUrl: `${serviceUrl}/`,
    channelId: 'msteams',
    from: teamsAccount(persona),
    recipient: BOT,
    locale: 'en-US',
    conversation: { tenantId: TENANT, ...conversation },
    channelData: { tenant: { id: TENANT }, ...extra },
  };
}

const teamData = (channel: string) => ({
  teamsChannelId: channel,
  teamsTeamId: TEAM_ID,
  channel: { id: channel },
  team: { id: TEAM_ID },
});

/** A conversation id as Teams names it: a channel message's own thread, or a 1:1 chat. */
export function conversationOf(conversation: string): Record<string, unknown> {
  if (conversation.startsWith('a:')) return { conversationType: 'personal', id: conversation };
  return { conversationType: 'channel', isGroup: true, id: conversation };
}

function channelPart(conversation: string): string {
  return conversation.split(';messageid=')[0] ?? conversation;
}

/** What a person types, with mentions as Teams writes them; a mention means it is typed in a channel. */
export function typed(serviceUrl: string, persona: Persona, text: string): Activity {
  const entities: Record<string, unknown>[] = [];
  const mention = (id: string, name: string) => {
    entities.push({ type: 'mention', text: `<at>${name}</at>`, mentioned: { id, name } });
    return `<at>${name}</at>`;
  };
  const withMentions = text
    .replace(PERSON_PLACEHOLDER, (_, p: string) => mention(teamsAccount(p as Persona).id, PEOPLE[p as Persona].name))
    .replace(CHANNEL_PLACEHOLDER, (_, c: string) => mention(channelId(c), c));
  if (entities.length === 0) {
    return {
      ...base(serviceUrl, persona, conversationOf(personalChat(persona))),
      type: 'message',
      text,
      textFormat: 'plain',
    };
  }
  // In a channel Teams only passes on messages that @mention the bot, so the bot is mentioned first.
  const root = nextId();
  const bot = { type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT };
  return {
    ...base(serviceUrl, persona, conversationOf(`${COMMAND_CHANNEL};messageid=${root}`), teamData(COMMAND_CHANNEL)),
    id: root,
    type: 'message',
    text: `<at>${BOT.name}</at> ${withMentions}`,
    textFormat: 'plain',
    entities: [bot, ...entities],
  };
}

/** A click on an Action.Execute of the message `replyToId` in `conversation`. */
export function invoke(
  serviceUrl: string,
  persona: Persona,
  conversation: string,
  replyToId: string,
  action: { verb: string; data: Record<string, unknown> },
): Activity {
  const extra = conversation.startsWith('a:') ? {} : teamData(channelPart(conversation));
  return {
    ...base(serviceUrl, persona, conversationOf(conversation), extra),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', ...action }, trigger: 'manual' },
  };
}

/** The bot installed in a person's 1:1 chat, or added to a team channel. */
export function installed(serviceUrl: string, persona: Persona, channel?: string): Activity {
  const conversation = channel ? conversationOf(channel) : conversationOf(personalChat(persona));
  const extra = channel ? { ...teamData(channel), eventType: 'teamMemberAdded' } : {};
  return {
    ...base(serviceUrl, persona, conversation, extra),
    type: 'conversationUpdate',
    membersAdded: [{ id: BOT.id }],
  };
}
