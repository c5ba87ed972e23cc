import type { Tx } from '../../store/database.ts';
import type { VendorRow, VendorUpdate } from '../../store/tables.ts';
import { appendAudit } from '../audit/log.ts';
import type { Actor } from '../common/actor.ts';
import type { Clock } from '../common/clock.ts';
import { conflict, notFound } from '../common/errors.ts';
import { refreshHomes } from '../messaging/home-refresh.ts';
import { readList } from './input.ts';

// The one way a vendor row changes: compare, write conditionally on the version read, audit the
// fields that moved. A change that changes nothing writes nothing, so repeats are friendly no-ops.

/** The fields an auditor cares about, with lists decoded so the trail reads naturally. */
export function vendorAuditView(row: VendorRow): Record<string, unknown> {
  return {
    name: row.name,
    services: row.services,
    data_types: readList(row.data_types),
    criticality: row.criticality,
    tier: row.tier,
    tier_override_reason: row.tier_override_reason,
    regulatory_scope: readList(row.regulatory_scope),
    owner_id: row.owner_id,
    channel: row.channel,
    status: row.status,
    contract_start: row.contract_start,
    contract_end: row.contract_end,
    last_review_on: row.last_review_on,
    next_review_on: row.next_review_on,
  };
}

export async function loadVendor(tx: Tx, vendorId: number): Promise<VendorRow> {
  const row = await tx.selectFrom('vendors').selectAll().where('id', '=', vendorId).executeTakeFirst();
  if (!row) throw notFound(`There is no vendor #${vendorId}.`);
  return row;
}

type Patch = Omit<VendorUpdate, 'id' | 'name_key' | 'created_at' | 'updated_at' | 'version'>;

export interface PatchResult {
  vendor: VendorRow;
  changed: boolean;
}

export async function applyVendorPatch(
  tx: Tx,
  clock: Clock,
  actor: Actor,
  current: VendorRow,
  patch: Patch,
  action: string,
  reason?: string,
): Promise<PatchResult> {
  const moved = Object.fromEntries(
    Object.entries(patch).filter(([key, value]) => value !== undefined && current[key as keyof VendorRow] !== value),
  ) as Patch;
  if (Object.keys(moved).length === 0) return { vendor: current, changed: false };
  const updated = await tx
    .updateTable('vendors')
    .set({ ...moved, updated_at: clock.now().toISOString(), version: current.version + 1 })
    .where('id', '=', current.id)
    .where('version', '=', current.version)
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw conflict(`${current.name} was changed by someone else just now. Please try again.`);
  const before = vendorAuditView(current);
  const after = vendorAuditView(updated);
  const keys = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  await appendAudit(tx, clock, {
    actor,
    action,
    entityType: 'vendor',
    entityId: current.id,
    before: Object.fromEntries(keys.map((k) => [k, before[k]])),
    after: Object.fromEntries(keys.map((k) => [k, after[k]])),
    reason: reason ?? null,
  });
  // A new owner, a moved review date or a status change reorders the owners' queues.
  await refreshHomes(tx, clock, [current.owner_id, updated.owner_id]);
  return { vendor: updated, changed: true };
}
