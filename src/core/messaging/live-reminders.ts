import type { DbOrTx, Tx } from '../../store/database.ts';
import type { LiveReminderTable } from '../../store/tables.ts';
import { todayOf } from '../common/dates.ts';
import type { CoreDeps } from '../common/deps.ts';
import { isRenewed } from '../evidence/expiry.ts';
import { ACTIVE_STATES } from '../findings/states.ts';
import { enqueue } from './outbox.ts';
import { addToDigest, refreshDigests, takeFromDigest } from './owner-digest.ts';
import { hasItems, mergeItems, NO_ITEMS, type ReminderItems } from './reminder-items.ts';
import { splitByUrgency } from './reminder-urgency.ts';

// One live reminder message per vendor and person (or channel). Everything the bot asks of a vendor's
// owner on a day (the reassessment coming due or overdue, a document about to lapse, a finding near its
// SLA) is one message: the first reminder of the day posts it, later ones that day edit it in place, so
// nobody gets more than one reminder per vendor per day. A reminder on a later day posts a new message
// that carries what is still open, and the old one is edited to say it was replaced: its buttons go, so
// no stale "Start reassessment" stays clickable. When the work is done (the reassessment submitted, the
// document renewed) the live message is edited to say so. `live_reminders` names that message.
// Only what needs action now starts a vendor's message: a heads-up (something coming up) joins the
// vendor's message when there is one today, and otherwise goes into the person's daily digest
// (owner-digest.ts), so a busy day is one message per vendor that needs action plus one digest.

export type { ReminderItems } from './reminder-items.ts';

export interface VendorReminderData extends ReminderItems {
  vendorId: number;
  /** Set on the edit that retires the message: the day a newer reminder replaced it. */
  supersededOn?: string;
}

/** The subject of a vendor's reminder message of one day: a new day's reminder is a new message. */
export const reminderSubject = (vendorId: number, day: string) => `reminder:${vendorId}:${day}`;

function itemsOf(live: Pick<LiveReminderTable, 'data' | 'template'>): ReminderItems {
  const data = JSON.parse(live.data) as Partial<VendorReminderData>;
  if (live.template === 'reassessment-prompt') return { ...NO_ITEMS, assessmentId: Number(data.assessmentId) };
  return mergeItems(NO_ITEMS, data);
}

/** Of the items a message was about, those still waiting on someone: carried into the next day's message. */
export async function outstandingItems(db: DbOrTx, vendorId: number, items: ReminderItems): Promise<ReminderItems> {
  const vendor = await db
    .selectFrom('vendors')
    .select(['next_review_on', 'status'])
    .where('id', '=', vendorId)
    .executeTakeFirst();
  if (!vendor || vendor.status === 'offboarded') return NO_ITEMS;
  const reviewDueOn =
    items.reviewDueOn !== null && vendor.next_review_on === items.reviewDueOn ? items.reviewDueOn : null;
  const evidenceIds: number[] = [];
  for (const id of items.evidenceIds) {
    const doc = await db
      .selectFrom('evidence')
      .select(['vendor_id', 'type', 'expires_on'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (doc && !(await isRenewed(db, doc))) evidenceIds.push(id);
  }
  const findingIds =
    items.findingIds.length === 0
      ? []
      : (
          await db
            .selectFrom('findings')
            .select('id')
            .where('id', 'in', items.findingIds)
            .where('state', 'in', ACTIVE_STATES)
            .orderBy('id')
            .execute()
        ).map((f) => f.id);
  let assessmentId: number | undefined;
  if (items.assessmentId !== undefined) {
    const open = await db
      .selectFrom('assessments')
      .select('id')
      .where('id', '=', items.assessmentId)
      .where('status', '!=', 'submitted')
      .executeTakeFirst();
    if (open) assessmentId = open.id;
  }
  return mergeItems({ reviewDueOn, evidenceIds, findingIds }, assessmentId === undefined ? {} : { assessmentId });
}

async function liveOf(tx: Tx, vendorId: number, target: string) {
  return tx
    .selectFrom('live_reminders')
    .selectAll()
    .where('vendor_id', '=', vendorId)
    .where('target', '=', target)
    .executeTakeFirst();
}

async function stillQueued(tx: Tx, live: LiveReminderTable): Promise<boolean> {
  const row = await tx
    .selectFrom('outbox')
    .select('id')
    .where('subject', '=', live.subject)
    .where('target', '=', live.target)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row !== undefined;
}

async function setLive(tx: Tx, deps: CoreDeps, row: Omit<LiveReminderTable, 'updated_at'>): Promise<void> {
  const updated_at = deps.clock.now().toISOString();
  await tx
    .insertInto('live_reminders')
    .values({ ...row, updated_at })
    .onConflict((oc) =>
      oc.columns(['vendor_id', 'target']).doUpdateSet({
        subject: row.subject,
        template: row.template,
        data: row.data,
        posted_on: row.posted_on,
        updated_at,
      }),
    )
    .execute();
}

/** Edits the live message to say a newer one replaced it; its buttons go. Only a message that was posted changes. */
async function retire(tx: Tx, deps: CoreDeps, live: LiveReminderTable, today: string): Promise<void> {
  const data: VendorReminderData = { vendorId: live.vendor_id, ...itemsOf(live), supersededOn: today };
  await enqueue(tx, deps.clock, {
    key: `${live.subject}:superseded:${today}@${live.target}`,
    target: live.target,
    subject: live.subject,
    template: 'vendor-reminder',
    data,
  });
}

export interface VendorReminder {
  vendorId: number;
  target: string;
  /** Idempotency key of this reminder's outbox row. */
  key: string;
  add: Partial<ReminderItems>;
  late?: boolean;
}

/**
 * Queues a reminder about a vendor to one target: an edit of today's message when there is one; else
 * what needs action now starts a new message (carrying what the previous one asked and is still open,
 * and retiring it), and heads-ups go into the target's digest of the day.
 */
export async function remindAboutVendor(tx: Tx, deps: CoreDeps, r: VendorReminder): Promise<void> {
  const today = todayOf(deps);
  const live = await liveOf(tx, r.vendorId, r.target);
  // Today's message, or one not sent yet (a prompt still queued): this reminder joins it.
  if (live && (live.posted_on === today || (await stillQueued(tx, live)))) {
    const items = mergeItems(itemsOf(live), r.add);
    await enqueue(tx, deps.clock, {
      key: r.key,
      target: r.target,
      subject: live.subject,
      template: 'vendor-reminder',
      data: { vendorId: r.vendorId, ...items },
      late: r.late,
    });
    await setLive(tx, deps, { ...live, template: 'vendor-reminder', data: JSON.stringify(items) });
    return;
  }
  const { now, headsUp } = await splitByUrgency(tx, deps.policy, today, r.add);
  if (!hasItems(now)) {
    await addToDigest(tx, deps, { vendorId: r.vendorId, target: r.target, key: r.key, add: headsUp, late: r.late });
    return;
  }
  // The vendor's message of the day: what is due now, with its heads-ups (these and any already in
  // today's digest) beside them rather than in a second message about the same vendor.
  const carried = live ? await outstandingItems(tx, r.vendorId, itemsOf(live)) : NO_ITEMS;
  if (live) await retire(tx, deps, live, today);
  const fromDigest = await takeFromDigest(tx, deps, r);
  const items = mergeItems(mergeItems(carried, fromDigest), r.add);
  const subject = reminderSubject(r.vendorId, today);
  await enqueue(tx, deps.clock, {
    key: r.key,
    target: r.target,
    subject,
    template: 'vendor-reminder',
    data: { vendorId: r.vendorId, ...items },
    late: r.late,
  });
  await setLive(tx, deps, {
    vendor_id: r.vendorId,
    target: r.target,
    subject,
    template: 'vendor-reminder',
    data: JSON.stringify(items),
    posted_on: today,
  });
}

/**
 * A person asked for a reassessment and its prompt went out as its own message: it becomes the vendor's
 * live message for that target, and the reminder it replaces loses its buttons.
 */
export async function adoptPrompt(
  tx: Tx,
  deps: CoreDeps,
  p: { vendorId: number; target: string; subject: string; assessmentId: number },
): Promise<void> {
  const today = todayOf(deps);
  const live = await liveOf(tx, p.vendorId, p.target);
  if (live && live.subject !== p.subject) await retire(tx, deps, live, today);
  await setLive(tx, deps, {
    vendor_id: p.vendorId,
    target: p.target,
    subject: p.subject,
    template: 'reassessment-prompt',
    data: JSON.stringify({ assessmentId: p.assessmentId }),
    posted_on: today,
  });
}

/**
 * Redraws every live reminder message about a vendor, and today's digests that list it, after what they
 * ask for changed (the reassessment submitted, a document renewed): done items say so, and with nothing
 * left the buttons go.
 */
export async function refreshLiveReminders(tx: Tx, deps: CoreDeps, vendorId: number, why: string): Promise<void> {
  const live = await tx.selectFrom('live_reminders').selectAll().where('vendor_id', '=', vendorId).execute();
  const at = deps.clock.now().toISOString();
  for (const row of live) {
    // A prompt is redrawn by its own edit (the reassessment's "submitted" line).
    if (row.template !== 'vendor-reminder') continue;
    await enqueue(tx, deps.clock, {
      key: `${row.subject}:${why}:${at}@${row.target}`,
      target: row.target,
      subject: row.subject,
      template: 'vendor-reminder',
      data: { vendorId, ...itemsOf(row) },
    });
  }
  await refreshDigests(tx, deps, vendorId, why);
}
