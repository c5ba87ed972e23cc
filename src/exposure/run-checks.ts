import type { Logger } from 'pino';
import type { CoreDeps } from '../core/common/deps.ts';
import { type CheckRecord, recordCheck } from '../core/exposure/record.ts';
import { isCheckable } from '../core/exposure/schedule.ts';
import { parseTarget } from '../core/exposure/targets.ts';
import { getAsset } from '../core/vendors/assets.ts';
import { inTransaction } from '../store/database.ts';
import type { AssetRow } from '../store/tables.ts';
import { type ProbeSettings, probeTarget } from './probe-asset.ts';

// Runs the checks of some assets: each probed (paced, outside any transaction, since a probe waits on
// the network), then its result recorded in a transaction of its own. An asset that is not declared,
// authorised and still present is never probed: that is checked here, on the row as stored, right
// before the probe, and again when the result is written.

export type AssetCheck =
  | { asset: AssetRow; status: 'checked'; record: CheckRecord }
  | { asset: AssetRow; status: 'skipped'; reason: string };

async function checkOne(
  deps: CoreDeps,
  assetId: number,
  settings: ProbeSettings,
  log?: Logger,
): Promise<AssetCheck | null> {
  const asset = await getAsset(deps.db, assetId);
  if (!asset) return null;
  if (!isCheckable(asset)) {
    const reason = asset.removed_at
      ? 'removed'
      : asset.check_kind
        ? 'waiting for an analyst to confirm the vendor authorised checks'
        : 'declared for routing only (no kind of check)';
    return { asset, status: 'skipped', reason };
  }
  const target = parseTarget(asset.value, asset.check_kind);
  const run = await probeTarget(target, settings);
  return inTransaction(deps.db, async (tx) => {
    const now = await tx.selectFrom('vendor_assets').selectAll().where('id', '=', asset.id).executeTakeFirstOrThrow();
    if (!isCheckable(now))
      return { asset: now, status: 'skipped' as const, reason: 'removed or unauthorised during the check' };
    const record = await recordCheck(tx, deps, { asset: now, observation: run.observation, address: run.address });
    log?.info(
      { assetId: asset.id, vendorId: asset.vendor_id, outcome: record.verdict.outcome, opened: record.opened.length },
      'exposure check recorded',
    );
    return { asset: now, status: 'checked' as const, record };
  });
}

/** Every given asset checked (or skipped, with why), in the order given; failures are logged, not thrown. */
export async function checkAssets(
  deps: CoreDeps,
  assetIds: readonly number[],
  settings: ProbeSettings,
  log?: Logger,
): Promise<AssetCheck[]> {
  const results = await Promise.all(
    assetIds.map(async (id) => {
      try {
        return await checkOne(deps, id, settings, log);
      } catch (error) {
        log?.error({ err: error, assetId: id }, 'exposure check failed; retried when next due');
        return null;
      }
    }),
  );
  return results.filter((r): r is AssetCheck => r !== null);
}
