import type { DbOrTx } from '../../store/database.ts';
import { daysBetween, isoDateOf } from '../common/dates.ts';
import type { Policy } from '../policy/policy.ts';

// Due diligence that stalls: a requested or in-review vendor whose request and vendor record have not
// changed for policy.dueDiligenceStallDays. Read by the scheduler (reminders) and the weekly digest.

export interface PendingVendor {
  id: number;
  name: string;
  status: string;
  tier: string;
  owner_id: string | null;
  channel: string | null;
  assignee_id: string | null;
  /** The calendar day of the last change to the vendor or its request. */
  since: string;
  /** Whole days since then. */
  idleDays: number;
}

/** Every vendor waiting in intake or due diligence, oldest change first. */
export async function pendingVendors(db: DbOrTx, today: string): Promise<PendingVendor[]> {
  const rows = await db
    .selectFrom('vendors as v')
    .leftJoin('vendor_intakes as i', 'i.vendor_id', 'v.id')
    .select(['v.id', 'v.name', 'v.status', 'v.tier', 'v.owner_id', 'v.channel', 'v.updated_at', 'i.assignee_id'])
    .select('i.updated_at as intake_updated_at')
    .where('v.status', 'in', ['requested', 'in_review'])
    .orderBy('v.id')
    .execute();
  return rows
    .map((r) => {
      const last = r.intake_updated_at && r.intake_updated_at > r.updated_at ? r.intake_updated_at : r.updated_at;
      const since = isoDateOf(last);
      return {
        id: r.id,
        name: r.name,
        status: r.status,
        tier: r.tier,
        owner_id: r.owner_id,
        channel: r.channel,
        assignee_id: r.assignee_id ?? null,
        since,
        idleDays: daysBetween(since, today),
      };
    })
    .sort((a, b) => a.since.localeCompare(b.since) || a.id - b.id);
}

export const isStalled = (vendor: PendingVendor, policy: Policy) => vendor.idleDays >= policy.dueDiligenceStallDays;
