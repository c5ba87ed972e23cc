import type { DbOrTx, Tx } from '../../store/database.ts';
import type { FindingRow } from '../../store/tables.ts';
import type { CoreDeps } from '../common/deps.ts';
import { notFound } from '../common/errors.ts';
import { refreshQueuesAround } from '../messaging/home-refresh.ts';
import { enqueue } from '../messaging/outbox.ts';
import { findingCardTargets } from './routing.ts';

// The messages a finding change owes, queued in the change's own transaction. Keys carry the finding's
// new version, so each event queues once (a retried transaction cannot double-post) and no two events
// collide. The card keeps one subject, so the relay edits the first message in place.

export interface VendorRouting {
  id: number;
  name: string;
  tier: string;
  channel: string | null;
  owner_id: string | null;
}

export async function vendorRouting(db: DbOrTx, vendorId: number): Promise<VendorRouting> {
  const vendor = await db
    .selectFrom('vendors')
    .select(['id', 'name', 'tier', 'channel', 'owner_id'])
    .where('id', '=', vendorId)
    .executeTakeFirst();
  if (!vendor) throw notFound(`Vendor #${vendorId} was not found.`);
  return vendor;
}

/** Queues the (updated) card for every target and, when given, a history line threaded under it. */
export async function announceFinding(
  tx: Tx,
  deps: CoreDeps,
  finding: FindingRow,
  history?: string,
  targets?: string[],
): Promise<string[]> {
  const vendor = await vendorRouting(tx, finding.vendor_id);
  const to = targets ?? (await findingCardTargets(tx, deps.routing, finding.id, vendor));
  const subject = `finding:${finding.id}`;
  for (const target of to) {
    await enqueue(tx, deps.clock, {
      key: `${subject}:v${finding.version}:card:${target}`,
      target,
      subject,
      template: 'finding-card',
      data: { findingId: finding.id },
    });
    if (history) {
      await enqueue(tx, deps.clock, {
        key: `${subject}:v${finding.version}:history:${target}`,
        target,
        threadOf: subject,
        template: 'finding-history',
        data: { findingId: finding.id, text: history },
      });
    }
  }
  await refreshQueuesAround(tx, deps.clock, { vendorId: finding.vendor_id, people: [finding.assignee_id] });
  return to;
}

/** A direct message to the person a finding was just assigned to. */
export async function notifyAssignee(tx: Tx, deps: CoreDeps, finding: FindingRow, byName: string): Promise<void> {
  if (!finding.assignee_id) return;
  await enqueue(tx, deps.clock, {
    key: `finding:${finding.id}:v${finding.version}:assigned:${finding.assignee_id}`,
    target: finding.assignee_id,
    template: 'assigned',
    data: { findingId: finding.id, byName },
  });
}
