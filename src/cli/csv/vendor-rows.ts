import { requireIsoDate } from '../../core/common/dates.ts';
import { invalidInput } from '../../core/common/errors.ts';
import { parseAssetCell, type SheetAsset } from '../../core/vendors/asset-sheet.ts';
import type { NewVendorInput } from '../../core/vendors/create-update.ts';
import {
  cleanVendorName,
  nameKeyOf,
  parseChannel,
  parseCriticality,
  parseDataTypes,
  parsePrincipal,
  parseRegulatoryScope,
  parseStatus,
  parseTier,
  requireReason,
} from '../../core/vendors/input.ts';
import { deriveTier } from '../../core/vendors/tier.ts';
import { type CsvRow, fieldCountProblem, type RowProblem } from './read-csv.ts';
import { columnValue, RowCheck } from './row-check.ts';

// The vendor sheet: one row per vendor, matched to the inventory by name (ignoring case). A column left
// out of the sheet leaves that field alone; an empty cell in a column that is there clears it, so the
// sheet is the truth for the columns it has. `next_review_on` is what `export vendors` writes: it follows
// from the tier cadence and the last review, so it is accepted and ignored. `assets` lists the vendor's
// declared assets (see core/vendors/asset-sheet.ts): new ones are declared unauthorised, missing ones removed.

export const VENDOR_COLUMNS = [
  'name',
  'services',
  'data_types',
  'criticality',
  'tier',
  'tier_reason',
  'owner',
  'channel',
  'regulatory_scope',
  'status',
  'contract_start',
  'contract_end',
  'last_review_on',
  'next_review_on',
  'assets',
] as const;
export const REQUIRED_VENDOR_COLUMNS = ['name', 'criticality'] as const;

export interface VendorRecord {
  line: number;
  input: NewVendorInput;
  /** The declared assets, when the sheet has the column: the vendor's whole list. */
  assets?: SheetAsset[];
}

const date = (label: string) => (value: string | undefined) =>
  value === undefined ? undefined : value === '' ? null : requireIsoDate(value, label);

function parseRow(row: CsvRow, today: string, check: RowCheck): NewVendorInput | null {
  const v = row.values;
  const get = (column: string) => columnValue(v, column);
  const name = check.cell(() => cleanVendorName(v.name ?? ''));
  const criticality = check.cell(() => parseCriticality(v.criticality || invalidCell('criticality')));
  const dataTypes = check.cell(() => (get('data_types') === undefined ? undefined : parseDataTypes(v.data_types!)));
  const regs = check.cell(() =>
    get('regulatory_scope') === undefined ? undefined : parseRegulatoryScope(v.regulatory_scope!),
  );
  const owner = check.cell(() =>
    get('owner') ? parsePrincipal(v.owner!, 'The owner') : get('owner') === '' ? null : undefined,
  );
  const channel = check.cell(() => (get('channel') === undefined ? undefined : parseChannel(v.channel!)));
  const status = check.cell(() => (v.status ? parseStatus(v.status) : undefined));
  const contractStart = check.cell(() => date('contract_start')(get('contract_start')));
  const contractEnd = check.cell(() => date('contract_end')(get('contract_end')));
  const lastReviewOn = check.cell(() =>
    v.last_review_on ? requireIsoDate(v.last_review_on, 'last_review_on') : undefined,
  );
  const tier = check.cell(() => (v.tier ? parseTier(v.tier) : undefined));
  if (contractStart && contractEnd && contractEnd < contractStart) {
    check.fail(`contract_end ${contractEnd} is before contract_start ${contractStart}`);
  }
  if (lastReviewOn && lastReviewOn > today) check.fail(`last_review_on ${lastReviewOn} is in the future`);
  let tierOverride: NewVendorInput['tierOverride'];
  if (tier && v.tier_reason) {
    tierOverride = check.cell(() => ({ tier, reason: requireReason(v.tier_reason, 'overriding the tier') }));
  } else if (tier && get('data_types') === undefined) {
    check.fail('a tier without a tier_reason needs the data_types column to check it against');
  } else if (tier && criticality && dataTypes && deriveTier(dataTypes, criticality) !== tier) {
    // A tier that differs from the derived one is an override, and an override needs its reason.
    check.fail(`tier ${tier} differs from the derived tier ${deriveTier(dataTypes, criticality)}: give a tier_reason`);
  }
  if (!check.ok || name === undefined || criticality === undefined) return null;
  return {
    name,
    criticality,
    services: get('services'),
    dataTypes,
    regulatoryScope: regs,
    ownerId: owner,
    channel,
    status,
    contractStart,
    contractEnd,
    lastReviewOn,
    tierOverride,
  };
}

function invalidCell(column: string): never {
  throw invalidInput(`${column} is empty`);
}

/** Checks every row; returns the parsed rows only when all of them are good. */
export function parseVendorRows(
  rows: CsvRow[],
  columns: number,
  today: string,
): { records: VendorRecord[]; problems: RowProblem[] } {
  const records: VendorRecord[] = [];
  const problems: RowProblem[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const check = new RowCheck();
    const shape = fieldCountProblem(row, columns);
    if (shape) check.fail(shape);
    const input = shape ? null : parseRow(row, today, check);
    const cell = shape ? undefined : columnValue(row.values, 'assets');
    const assets = cell === undefined ? undefined : check.cell(() => parseAssetCell(cell));
    if (input) {
      const key = nameKeyOf(input.name);
      const first = seen.get(key);
      if (first !== undefined) check.fail(`duplicate of line ${first}: “${input.name}” appears twice in the file`);
      else seen.set(key, row.line);
    }
    if (!check.ok) problems.push({ line: row.line, reason: check.problems.join('; ') });
    else if (input) records.push({ line: row.line, input, ...(assets ? { assets } : {}) });
  }
  return { records, problems };
}
