import type { Activity, ChannelAccount, Mention } from 'botbuilder';
import { channelRef } from '../chat/refs.ts';
import { mention } from '../chat/reply.ts';
import type { Actor } from '../core/common/actor.ts';

// Teams writes a mention into the text as `<at>Dana Lee</at>` and names the person in an entity
// beside it. Commands see neutral tokens instead (`<@teams:<aad object id>|Dana Lee>`), the same
// shape the Slack adapter produces, so "assign F-12 @Dana" means the same on both platforms. A
// channel of the team can be mentioned the same way (its entity names the `19:…` channel id); it
// becomes a channel token (`<#teams:conv:19:…|risk>`), so "subscribe #risk" works too.

/** Finds a mentioned account's Entra object id when the entity does not carry it (null: unknown). */
export type ResolveAccount = (account: ChannelAccount) => Promise<string | null>;

export interface NeutralText {
  text: string;
  /** The people mentioned, with the names Teams showed, to remember for cards and exports. */
  people: Actor[];
  /** The channels mentioned (`19:…` ids): the bot may post there, so their references are kept. */
  channels: { id: string; name: string }[];
}

/** Channel (and team) conversation ids start with `19:`; people's accounts with `29:`, bots' with `28:`. */
const CHANNEL_ID = /^19:\S+$/;

/** The message text with the bot's own mention removed and other mentions as neutral tokens. */
export async function neutralizeTeamsMentions(
  activity: Pick<Activity, 'text' | 'entities' | 'recipient'>,
  resolve: ResolveAccount,
): Promise<NeutralText> {
  let text = activity.text ?? '';
  const people: Actor[] = [];
  const channels: { id: string; name: string }[] = [];
  for (const entity of activity.entities ?? []) {
    if (entity.type !== 'mention') continue;
    const { text: tag, mentioned } = entity as unknown as Mention;
    if (!tag || !mentioned || !text.includes(tag)) continue;
    const name = plainName(mentioned.name || tag);
    if (mentioned.id === activity.recipient?.id) {
      text = text.replace(tag, () => ' ');
      continue;
    }
    if (CHANNEL_ID.test(mentioned.id)) {
      channels.push({ id: mentioned.id, name });
      text = text.replace(tag, () => channelRef(`teams:conv:${mentioned.id}`, name));
      continue;
    }
    const aad = mentioned.aadObjectId || (await resolve(mentioned));
    if (aad) people.push({ id: `teams:${aad}`, name });
    text = text.replace(tag, () => (aad ? mention(`teams:${aad}`, name) : `@${name}`));
  }
  return { text: decodeEntities(text.replace(/<\/?at>/g, '')).trim(), people, channels };
}

function plainName(raw: string): string {
  return decodeEntities(raw.replace(/<\/?at>/g, '')).trim();
}

// Teams sends typed text with a few HTML entities (a non-breaking space after a mention, quotes).
function decodeEntities(text: string): string {
  return text
    .replace(/&nbsp;|\u00a0/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
