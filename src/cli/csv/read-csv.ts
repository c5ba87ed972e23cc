import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { UsageError } from '../io.ts';

export interface CsvRow {
  /** The line the record starts on in the file, as a spreadsheet user would count it. */
  line: number;
  values: Record<string, string>;
  /** How many fields the record had: a row with more or fewer than the header is refused. */
  fieldCount: number;
}

export interface CsvFile {
  /** Header names as matched: lower case, spaces turned into underscores. */
  columns: string[];
  rows: CsvRow[];
}

/** A row-level problem, reported with its line number; any one of them means nothing is written. */
export interface RowProblem {
  line: number;
  reason: string;
}

const CR = 0x0d;
const LF = 0x0a;

const breaks = (text: string) => text.match(/\r\n|\r|\n/g)?.length ?? 0;

/**
 * The line each record starts on. csv-parse reports how many bytes each record consumed but counts a
 * CRLF inside a quoted field as two lines, so its own count drifts on Windows files. Here a record's
 * last line is counted from its end offset, then the line breaks inside its fields are stepped back.
 * Skipped blank rows in between cannot shift the result.
 */
function startLines(bytes: Buffer, records: { record: string[]; info: { bytes: number } }[]): number[] {
  let line = 1;
  let at = 0;
  return records.map(({ record, info }) => {
    let end = info.bytes;
    if (bytes[end - 1] === LF) end--;
    if (bytes[end - 1] === CR) end--;
    for (; at < end; at++) {
      const b = bytes[at];
      if (b === LF || (b === CR && bytes[at + 1] !== LF)) line++;
    }
    return line - record.reduce((n, field) => n + breaks(field), 0);
  });
}

/** A cell written by our own export as '=... to keep spreadsheets from running it reads back as =... */
export function unguardCell(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

/**
 * Reads a CSV file exported from a spreadsheet: UTF-8 with or without a byte-order mark, quoted fields
 * with commas and newlines, header names matched case-insensitively with spaces turned into underscores.
 * File-level problems (unreadable, not UTF-8, not CSV, a missing or unknown column) are a UsageError
 * naming line 1; row-level problems are left to the caller, which reports every bad row at once.
 */
export function readCsv(file: string, required: readonly string[], known: readonly string[]): CsvFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`${file} is not UTF-8 text; save it from your spreadsheet as "CSV UTF-8"`);
  }
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    records = parse(bytes, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      // Spreadsheets leave rows of bare commas below the data; they are not records.
      skip_records_with_empty_values: true,
      trim: true,
    }) as unknown as typeof records;
  } catch (error) {
    throw new UsageError(`${file} is not valid CSV: ${(error as Error).message}`);
  }
  const starts = startLines(bytes, records);
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
  const repeated = header.filter((h, i) => h && header.indexOf(h) !== i);
  if (repeated.length > 0) throw new UsageError(`${file} line 1: column ${repeated.join(', ')} appears twice`);
  return {
    columns: header,
    rows: body.map(({ record }, i) => ({
      line: starts[i + 1] ?? 0,
      fieldCount: record.length,
      values: Object.fromEntries(header.map((h, j) => [h, unguardCell(record[j] ?? '')])),
    })),
  };
}

/** The problem with a record whose field count does not match the header, if any. */
export function fieldCountProblem(row: CsvRow, columns: number): string | null {
  if (row.fieldCount < columns) {
    return `has ${row.fieldCount} fields but the header has ${columns}: a column is missing`;
  }
  if (row.fieldCount > columns) {
    return `has ${row.fieldCount} fields but the header has ${columns}: is a comma inside a value not quoted?`;
  }
  return null;
}

export function problemsReport(file: string, problems: RowProblem[]): string {
  const lines = problems
    .sort((a, b) => a.line - b.line)
    .map((p) => `${file} line ${p.line}: ${p.reason}`)
    .join('\n');
  return `${problems.length} bad row${problems.length === 1 ? '' : 's'}; nothing was imported\n${lines}`;
}
