import { randomUUID } from 'node:crypto';
import type { DbOrTx, Tx } from '../../store/database.ts';
import type { Clock } from '../common/clock.ts';
import { enqueue } from './outbox.ts';

// Keeping Home tabs current. A change that alters someone's work queue (a finding moved, a decision
// signed, a questionnaire submitted, a document renewed) queues a Home refresh for the people whose
// queue it touches, in the change's own transaction; the relay republishes each Home from the store at
// send time. Only people who have opened their Home have one to refresh. While a refresh for a person
// still waits unclaimed, a later change joins it instead of queueing another: it will read the store
// after this transaction commits either way. The join locks that row, so a relay cannot claim it in
// between and publish the Home as it was before this change.

export const HOME_TEMPLATE = 'home';

/** Roles whose Home carries a shared queue (triage for analysts and admins, decisions for approvers). */
const QUEUE_ROLES = ['analyst', 'admin', 'approver'] as const;

/** Remembers that this person has a Home tab to keep current. */
export async function noteHomeOpened(db: DbOrTx, clock: Clock, principal: string): Promise<void> {
  const at = clock.now().toISOString();
  await db
    .insertInto('home_views')
    .values({ principal, opened_at: at })
    .onConflict((oc) => oc.column('principal').doUpdateSet({ opened_at: at }))
    .execute();
}

/** Queues a Home refresh for each of these people who has a Home; returns how many were queued or joined. */
export async function refreshHomes(
  tx: Tx,
  clock: Clock,
  principals: Iterable<string | null | undefined>,
): Promise<number> {
  const named = [...new Set([...principals].filter((p): p is string => Boolean(p)))];
  if (named.length === 0) return 0;
  const wanted = [...named, ...(await linkedPrincipals(tx, named))];
  const homes = await tx.selectFrom('home_views').select('principal').where('principal', 'in', wanted).execute();
  for (const { principal } of homes.sort((a, b) => a.principal.localeCompare(b.principal))) {
    const joined = await tx
      .updateTable('outbox')
      .set((eb) => ({ available_at: eb.ref('available_at') }))
      .where('target', '=', principal)
      .where('template', '=', HOME_TEMPLATE)
      .where('status', '=', 'pending')
      .where('lease_until', 'is', null)
      .executeTakeFirst();
    if (Number(joined.numUpdatedRows) > 0) continue;
    await enqueue(tx, clock, {
      key: `home:${principal}:${clock.now().toISOString()}:${randomUUID()}`,
      target: principal,
      template: HOME_TEMPLATE,
      data: {},
    });
  }
  return homes.length;
}

/**
 * Every Home there is: the day's first sweep calls this, since a new day alone changes what a queue says
 * (a review falls overdue or due soon, a document nears expiry, a deadline passes).
 */
export async function refreshEveryHome(tx: Tx, clock: Clock): Promise<number> {
  const homes = await tx.selectFrom('home_views').select('principal').execute();
  return refreshHomes(
    tx,
    clock,
    homes.map((h) => h.principal),
  );
}

/** The other accounts of the same people (person_links): a Teams grant shows on the linked Slack Home. */
async function linkedPrincipals(tx: Tx, principals: string[]): Promise<string[]> {
  const rows = await tx
    .selectFrom('person_links as a')
    .innerJoin('person_links as b', 'b.person', 'a.person')
    .select('b.principal')
    .where((eb) => eb.or([eb('a.principal', 'in', principals), eb('a.person', 'in', principals)]))
    .execute();
  return rows.map((r) => r.principal);
}

/**
 * The people whose queue a change around a vendor touches: its owner, the people named (an assignee,
 * a requester), and everyone holding a role with a shared queue. Queues a refresh of their Homes.
 */
export async function refreshQueuesAround(
  tx: Tx,
  clock: Clock,
  around: { vendorId?: number; people?: (string | null | undefined)[] },
): Promise<void> {
  const hasHomes = await tx.selectFrom('home_views').select('principal').limit(1).executeTakeFirst();
  if (!hasHomes) return;
  const people = [...(around.people ?? [])];
  if (around.vendorId !== undefined) {
    const vendor = await tx
      .selectFrom('vendors')
      .select('owner_id')
      .where('id', '=', around.vendorId)
      .executeTakeFirst();
    people.push(vendor?.owner_id);
  }
  const holders = await tx
    .selectFrom('role_grants')
    .select('principal')
    .where('role', 'in', [...QUEUE_ROLES])
    .execute();
  await refreshHomes(tx, clock, [...people, ...holders.map((h) => h.principal)]);
}

/** A change only the vendor's owner sees in their queue (a review opened or answered, a document renewed). */
export async function refreshOwnerHome(tx: Tx, clock: Clock, vendorId: number): Promise<void> {
  const vendor = await tx.selectFrom('vendors').select('owner_id').where('id', '=', vendorId).executeTakeFirst();
  await refreshHomes(tx, clock, [vendor?.owner_id]);
}
