import type { DbOrTx, Tx } from '../../store/database.ts';
import type { Actor } from '../common/actor.ts';
import type { CoreDeps } from '../common/deps.ts';
import { invalidInput } from '../common/errors.ts';
import { addAsset, declaredAsset, listAssets, removeAsset } from './assets.ts';

// A vendor's declared assets as one spreadsheet cell: entries separated by ";", each a target and, when
// neither its port nor https:// implies one, the kind of check (`db.acme.example:5433 postgresql`).
// The cell is the truth for the vendor's list: importing it declares what is new and removes what is no
// longer there. Authorisation never travels in a sheet: a newly declared asset waits for an analyst to
// confirm it (chat button or `asset authorise`), and an asset already declared keeps its confirmation.

export interface SheetAsset {
  /** The stored, canonical form: what `asset remove` matches. */
  value: string;
  kind: string | null;
}

/** Parses a cell; every entry is checked the way `asset add` checks it. An empty cell is no assets. */
export function parseAssetCell(cell: string): SheetAsset[] {
  const byValue = new Map<string, SheetAsset>();
  for (const entry of cell.split(/[;\n]/)) {
    const words = entry.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) continue;
    if (words.length > 2) {
      throw invalidInput(`“${entry.trim()}” is not an asset: write a target and, if needed, its kind of check.`);
    }
    const [target = '', kind = null] = words;
    const d = declaredAsset(target, kind);
    byValue.set(d.value, { value: d.value, kind: d.checkKind });
  }
  return [...byValue.values()];
}

/** How an asset is written in a sheet: its stored form, plus its kind when nothing in it implies that. */
export function assetCellEntry(asset: { value: string; check_kind: string | null }): string {
  if (!asset.check_kind) return asset.value;
  let implied: string | null = null;
  try {
    implied = declaredAsset(asset.value).checkKind;
  } catch {
    // Nothing implies a kind: it is written out.
  }
  return implied === asset.check_kind ? asset.value : `${asset.value} ${asset.check_kind}`;
}

/** Each listed vendor's declared assets, as sheet entries, in one read. */
export async function assetCells(db: DbOrTx, vendorIds: readonly number[]): Promise<Map<number, string[]>> {
  const cells = new Map<number, string[]>();
  if (vendorIds.length === 0) return cells;
  const rows = await db
    .selectFrom('vendor_assets')
    .select(['vendor_id', 'value', 'check_kind'])
    .where('vendor_id', 'in', vendorIds)
    .where('removed_at', 'is', null)
    .orderBy('vendor_id')
    .orderBy('value')
    .execute();
  for (const row of rows) cells.set(row.vendor_id, [...(cells.get(row.vendor_id) ?? []), assetCellEntry(row)]);
  return cells;
}

/** Brings the vendor's declared assets in line with the sheet (each change audited); true if anything changed. */
export async function syncSheetAssets(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  vendorId: number,
  wanted: readonly SheetAsset[],
): Promise<boolean> {
  const current = await listAssets(tx, vendorId);
  let changed = false;
  for (const asset of wanted) {
    const { created } = await addAsset(tx, deps, actor, { vendorId, value: asset.value, kind: asset.kind });
    changed ||= created;
  }
  const keep = new Set(wanted.map((a) => a.value));
  for (const asset of current) {
    if (keep.has(asset.value)) continue;
    await removeAsset(tx, deps, actor, { vendorId, value: asset.value });
    changed = true;
  }
  return changed;
}
