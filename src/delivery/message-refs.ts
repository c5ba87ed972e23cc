import type { Clock } from '../core/common/clock.ts';
import type { DbOrTx, Tx } from '../store/database.ts';
import type { PlatformMessage } from './sender.ts';

// `message_refs` remembers where the one message about a subject was posted for a target, so later
// changes edit it in place and history can be threaded under it. The id is stored as canonical JSON
// (fixed key order), so the same message always encodes to the same string and can be looked up by it.

export function encodeMessageRef(message: PlatformMessage): string {
  return JSON.stringify({ conversation: message.conversation, id: message.id });
}

export function decodeMessageRef(stored: string): PlatformMessage | null {
  try {
    const value = JSON.parse(stored) as Partial<PlatformMessage>;
    if (typeof value.conversation === 'string' && typeof value.id === 'string') {
      return { conversation: value.conversation, id: value.id };
    }
  } catch {
    // Not ours: treated as no message, so the next send posts afresh rather than failing forever.
  }
  return null;
}

export async function findMessageRef(db: DbOrTx, subject: string, target: string): Promise<PlatformMessage | null> {
  const row = await db
    .selectFrom('message_refs')
    .select('message_id')
    .where('subject', '=', subject)
    .where('target', '=', target)
    .executeTakeFirst();
  return row ? decodeMessageRef(row.message_id) : null;
}

export async function saveMessageRef(
  tx: Tx,
  clock: Clock,
  subject: string,
  target: string,
  message: PlatformMessage,
): Promise<void> {
  const messageId = encodeMessageRef(message);
  const now = clock.now().toISOString();
  await tx
    .insertInto('message_refs')
    .values({ subject, target, message_id: messageId, updated_at: now })
    .onConflict((oc) => oc.columns(['subject', 'target']).doUpdateSet({ message_id: messageId, updated_at: now }))
    .execute();
}
