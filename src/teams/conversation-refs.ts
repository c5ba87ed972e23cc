import { type Activity, type ConversationReference, TurnContext } from 'botbuilder';
import type { Clock } from '../core/common/clock.ts';
import type { Db } from '../store/database.ts';
import { principalOf } from './identity.ts';

// Proactive sends (the outbox relay) need a conversation reference: the service URL, conversation
// and bot account Teams gave us. They are captured on install and on every message, keyed by the
// outbox targets that can name them: `teams:conv:<conversation id>` for any conversation, and
// `teams:<aad object id>` for a person's 1:1 chat with the bot.

/** A channel thread's id carries `;messageid=…`; the channel itself is the part before it. */
export function baseConversationId(id: string): string {
  return id.split(';messageid=')[0] ?? id;
}

export function conversationTarget(conversationId: string): string {
  return `teams:conv:${baseConversationId(conversationId)}`;
}

/** Stores the references this activity gives; returns the keys written. */
export async function captureReferences(db: Db, clock: Clock, activity: Activity): Promise<string[]> {
  if (!activity.serviceUrl || !activity.conversation?.id) return [];
  const reference = TurnContext.getConversationReference(activity);
  reference.conversation = { ...activity.conversation, id: baseConversationId(activity.conversation.id) };
  delete reference.activityId;
  const keys = [conversationTarget(activity.conversation.id)];
  if (activity.conversation.conversationType === 'personal' && activity.from) keys.push(principalOf(activity.from));
  const now = clock.now().toISOString();
  const json = JSON.stringify(reference);
  for (const key of keys) {
    await db
      .insertInto('conversation_refs')
      .values({ key, reference: json, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ reference: json, updated_at: now }))
      .execute();
  }
  return keys;
}

/**
 * A channel someone mentioned in a team the bot is in: the bot can post there (a new thread in that
 * channel, over the same service URL), though Teams told it nothing of the channel at install, which
 * only announces the team's General channel. Keeps a reference unless one is already known.
 */
export async function rememberMentionedChannels(
  db: Db,
  clock: Clock,
  activity: Activity,
  channels: readonly { id: string; name: string }[],
): Promise<void> {
  if (!activity.serviceUrl || activity.conversation?.conversationType !== 'channel') return;
  const now = clock.now().toISOString();
  for (const { id, name } of channels) {
    const reference = TurnContext.getConversationReference(activity);
    // The name is kept for showing the channel (src/teams/channel-names.ts).
    reference.conversation = { ...activity.conversation, id: baseConversationId(id), name };
    delete reference.activityId;
    await db
      .insertInto('conversation_refs')
      .values({ key: conversationTarget(id), reference: JSON.stringify(reference), updated_at: now })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    await nameChannel(db, conversationTarget(id), name);
  }
}

/** Adds the channel's name to a reference that lacks one (an install announces no name). */
async function nameChannel(db: Db, key: string, name: string): Promise<void> {
  const known = await findReference(db, key);
  if (!known?.conversation || known.conversation.name || !name.trim()) return;
  const reference = JSON.stringify({ ...known, conversation: { ...known.conversation, name } });
  await db.updateTable('conversation_refs').set({ reference }).where('key', '=', key).execute();
}

/** The stored reference for an outbox target, or null when the bot never heard from there. */
export async function findReference(db: Db, target: string): Promise<Partial<ConversationReference> | null> {
  const row = await db.selectFrom('conversation_refs').select('reference').where('key', '=', target).executeTakeFirst();
  if (!row) return null;
  try {
    return JSON.parse(row.reference) as Partial<ConversationReference>;
  } catch {
    return null;
  }
}
