import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { UsageError } from '../io.ts';

export interface CsvRow {
  /** The line the record starts on in the file, as a spreadsheet user would count it. */
  line: number;
  values: Record<string, string>;
}

/** A row-level problem, reported with its line number; any one of them means nothing is written. */
export interface RowProblem {
  line: number;
  reason: string;
}

/**
 * Reads a CSV file exported from a spreadsheet: UTF-8 with or without a byte-order mark, quoted fields
 * with commas and newlines, header names matched case-insensitively with spaces turned into underscores.
 */
export function readCsv(file: string, required: readonly string[], known: readonly string[]): CsvRow[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as typeof records;
  } catch (error) {
    throw new UsageError(`${file} is not valid CSV: ${(error as Error).message}`);
  }
  const [head, ...body] = records;
  if (!head) throw new UsageError(`${file} is empty`);
  const header = head.record.map((h) => h.toLowerCase().replace(/\s+/g, '_'));
  const missing = required.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    throw new UsageError(`${file} line 1: missing column ${missing.join(', ')} (columns: ${known.join(', ')})`);
  }
  const unknown = header.filter((h) => h && !known.includes(h));
  if (unknown.length > 0) {
    throw new UsageError(`${file} line 1: unknown column ${unknown.join(', ')} (columns: ${known.join(', ')})`);
  }
  return body.map(({ record, info }) => ({
    line: info.lines - countNewlines(record),
    values: Object.fromEntries(header.map((h, i) => [h, record[i] ?? ''])),
  }));
}

function countNewlines(record: string[]): number {
  return record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
}

export function problemsReport(file: string, problems: RowProblem[]): string {
  const lines = problems
    .sort((a, b) => a.line - b.line)
    .map((p) => `${file} line ${p.line}: ${p.reason}`)
    .join('\n');
  return `${problems.length} bad row${problems.length === 1 ? '' : 's'}; nothing was imported\n${lines}`;
}
