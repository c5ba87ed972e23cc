import type { DbOrTx } from '../../store/database.ts';
import { readProblems } from './record.ts';
import { checkableAssets } from './schedule.ts';

// The evidence of checks, summed up for a vendor's posture: when its assets were last looked at, how
// many there are, and how many the latest check of each found exposed. Shown beside the posture, not
// scored in it (the score counts the findings the exposures opened).

export interface ExposureSummary {
  /** Assets authorised for checks. */
  assets: number;
  /** Of those, how many the latest check found a problem on. */
  exposed: number;
  /** Of those, how many could not be checked the last time. */
  unchecked: number;
  lastCheckedAt: string | null;
}

export async function exposureSummary(db: DbOrTx, vendorId: number): Promise<ExposureSummary | null> {
  const assets = await checkableAssets(db, vendorId);
  if (assets.length === 0) return null;
  const latest = await db
    .selectFrom('exposure_checks')
    .select(['asset_id', 'outcome', 'problems', 'checked_at'])
    .where('vendor_id', '=', vendorId)
    .where(
      'id',
      'in',
      db
        .selectFrom('exposure_checks')
        .select((eb) => eb.fn.max('id').as('id'))
        .where('vendor_id', '=', vendorId)
        .groupBy('asset_id'),
    )
    .execute();
  const current = latest.filter((c) => assets.some((a) => a.asset.id === c.asset_id));
  return {
    assets: assets.length,
    exposed: current.filter((c) => c.outcome === 'exposed' && readProblems(c).length > 0).length,
    unchecked: current.filter((c) => c.outcome === 'could_not_check').length,
    lastCheckedAt: current.reduce<string | null>(
      (max, c) => (max === null || c.checked_at > max ? c.checked_at : max),
      null,
    ),
  };
}

function ago(fromIso: string, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - new Date(fromIso).getTime()) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/** "Exposure checks: last checked 2 h ago: 3 assets, 0 exposed". */
export function exposureLine(summary: ExposureSummary, now: Date): string {
  const counts = `${summary.assets} asset${summary.assets === 1 ? '' : 's'}, ${summary.exposed} exposed${summary.unchecked ? `, ${summary.unchecked} could not be checked` : ''}`;
  if (!summary.lastCheckedAt) return `Exposure checks: not checked yet: ${counts}`;
  return `Exposure checks: last checked ${ago(summary.lastCheckedAt, now)}: ${counts}`;
}
