import type { Tx } from '../../store/database.ts';
import type { VendorRow } from '../../store/tables.ts';
import type { Actor } from '../common/actor.ts';
import type { Clock } from '../common/clock.ts';
import { invalidState } from '../common/errors.ts';
import type { VendorStatus } from '../common/vocabulary.ts';
import { applyVendorPatch, loadVendor } from '../vendors/patch.ts';

// The vendor lifecycle: requested -> in_review -> approved | rejected -> active -> offboarding -> offboarded.
// Only vendors in the cadence (active, or offboarding until the checklist is signed off) get review,
// evidence and posture work; everything before approval shows its gate ("not approved for use").

export const LIFECYCLE_MOVES: Record<VendorStatus, readonly VendorStatus[]> = {
  requested: ['in_review', 'rejected'],
  in_review: ['approved', 'rejected'],
  approved: ['active'],
  rejected: ['in_review'],
  active: ['offboarding'],
  offboarding: ['offboarded'],
  offboarded: [],
  // Before the lifecycle existed; migration 0017 moved these to in_review.
  onboarding: ['in_review'],
};

export const STATUS_LABELS: Record<VendorStatus, string> = {
  requested: 'Requested',
  in_review: 'In due diligence',
  approved: 'Approved, not yet receiving data',
  rejected: 'Rejected',
  active: 'Active',
  offboarding: 'Offboarding',
  offboarded: 'Offboarded',
  onboarding: 'In due diligence',
};

/** Statuses whose vendors are reviewed, reminded and scored on the cadence. */
export const IN_CADENCE: VendorStatus[] = ['active', 'offboarding'];

/** Statuses in which a vendor must not be used: it has not been approved (or was rejected). */
export const GATED: VendorStatus[] = ['requested', 'in_review', 'rejected', 'onboarding'];

export function statusLabel(status: string): string {
  return STATUS_LABELS[status as VendorStatus] ?? status;
}

/** The gate a vendor shows in every posture and list view, or null when it may be used. */
export function gateText(status: string): string | null {
  if (status === 'rejected') return '⛔ not approved for use (rejected)';
  if ((GATED as string[]).includes(status)) return `⛔ not approved for use (${statusLabel(status).toLowerCase()})`;
  if (status === 'approved') return '✅ approved for use, not yet receiving data';
  return null;
}

/**
 * Moves a vendor along the lifecycle: refused unless the move is allowed from the status read, written
 * conditionally on the vendor's version, audited as `vendor.lifecycle` with before and after.
 */
export async function moveVendor(
  tx: Tx,
  clock: Clock,
  actor: Actor,
  vendorOrId: VendorRow | number,
  to: VendorStatus,
  options: { from?: readonly VendorStatus[]; reason?: string | null; set?: { next_review_on?: string | null } } = {},
): Promise<VendorRow> {
  const vendor = typeof vendorOrId === 'number' ? await loadVendor(tx, vendorOrId) : vendorOrId;
  const from = vendor.status as VendorStatus;
  const allowed = (LIFECYCLE_MOVES[from] ?? []).includes(to) && (!options.from || options.from.includes(from));
  if (!allowed) {
    throw invalidState(
      `${vendor.name} is ${statusLabel(from).toLowerCase()}, so it cannot become ${statusLabel(to).toLowerCase()}. Nothing was changed.`,
    );
  }
  const { vendor: moved } = await applyVendorPatch(
    tx,
    clock,
    actor,
    vendor,
    { status: to, ...options.set },
    'vendor.lifecycle',
    options.reason ?? undefined,
  );
  return moved;
}
