import { requireIsoDate } from '../../core/common/dates.ts';
import { invalidInput } from '../../core/common/errors.ts';
import { type EvidenceInput, parseEvidenceType } from '../../core/evidence/record.ts';
import { nameKeyOf } from '../../core/vendors/input.ts';
import { suggestVendorName } from '../../core/vendors/lookup.ts';
import type { DbOrTx } from '../../store/database.ts';
import { type CsvRow, fieldCountProblem, type RowProblem } from './read-csv.ts';
import { RowCheck } from './row-check.ts';

// The evidence sheet: one row per document, matched to its vendor by name. The same vendor, type and
// expiry twice in one file is a mistake (which row is right?), so it is refused rather than guessed.

export const EVIDENCE_COLUMNS = ['vendor', 'type', 'issued_on', 'expires_on', 'url'] as const;
export const REQUIRED_EVIDENCE_COLUMNS = ['vendor', 'type', 'expires_on'] as const;

export interface EvidenceRecord {
  line: number;
  input: EvidenceInput;
}

/** Did-you-mean lookups scan names; past this many unknown vendors the rest are reported without one. */
const MAX_SUGGESTIONS = 20;

async function vendorIds(db: DbOrTx, keys: string[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const unique = [...new Set(keys)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('vendors')
      .select(['id', 'name_key'])
      .where('name_key', 'in', unique.slice(i, i + 500))
      .execute();
    for (const r of rows) ids.set(r.name_key, r.id);
  }
  return ids;
}

function parseUrl(value: string): string | null {
  if (!value) return null;
  if (!/^https?:\/\/\S+$/i.test(value)) throw invalidInput(`url must start with https://, not “${value}”`);
  return value;
}

export async function parseEvidenceRows(
  db: DbOrTx,
  rows: CsvRow[],
  columns: number,
): Promise<{ records: EvidenceRecord[]; problems: RowProblem[] }> {
  const ids = await vendorIds(
    db,
    rows.map((r) => nameKeyOf(r.values.vendor ?? '')),
  );
  const records: EvidenceRecord[] = [];
  const problems: RowProblem[] = [];
  const seen = new Map<string, number>();
  let suggested = 0;
  for (const row of rows) {
    const v = row.values;
    const check = new RowCheck();
    const shape = fieldCountProblem(row, columns);
    if (shape) {
      problems.push({ line: row.line, reason: shape });
      continue;
    }
    const key = nameKeyOf(v.vendor ?? '');
    const vendorId = ids.get(key);
    if (!key) check.fail('vendor is empty');
    else if (vendorId === undefined) {
      const hint = suggested++ < MAX_SUGGESTIONS ? await suggestVendorName(db, key) : null;
      check.fail(`no vendor named “${v.vendor}”${hint ? ` (did you mean “${hint}”?)` : ''}`);
    }
    const type = check.cell(() => parseEvidenceType(v.type ?? ''));
    const issuedOn = check.cell(() => (v.issued_on ? requireIsoDate(v.issued_on, 'issued_on') : null));
    const expiresOn = check.cell(() => requireIsoDate(v.expires_on ?? '', 'expires_on'));
    const url = check.cell(() => parseUrl(v.url ?? ''));
    if (issuedOn && expiresOn && issuedOn > expiresOn) {
      check.fail(`expires_on ${expiresOn} is before issued_on ${issuedOn}`);
    }
    if (check.ok && vendorId !== undefined && type && expiresOn) {
      const id = `${vendorId}|${type}|${expiresOn}`;
      const first = seen.get(id);
      if (first !== undefined) check.fail(`duplicate of line ${first}: the same vendor, type and expiry`);
      else seen.set(id, row.line);
    }
    if (!check.ok || vendorId === undefined || !type || !expiresOn) {
      problems.push({ line: row.line, reason: check.problems.join('; ') });
      continue;
    }
    records.push({ line: row.line, input: { vendorId, type, expiresOn, issuedOn, url } });
  }
  return { records, problems };
}
