import type { Tx } from '../../store/database.ts';
import { addDaysIso, todayOf } from '../common/dates.ts';
import type { CoreDeps } from '../common/deps.ts';
import { enqueue } from './outbox.ts';
import { mergeItems, NO_ITEMS, type ReminderItems } from './reminder-items.ts';

// One "Coming up" digest per person and day: the heads-ups (a review, a document or a finding's SLA
// coming up) of every vendor the person is reminded about, in one direct message. The first heads-up
// of the day posts it, later ones that day edit it in place; the next day's heads-ups start a new one
// (each digest is that day's news, so an older one stays as it was, with only done items marked).
// What needs action now never waits here: it goes to the vendor's live message (live-reminders.ts).
// `owner_digests` names the day's message and what it lists.

export interface DigestVendorItems extends ReminderItems {
  vendorId: number;
}

export interface OwnerDigestData {
  day: string;
  vendors: DigestVendorItems[];
  /** Some heads-up in it fired after downtime, later than planned. */
  late?: boolean;
}

/** The subject of a person's digest of one day. */
export const digestSubject = (target: string, day: string) => `owner-digest:${target}:${day}`;

function withVendor(data: OwnerDigestData, vendorId: number, add: Partial<ReminderItems>): OwnerDigestData {
  const known = data.vendors.find((v) => v.vendorId === vendorId);
  const merged: DigestVendorItems = { vendorId, ...mergeItems(known ?? NO_ITEMS, add) };
  const vendors = known ? data.vendors.map((v) => (v.vendorId === vendorId ? merged : v)) : [...data.vendors, merged];
  return { ...data, vendors };
}

export interface HeadsUp {
  vendorId: number;
  target: string;
  /** Idempotency key of this heads-up's outbox row. */
  key: string;
  add: Partial<ReminderItems>;
  late?: boolean;
}

async function todaysDigest(tx: Tx, target: string, day: string): Promise<OwnerDigestData | undefined> {
  const row = await tx
    .selectFrom('owner_digests')
    .select('data')
    .where('target', '=', target)
    .where('day', '=', day)
    .executeTakeFirst();
  return row ? (JSON.parse(row.data) as OwnerDigestData) : undefined;
}

/** Queues the day's digest as it now reads (a post if it is the first, else an edit) and stores it. */
async function writeDigest(
  tx: Tx,
  deps: CoreDeps,
  target: string,
  data: OwnerDigestData,
  send: { key: string; late?: boolean },
): Promise<void> {
  const subject = digestSubject(target, data.day);
  await enqueue(tx, deps.clock, { key: send.key, target, subject, template: 'owner-digest', data, late: send.late });
  const updated_at = deps.clock.now().toISOString();
  await tx
    .insertInto('owner_digests')
    .values({ target, day: data.day, subject, data: JSON.stringify(data), updated_at })
    .onConflict((oc) => oc.columns(['target', 'day']).doUpdateSet({ data: JSON.stringify(data), updated_at }))
    .execute();
}

/** Adds a heads-up to the person's digest of today: posts it if it is the day's first, else edits it. */
export async function addToDigest(tx: Tx, deps: CoreDeps, h: HeadsUp): Promise<void> {
  const day = todayOf(deps);
  const data = withVendor((await todaysDigest(tx, h.target, day)) ?? { day, vendors: [] }, h.vendorId, h.add);
  if (h.late) data.late = true;
  await writeDigest(tx, deps, h.target, data, { key: h.key, late: h.late });
}

/**
 * A vendor's own reminder begins today (something of it is due now): its heads-ups in today's digest
 * move there, so the person reads about the vendor in one message. The digest is edited without
 * them (a digest not sent yet and left empty is never sent); returns what moved.
 */
export async function takeFromDigest(
  tx: Tx,
  deps: CoreDeps,
  m: { vendorId: number; target: string; key: string },
): Promise<ReminderItems> {
  const day = todayOf(deps);
  const digest = await todaysDigest(tx, m.target, day);
  const entry = digest?.vendors.find((v) => v.vendorId === m.vendorId);
  if (!digest || !entry) return NO_ITEMS;
  const vendors = digest.vendors.filter((v) => v !== entry);
  await writeDigest(tx, deps, m.target, { ...digest, vendors }, { key: `${m.key}:moved-from-digest` });
  return mergeItems(NO_ITEMS, entry);
}

/**
 * Redraws the digests that list a vendor, after what they said changed (the reassessment submitted, a
 * document renewed): the item then reads as done. Only digests young enough to list something still
 * ahead (within the longest heads-up window) are read; older ones speak of dates already past.
 */
export async function refreshDigests(tx: Tx, deps: CoreDeps, vendorId: number, why: string): Promise<void> {
  const { reminderOffsetsDays, evidenceReminderDays, slaReminderDays } = deps.policy;
  const window = Math.max(0, slaReminderDays, ...reminderOffsetsDays, ...evidenceReminderDays);
  const rows = await tx
    .selectFrom('owner_digests')
    .selectAll()
    .where('day', '>=', addDaysIso(todayOf(deps), -window))
    .execute();
  const at = deps.clock.now().toISOString();
  for (const row of rows) {
    const data = JSON.parse(row.data) as OwnerDigestData;
    if (!data.vendors.some((v) => v.vendorId === vendorId)) continue;
    await enqueue(tx, deps.clock, {
      key: `${row.subject}:${why}:${at}@${row.target}`,
      target: row.target,
      subject: row.subject,
      template: 'owner-digest',
      data,
    });
  }
}
