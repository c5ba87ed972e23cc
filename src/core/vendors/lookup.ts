import { sql } from 'kysely';
import type { DbOrTx } from '../../store/database.ts';
import type { VendorRow } from '../../store/tables.ts';
import { invalidInput, notFound } from '../common/errors.ts';
import { IN_CADENCE } from '../lifecycle/states.ts';
import { principalsOf } from '../roles/identity.ts';
import { nameKeyOf, parseStatus, parseTier } from './input.ts';

// Finding vendors the way people name them in chat: exact name ignoring case, a unique prefix or part of
// the name, or a ranked "did you mean".

export async function getVendor(db: DbOrTx, vendorId: number): Promise<VendorRow> {
  const row = await db.selectFrom('vendors').selectAll().where('id', '=', vendorId).executeTakeFirst();
  if (!row) throw notFound(`There is no vendor #${vendorId}.`);
  return row;
}

/**
 * For machine input (CSV rows, webhooks): the exact name ignoring case, or not found with a suggestion.
 * A prefix is never taken as a name here: a file or a monitoring tool does not mean "the one that starts so".
 */
export async function findVendorByExactName(db: DbOrTx, name: string): Promise<VendorRow> {
  const key = nameKeyOf(name);
  if (!key) throw invalidInput('Which vendor? Please give its name.');
  const row = await db.selectFrom('vendors').selectAll().where('name_key', '=', key).executeTakeFirst();
  if (row) return row;
  throw notFound(notFoundText(name.trim(), await suggestVendorNames(db, key)));
}

/**
 * For people: the exact name ignoring case, else the one vendor whose name starts with what was typed
 * ("meridian"), else the one whose name contains it ("northstar trials"). Several matches are listed to
 * choose from; none gives the closest names, ranked.
 */
export async function findVendorByName(db: DbOrTx, name: string): Promise<VendorRow> {
  const key = nameKeyOf(name);
  if (!key) throw invalidInput('Which vendor? Please give its name.');
  const row = await db.selectFrom('vendors').selectAll().where('name_key', '=', key).executeTakeFirst();
  if (row) return row;
  const shown = name.trim();
  const prefixed = await db
    .selectFrom('vendors')
    .selectAll()
    .where('name_key', '>=', key)
    .where('name_key', '<', `${key}\uffff`)
    .orderBy('name_key')
    .limit(6)
    .execute();
  if (prefixed.length === 1) return prefixed[0]!;
  if (prefixed.length > 1) throw notFound(severalText(shown, prefixed), choicesOf(shown, prefixed));
  // A miss is rare and the inventory is thousands of rows at most: scanning names here is cheap.
  const all = await db.selectFrom('vendors').select(['id', 'name', 'name_key']).execute();
  const containing = all.filter((v) => v.name_key.includes(key));
  if (containing.length === 1) return getVendor(db, containing[0]!.id);
  if (containing.length > 1) throw notFound(severalText(shown, containing), choicesOf(shown, containing));
  const ranked = rankedNames(key, all);
  throw notFound(
    notFoundText(shown, ranked),
    choicesOf(
      shown,
      ranked.map((name) => ({ name })),
    ),
  );
}

/** The names offered as buttons ("Did you mean", "Which one?"): as many as the text lists. */
function choicesOf(typed: string, rows: readonly { name: string }[]) {
  return rows.length > 0 ? { typed, names: rows.slice(0, 5).map((r) => r.name) } : undefined;
}

function severalText(shown: string, rows: readonly { name: string }[]): string {
  const names = rows.slice(0, 5).map((r) => `“${r.name}”`);
  const more = rows.length > 5 ? ' and more' : '';
  return `“${shown}” matches several vendors: ${names.join(', ')}${more}. Which one? Give more of its name.`;
}

function notFoundText(shown: string, suggestions: readonly string[]): string {
  if (suggestions.length === 0) return `No vendor named “${shown}”.`;
  return `No vendor named “${shown}”. Did you mean ${suggestions.map((s) => `“${s}”`).join(' or ')}?`;
}

/** The closest existing name: a name that starts with what was typed, else the nearest by a few typos. */
export async function suggestVendorName(db: DbOrTx, key: string): Promise<string | null> {
  return (await suggestVendorNames(db, key))[0] ?? null;
}

/** Up to three close names, closest first. */
export async function suggestVendorNames(db: DbOrTx, key: string): Promise<string[]> {
  // Uses the unique index on name_key as a range: every key that starts with what was typed.
  const prefixed = await db
    .selectFrom('vendors')
    .select(['name', 'name_key'])
    .where('name_key', '>=', key)
    .where('name_key', '<', `${key}\uffff`)
    .orderBy('name_key')
    .limit(20)
    .execute();
  if (prefixed.length > 0) return [prefixed.reduce((a, b) => (b.name_key.length < a.name_key.length ? b : a)).name];
  const all = await db.selectFrom('vendors').select(['name', 'name_key']).execute();
  return rankedNames(key, all);
}

/**
 * Pure: up to three names within a typo budget of what was typed, closest first. A name is compared whole
 * and by its beginning, so "harnes labs" finds "Harness Labs Ltd".
 */
export function rankedNames(key: string, candidates: readonly { name: string; name_key: string }[]): string[] {
  const budget = key.length <= 4 ? 1 : key.length <= 8 ? 2 : 3;
  const scored: { name: string; distance: number }[] = [];
  for (const c of candidates) {
    const whole = key.startsWith(`${c.name_key} `) ? 1 : typoDistance(key, c.name_key, budget);
    const start =
      c.name_key.length > key.length ? typoDistance(key, c.name_key.slice(0, key.length), budget) + 1 : whole;
    const distance = Math.min(whole, start);
    if (distance <= budget) scored.push({ name: c.name, distance });
  }
  return scored
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, 3)
    .map((s) => s.name);
}

/** Pure: the candidate within a typo budget that grows with the length of what was typed. */
export function closestName(key: string, candidates: readonly { name: string; name_key: string }[]): string | null {
  const budget = key.length <= 4 ? 1 : key.length <= 8 ? 2 : 3;
  let best: { name: string; distance: number } | null = null;
  for (const c of candidates) {
    // Typed more than the name, like "acme health inc" for "Acme Health".
    const distance = key.startsWith(`${c.name_key} `) ? 1 : typoDistance(key, c.name_key, budget);
    if (distance <= budget && (best === null || distance < best.distance)) best = { name: c.name, distance };
  }
  return best?.name ?? null;
}

/** Edits (insert, delete, substitute, swap two neighbours) from a to b; stops early past `limit`. */
export function typoDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > limit) return limit + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}

export interface VendorListFilter {
  tier?: string;
  /** Only vendors whose review was due before this date (today), most overdue first. */
  overdueOn?: string;
  ownerId?: string;
  status?: string;
  limit?: number;
  offset?: number;
}

export async function listVendors(
  db: DbOrTx,
  filter: VendorListFilter = {},
): Promise<{ rows: VendorRow[]; total: number }> {
  const limit = Math.min(Math.max(filter.limit ?? 20, 1), 500);
  const offset = Math.max(filter.offset ?? 0, 0);
  let query = db.selectFrom('vendors');
  if (filter.tier) query = query.where('tier', '=', parseTier(filter.tier));
  // The owner under any of their linked accounts: a vendor owned through Teams is theirs on Slack too.
  if (filter.ownerId) query = query.where('owner_id', 'in', await principalsOf(db, filter.ownerId));
  if (filter.status) query = query.where('status', '=', parseStatus(filter.status));
  if (filter.overdueOn) {
    query = query.where('next_review_on', '<', filter.overdueOn);
    // An offboarded vendor is not reviewed any more, so it is never overdue unless asked for by status.
    if (!filter.status) query = query.where('status', 'in', IN_CADENCE);
  }
  const ordered = filter.overdueOn ? query.orderBy('next_review_on').orderBy('name_key') : query.orderBy('name_key');
  const [rows, count] = await Promise.all([
    ordered.selectAll().limit(limit).offset(offset).execute(),
    query.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
