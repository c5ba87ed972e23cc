import { outstandingItems } from '../../core/messaging/live-reminders.ts';
import { mergeItems, NO_ITEMS } from '../../core/messaging/reminder-items.ts';
import { type ComingUpItem, type ComingUpVendor, listsSomething, ownerDigest } from '../views/owner-digest.ts';
import { itemProgress, wasPosted } from './reminders.ts';
import type { NotificationRenderer } from './types.ts';

// A person's "Coming up" digest, read from the store when it is sent: what is still coming up, and
// what was done since (the reassessment submitted, the document renewed, the finding closed). A first
// post with nothing left to say is not sent.

export const renderOwnerDigest: NotificationRenderer<'owner-digest'> = async ({
  deps,
  data: queued,
  today,
  late,
  row,
}) => {
  // The digest as it stands now: a vendor moved to its own reminder after this row was queued is no
  // longer in it, so a first post that only listed it is not sent at all.
  const stored = await deps.db
    .selectFrom('owner_digests')
    .select('data')
    .where('target', '=', row.target)
    .where('day', '=', queued.day)
    .executeTakeFirst();
  const data = stored ? (JSON.parse(stored.data) as typeof queued) : queued;
  const posted = await wasPosted(deps.db, row.subject, row.target);
  const vendors: ComingUpVendor[] = [];
  for (const entry of data.vendors) {
    const vendor = await deps.db
      .selectFrom('vendors')
      .select(['id', 'name', 'tier', 'status'])
      .where('id', '=', entry.vendorId)
      .executeTakeFirst();
    if (!vendor) continue;
    const items = mergeItems(NO_ITEMS, entry);
    const still = await outstandingItems(deps.db, vendor.id, items);
    const open: ComingUpItem[] = [];
    const done: string[] = [];
    if (vendor.status === 'offboarded') done.push('Offboarded: nothing more is asked.');
    else if (items.reviewDueOn !== null) {
      if (still.reviewDueOn !== null) open.push({ kind: 'review', on: still.reviewDueOn });
      else done.push(`The reassessment due ${items.reviewDueOn} is done.`);
    }
    const progress = await itemProgress(deps.db, items, still);
    for (const e of progress.evidence) open.push({ kind: 'evidence', on: e.expiresOn, label: e.label });
    for (const f of progress.findings) open.push({ kind: 'finding', on: f.dueOn, id: f.id, title: f.title });
    if (vendor.status !== 'offboarded') done.push(...progress.done);
    vendors.push({ vendor, items: open, done });
  }
  const input = { today, vendors, late: late || data.late === true };
  // An edit changes a message that was posted; a first post says something only while something is coming up.
  if (!listsSomething(input) && !posted) return null;
  return ownerDigest(input);
};
