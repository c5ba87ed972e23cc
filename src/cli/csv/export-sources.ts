import { assetCells } from '../../core/vendors/asset-sheet.ts';
import { readList } from '../../core/vendors/input.ts';
import type { DbOrTx } from '../../store/database.ts';
import { VENDOR_COLUMNS } from './vendor-rows.ts';

// What `export` writes, read page by page in key order so an audit log of any size streams out in
// constant memory. Vendor columns are exactly the import columns: an exported sheet imports back
// unchanged. Audit rows keep before/after as the stored JSON text, so their hashes can be recomputed.

export type ExportRecord = Record<string, string | number | string[] | null>;

export interface ExportSource {
  columns: readonly string[];
  /** The next page after `after` (a key from the previous page), or an empty page at the end. */
  page(db: DbOrTx, after: number, size: number): Promise<{ records: ExportRecord[]; last: number }>;
}

const vendors: ExportSource = {
  columns: VENDOR_COLUMNS,
  async page(db, after, size) {
    const rows = await db.selectFrom('vendors').selectAll().where('id', '>', after).orderBy('id').limit(size).execute();
    const assets = await assetCells(
      db,
      rows.map((v) => v.id),
    );
    const records = rows.map((v) => ({
      name: v.name,
      services: v.services,
      data_types: readList(v.data_types),
      criticality: v.criticality,
      tier: v.tier,
      tier_reason: v.tier_override_reason,
      owner: v.owner_id,
      channel: v.channel,
      regulatory_scope: readList(v.regulatory_scope),
      status: v.status,
      contract_start: v.contract_start,
      contract_end: v.contract_end,
      last_review_on: v.last_review_on,
      next_review_on: v.next_review_on,
      assets: assets.get(v.id) ?? [],
    }));
    return { records, last: rows.at(-1)?.id ?? after };
  },
};

const FINDING_COLUMNS = [
  'id',
  'vendor',
  'title',
  'severity',
  'state',
  'source',
  'assignee_id',
  'assignee',
  'opened_at',
  'sla_due_on',
  'acknowledged_by',
  'acknowledged_at',
  'resolved_by',
  'resolved_at',
  'resolution',
  'accepted_until',
  'reopened_reason',
  'detail',
] as const;

const findings: ExportSource = {
  columns: FINDING_COLUMNS,
  async page(db, after, size) {
    const rows = await db
      .selectFrom('findings as f')
      .innerJoin('vendors as v', 'v.id', 'f.vendor_id')
      .leftJoin('people as p', 'p.principal', 'f.assignee_id')
      .selectAll('f')
      .select(['v.name as vendor', 'p.display_name as assignee'])
      .where('f.id', '>', after)
      .orderBy('f.id')
      .limit(size)
      .execute();
    const records = rows.map((f) => Object.fromEntries(FINDING_COLUMNS.map((c) => [c, f[c]])) as ExportRecord);
    return { records, last: rows.at(-1)?.id ?? after };
  },
};

const AUDIT_COLUMNS = [
  'seq',
  'at',
  'actor_id',
  'actor_name',
  'action',
  'entity_type',
  'entity_id',
  'before',
  'after',
  'reason',
  'prev_hash',
  'hash',
] as const;

const audit: ExportSource = {
  columns: AUDIT_COLUMNS,
  async page(db, after, size) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(size)
      .execute();
    return { records: rows, last: rows.at(-1)?.seq ?? after };
  },
};

export const EXPORT_SOURCES = { vendors, findings, audit } as const;
export type ExportName = keyof typeof EXPORT_SOURCES;
