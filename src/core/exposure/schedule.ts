import type { DbOrTx } from '../../store/database.ts';
import type { AssetRow } from '../../store/tables.ts';
import { isOneOf, TIERS, type Tier } from '../common/vocabulary.ts';
import type { Policy } from '../policy/policy.ts';
import { isCheckKind } from './checks.ts';

// When each authorised asset is next checked: by its vendor's tier (critical daily, high weekly,
// others monthly; policy numbers), at a minute of the day fixed per asset so a portfolio's checks
// spread over the day instead of all firing at midnight. An asset never checked is due at once, so a
// newly authorised one is looked at within the next tick.

const DAY = 86_400_000;
const MINUTES_PER_DAY = 1440;

/** A stable minute of the day for the asset (a multiplicative hash spreads consecutive ids apart). */
export function slotMinute(assetId: number): number {
  return (assetId * 7919) % MINUTES_PER_DAY;
}

export function nextCheckAt(assetId: number, tier: Tier, lastCheckedAt: string | null, policy: Policy): Date | null {
  if (lastCheckedAt === null) return null;
  const last = new Date(lastCheckedAt).getTime();
  const day = Math.floor(last / DAY) * DAY + Math.max(1, policy.exposureCheckDays[tier]) * DAY;
  return new Date(day + slotMinute(assetId) * 60_000);
}

/** Authorised, not removed, of a vendor still in use: the only assets any check ever touches. */
export function isCheckable(asset: AssetRow): boolean {
  return (
    asset.removed_at === null &&
    asset.authorised_at !== null &&
    asset.authorised_by !== null &&
    asset.check_kind !== null &&
    isCheckKind(asset.check_kind)
  );
}

export interface CheckableAsset {
  asset: AssetRow;
  tier: Tier;
  lastCheckedAt: string | null;
}

/** Every checkable asset with its vendor's tier and when it was last checked. */
export async function checkableAssets(db: DbOrTx, vendorId?: number): Promise<CheckableAsset[]> {
  let query = db
    .selectFrom('vendor_assets')
    .innerJoin('vendors', 'vendors.id', 'vendor_assets.vendor_id')
    .selectAll('vendor_assets')
    .select('vendors.tier as vendor_tier')
    .select((eb) =>
      eb
        .selectFrom('exposure_checks')
        .select((c) => c.fn.max('checked_at').as('last'))
        .whereRef('exposure_checks.asset_id', '=', 'vendor_assets.id')
        .as('last_checked_at'),
    )
    .where('vendor_assets.removed_at', 'is', null)
    .where('vendor_assets.authorised_at', 'is not', null)
    .where('vendor_assets.check_kind', 'is not', null)
    .where('vendors.status', '!=', 'offboarded');
  if (vendorId !== undefined) query = query.where('vendor_assets.vendor_id', '=', vendorId);
  const rows = await query.orderBy('vendor_assets.id').execute();
  return rows.flatMap(({ vendor_tier, last_checked_at, ...asset }) => {
    if (!isCheckable(asset)) return [];
    const tier: Tier = isOneOf(TIERS, vendor_tier) ? vendor_tier : 'low';
    return [{ asset, tier, lastCheckedAt: (last_checked_at as string | null) ?? null }];
  });
}

/** The checkable assets whose next check time has come. */
export async function dueAssets(db: DbOrTx, now: Date, policy: Policy): Promise<CheckableAsset[]> {
  return (await checkableAssets(db)).filter((a) => {
    const next = nextCheckAt(a.asset.id, a.tier, a.lastCheckedAt, policy);
    return next === null || next.getTime() <= now.getTime();
  });
}
