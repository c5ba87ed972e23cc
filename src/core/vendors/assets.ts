import { isIP } from 'node:net';
import type { Selectable } from 'kysely';
import type { DbOrTx, Tx } from '../../store/database.ts';
import type { VendorAssetTable } from '../../store/tables.ts';
import { appendAudit } from '../audit/log.ts';
import type { Actor } from '../common/actor.ts';
import type { CoreDeps } from '../common/deps.ts';
import { invalidInput } from '../common/errors.ts';
import { loadVendor } from './patch.ts';

// Declared assets (hosts, IPs, network ranges) let monitoring signals about an address find their vendor.
// The kind follows from the value, so there is nothing extra to type or get wrong.

export type AssetKind = 'ip' | 'cidr' | 'host';

const HOST = /^(?=.{1,253}$)(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;

export function classifyAsset(raw: string): { kind: AssetKind; value: string } {
  const value = raw
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/[/:]$/, '');
  if (isIP(value)) return { kind: 'ip', value };
  const [addr, bits, extra] = value.split('/');
  if (addr && bits && extra === undefined && isIP(addr) && /^\d{1,3}$/.test(bits)) {
    if (Number(bits) <= (isIP(addr) === 4 ? 32 : 128)) return { kind: 'cidr', value };
  }
  if (HOST.test(value)) return { kind: 'host', value };
  throw invalidInput(`“${raw.trim()}” is not a host name, IP address or network range (e.g. api.example.com).`);
}

export type AssetRow = Selectable<VendorAssetTable>;

/** Declaring the same asset twice is a no-op that returns the existing row. */
export async function addAsset(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  input: { vendorId: number; value: string },
): Promise<{ asset: AssetRow; created: boolean }> {
  const { kind, value } = classifyAsset(input.value);
  await loadVendor(tx, input.vendorId);
  const existing = await tx
    .selectFrom('vendor_assets')
    .selectAll()
    .where('vendor_id', '=', input.vendorId)
    .where('value', '=', value)
    .executeTakeFirst();
  if (existing) return { asset: existing, created: false };
  const asset = await tx
    .insertInto('vendor_assets')
    .values({ vendor_id: input.vendorId, kind, value, created_at: deps.clock.now().toISOString() })
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendAudit(tx, deps.clock, {
    actor,
    action: 'vendor.asset_add',
    entityType: 'vendor',
    entityId: input.vendorId,
    after: { kind, value },
  });
  return { asset, created: true };
}

export async function listAssets(db: DbOrTx, vendorId: number): Promise<AssetRow[]> {
  return db.selectFrom('vendor_assets').selectAll().where('vendor_id', '=', vendorId).orderBy('value').execute();
}

/** Which vendors declared this exact host or IP, for routing a monitoring signal that names only an address. */
export async function vendorIdsForAsset(db: DbOrTx, raw: string): Promise<number[]> {
  const { value } = classifyAsset(raw);
  const rows = await db.selectFrom('vendor_assets').select('vendor_id').where('value', '=', value).execute();
  return [...new Set(rows.map((r) => r.vendor_id))];
}
