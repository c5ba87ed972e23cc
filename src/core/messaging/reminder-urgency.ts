import type { DbOrTx } from '../../store/database.ts';
import { daysBetween } from '../common/dates.ts';
import type { Policy } from '../policy/policy.ts';
import type { ReminderItems } from './reminder-items.ts';

// What the bot asks of an owner is either for action now (a review due or overdue, a reassessment a
// person asked for, anything on or past its date) or a heads-up (a review, a document or a finding's
// SLA coming up). Action-now items keep the vendor's live message; heads-ups go into the person's one
// daily digest. Where the line falls is policy (reminderActNowDays).

export type ReminderKind = keyof Policy['reminderActNowDays'];

/** Pure: whether an item of `kind` dated `on` asks for action today. */
export function needsActionNow(kind: ReminderKind, on: string, today: string, policy: Policy): boolean {
  return daysBetween(today, on) <= policy.reminderActNowDays[kind];
}

export interface SplitItems {
  now: Partial<ReminderItems>;
  headsUp: Partial<ReminderItems>;
}

/** Splits a reminder's items by urgency, reading the dates of its documents and findings. */
export async function splitByUrgency(
  db: DbOrTx,
  policy: Policy,
  today: string,
  add: Partial<ReminderItems>,
): Promise<SplitItems> {
  const now: Partial<ReminderItems> = {};
  const headsUp: Partial<ReminderItems> = {};
  if (add.assessmentId !== undefined) now.assessmentId = add.assessmentId;
  if (add.reviewDueOn) {
    const side = needsActionNow('review', add.reviewDueOn, today, policy) ? now : headsUp;
    side.reviewDueOn = add.reviewDueOn;
  }
  const evidenceIds = add.evidenceIds ?? [];
  if (evidenceIds.length > 0) {
    const docs = await db.selectFrom('evidence').select(['id', 'expires_on']).where('id', 'in', evidenceIds).execute();
    const dated = new Map(docs.map((d) => [d.id, d.expires_on]));
    for (const id of evidenceIds) {
      const on = dated.get(id);
      // A document gone from the store is the live message's business: it says what became of it.
      const side = on === undefined || needsActionNow('evidence', on, today, policy) ? now : headsUp;
      side.evidenceIds = [...(side.evidenceIds ?? []), id];
    }
  }
  const findingIds = add.findingIds ?? [];
  if (findingIds.length > 0) {
    const rows = await db.selectFrom('findings').select(['id', 'sla_due_on']).where('id', 'in', findingIds).execute();
    const dated = new Map(rows.map((f) => [f.id, f.sla_due_on]));
    for (const id of findingIds) {
      const on = dated.get(id);
      const side = on === undefined || needsActionNow('finding', on, today, policy) ? now : headsUp;
      side.findingIds = [...(side.findingIds ?? []), id];
    }
  }
  return { now, headsUp };
}
