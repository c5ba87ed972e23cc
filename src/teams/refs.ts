import type { Activity, ChannelAccount, Mention } from 'botbuilder';
import { mention } from '../chat/reply.ts';
import type { Actor } from '../core/actor.ts';

// Teams writes a mention into the text as `<at>Dana Lee</at>` and names the person in an entity
// beside it. Commands see neutral tokens instead (`<@teams:<aad object id>|Dana Lee>`), the same
// shape the Slack adapter produces, so "assign F-12 @Dana" means the same on both platforms.

/** Finds a mentioned account's Entra object id when the entity does not carry it (null: unknown). */
export type ResolveAccount = (account: ChannelAccount) => Promise<string | null>;

export interface NeutralText {
  text: string;
  /** The people mentioned, with the names Teams showed, to remember for cards and exports. */
  people: Actor[];
}

/** The message text with the bot's own mention removed and other mentions as neutral tokens. */
export async function neutralizeTeamsMentions(
  activity: Pick<Activity, 'text' | 'entities' | 'recipient'>,
  resolve: ResolveAccount,
): Promise<NeutralText> {
  let text = activity.text ?? '';
  const people: Actor[] = [];
  for (const entity of activity.entities ?? []) {
    if (entity.type !== 'mention') continue;
    const { text: tag, mentioned } = entity as unknown as Mention;
    if (!tag || !mentioned || !text.includes(tag)) continue;
    const name = plainName(mentioned.name || tag);
    if (mentioned.id === activity.recipient?.id) {
      text = text.replace(tag, () => ' ');
      continue;
    }
    const aad = mentioned.aadObjectId || (await resolve(mentioned));
    if (aad) people.push({ id: `teams:${aad}`, name });
    text = text.replace(tag, () => (aad ? mention(`teams:${aad}`, name) : `@${name}`));
  }
  return { text: decodeEntities(text.replace(/<\/?at>/g, '')).trim(), people };
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
