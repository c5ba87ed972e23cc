import { isIP } from 'node:net';
import type { DbOrTx, Tx } from '../../store/database.ts';
import type { AssetRow } from '../../store/tables.ts';
import { appendAudit } from '../audit/log.ts';
import type { Actor } from '../common/actor.ts';
import type { CoreDeps } from '../common/deps.ts';
import { conflict, invalidInput, notFound } from '../common/errors.ts';
import type { CheckKind } from '../exposure/checks.ts';
import { parseTarget } from '../exposure/targets.ts';
import { loadVendor } from './patch.ts';

// Declared assets: what a vendor told us runs on the internet for them. Each lets a monitoring signal
// about an address find its vendor, and one with a kind of check (named, or implied by its port) is
// checked for exposure, but only once an analyst confirms the vendor authorised that, recorded with
// who and when. A plain host, IP or network range with no kind is kept for routing only.

export type { AssetRow };
export type AssetKind = 'ip' | 'cidr' | 'host';

const HOST = /^(?=.{1,253}$)(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;
const MAX_NOTE = 300;

/** A bare host, IP or network range (no port, no kind): an address for routing signals. */
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

interface Declared {
  kind: AssetKind;
  value: string;
  host: string;
  checkKind: CheckKind | null;
  port: number | null;
}

/** The stored form of what was typed: checkable when a kind is named or implied, else routing only. */
export function declaredAsset(raw: string, kindWord?: string | null): Declared {
  try {
    const t = parseTarget(raw, kindWord);
    return { kind: isIP(t.host) ? 'ip' : 'host', value: t.canonical, host: t.host, checkKind: t.kind, port: t.port };
  } catch (error) {
    if (kindWord) throw error;
    let plain: { kind: AssetKind; value: string };
    try {
      plain = classifyAsset(raw);
    } catch {
      // Not a bare address either: what the target parser said is the more useful answer.
      throw error;
    }
    return { ...plain, host: plain.value, checkKind: null, port: null };
  }
}

export interface AddAssetInput {
  vendorId: number;
  value: string;
  kind?: string | null;
  note?: string | null;
  /** The analyst confirming, now, that the vendor authorised checking this asset. */
  authorisedBy?: string | null;
}

/**
 * Declaring the same asset twice changes nothing and returns the existing row; declaring a removed one
 * again brings it back, unauthorised (authorisation is confirmed afresh, never inherited).
 */
export async function addAsset(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  input: AddAssetInput,
): Promise<{ asset: AssetRow; created: boolean }> {
  const d = declaredAsset(input.value, input.kind);
  const note = input.note?.trim() || null;
  if (note && note.length > MAX_NOTE) throw invalidInput(`A note can be at most ${MAX_NOTE} characters.`);
  const authorisedBy = input.authorisedBy?.trim() || null;
  if (authorisedBy && !d.checkKind) {
    throw invalidInput(`${d.value} names no kind of check, so there is nothing to authorise; add a kind or a port.`);
  }
  await loadVendor(tx, input.vendorId);
  const now = deps.clock.now().toISOString();
  const existing = await findAsset(tx, input.vendorId, d.value);
  if (existing && existing.removed_at === null) {
    if (authorisedBy && !existing.authorised_at) {
      return {
        asset: await authoriseAsset(tx, deps, actor, { vendorId: input.vendorId, value: d.value, authorisedBy }),
        created: false,
      };
    }
    return { asset: existing, created: false };
  }
  const fields = {
    kind: d.kind,
    host: d.host,
    check_kind: d.checkKind,
    port: d.port,
    note,
    authorised_by: authorisedBy,
    authorised_at: authorisedBy ? now : null,
    removed_at: null,
  };
  const asset = existing
    ? await tx
        .updateTable('vendor_assets')
        .set(fields)
        .where('id', '=', existing.id)
        .returningAll()
        .executeTakeFirstOrThrow()
    : await tx
        .insertInto('vendor_assets')
        .values({ vendor_id: input.vendorId, value: d.value, created_at: now, ...fields })
        .returningAll()
        .executeTakeFirstOrThrow();
  await appendAudit(tx, deps.clock, {
    actor,
    action: 'vendor.asset_add',
    entityType: 'vendor',
    entityId: input.vendorId,
    after: { value: d.value, checkKind: d.checkKind, note, authorisedBy },
  });
  return { asset, created: true };
}

/** The analyst's confirmation that the vendor authorised checks of this asset: who and when. */
export async function authoriseAsset(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  input: { vendorId: number; value: string; authorisedBy?: string | null },
): Promise<AssetRow> {
  const asset = await requireAsset(tx, input.vendorId, input.value);
  if (!asset.check_kind) throw invalidInput(`${asset.value} names no kind of check, so there is nothing to authorise.`);
  if (asset.authorised_at) {
    throw conflict(`${asset.value} was already authorised by ${asset.authorised_by} at ${asset.authorised_at}.`);
  }
  const by = input.authorisedBy?.trim() || actor.name;
  const updated = await tx
    .updateTable('vendor_assets')
    .set({ authorised_by: by, authorised_at: deps.clock.now().toISOString() })
    .where('id', '=', asset.id)
    .where('authorised_at', 'is', null)
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendAudit(tx, deps.clock, {
    actor,
    action: 'vendor.asset_authorise',
    entityType: 'vendor',
    entityId: input.vendorId,
    after: { value: asset.value, authorisedBy: by },
  });
  return updated;
}

/** Stops checks of the asset; its past results stay, as the record that they were made. */
export async function removeAsset(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  input: { vendorId: number; value: string },
): Promise<AssetRow> {
  const asset = await requireAsset(tx, input.vendorId, input.value);
  const removed = await tx
    .updateTable('vendor_assets')
    .set({ removed_at: deps.clock.now().toISOString(), authorised_at: null, authorised_by: null })
    .where('id', '=', asset.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendAudit(tx, deps.clock, {
    actor,
    action: 'vendor.asset_remove',
    entityType: 'vendor',
    entityId: input.vendorId,
    before: { value: asset.value, authorisedBy: asset.authorised_by },
  });
  return removed;
}

function findAsset(db: DbOrTx, vendorId: number, value: string): Promise<AssetRow | undefined> {
  return db
    .selectFrom('vendor_assets')
    .selectAll()
    .where('vendor_id', '=', vendorId)
    .where('value', '=', value)
    .executeTakeFirst();
}

/** The declared (not removed) asset typed as `raw`, matched the way it was stored. */
async function requireAsset(db: DbOrTx, vendorId: number, raw: string): Promise<AssetRow> {
  let value: string;
  try {
    value = declaredAsset(raw).value;
  } catch {
    value = raw.trim().toLowerCase();
  }
  const asset = (await findAsset(db, vendorId, value)) ?? (await findAsset(db, vendorId, raw.trim()));
  if (!asset || asset.removed_at !== null) {
    const listed = await listAssets(db, vendorId);
    const hint = listed.length ? ` Declared: ${listed.map((a) => a.value).join(', ')}.` : '';
    throw notFound(`No declared asset “${raw.trim()}” for this vendor.${hint}`);
  }
  return asset;
}

export async function listAssets(db: DbOrTx, vendorId: number): Promise<AssetRow[]> {
  return db
    .selectFrom('vendor_assets')
    .selectAll()
    .where('vendor_id', '=', vendorId)
    .where('removed_at', 'is', null)
    .orderBy('value')
    .execute();
}

export function getAsset(db: DbOrTx, assetId: number): Promise<AssetRow | undefined> {
  return db.selectFrom('vendor_assets').selectAll().where('id', '=', assetId).executeTakeFirst();
}

/** Which vendors declared this exact host or IP, for routing a monitoring signal that names only an address. */
export async function vendorIdsForAsset(db: DbOrTx, raw: string): Promise<number[]> {
  const { value } = classifyAsset(raw);
  const rows = await db
    .selectFrom('vendor_assets')
    .select('vendor_id')
    .where((eb) => eb.or([eb('host', '=', value), eb('value', '=', value)]))
    .where('removed_at', 'is', null)
    .execute();
  return [...new Set(rows.map((r) => r.vendor_id))];
}
