import { type Activity, type ConversationReference, TurnContext } from 'botbuilder';
import type { Clock } from '../core/clock.ts';
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
