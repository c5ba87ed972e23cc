import type { Activity } from 'botbuilder';

// Teams resends an activity it did not see answered within about 15 seconds, with the same activity
// id in the same conversation. The first arrival claims the pair in `inbound_receipts`; a resend
// finds it taken and changes nothing. The claim comes before the work (not after), so a resend that
// arrives while the first is still running is refused too.

/** The dedupe key of an inbound activity; null when Teams gave it no id (nothing to dedupe by). */
export function receiptKey(activity: Pick<Activity, 'id' | 'conversation'>): string | null {
  if (!activity.id || !activity.conversation?.id) return null;
  return `teams:${activity.conversation.id}:${activity.id}`;
}
