import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { withStore } from '../context.ts';
import { EXPORT_SOURCES, type ExportName, type ExportRecord } from '../csv/export-sources.ts';
import { type CliIO, UsageError } from '../io.ts';

// `export vendors|findings|audit [--format csv|json] [--out FILE]`: stdout by default. A file is
// written beside its final name and renamed into place, so a reader never sees half an export.

const PAGE = 2000;
const FORMATS = ['csv', 'json'] as const;

interface Sink {
  write(text: string): void;
  done(): void;
  abort(): void;
}

function stdoutSink(io: CliIO): Sink {
  // io.out ends every write with a newline; chunks are cut so that adds nothing extra.
  return { write: (text) => io.out(text.replace(/\n$/, '')), done: () => {}, abort: () => {} };
}

function fileSink(file: string): Sink {
  const partial = `${file}.partial`;
  let fd: number;
  try {
    fd = openSync(partial, 'w');
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return {
    write: (text) => void writeSync(fd, text),
    done: () => {
      closeSync(fd);
      renameSync(partial, file);
    },
    abort: () => {
      closeSync(fd);
      rmSync(partial, { force: true });
    },
  };
}

/** A cell a spreadsheet would run as a formula (=, +, -, @) is written with a leading apostrophe. */
function guard(value: ExportRecord[string]): string | number | null {
  if (Array.isArray(value)) return guard(value.join('; '));
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvChunk(columns: readonly string[], records: ExportRecord[], first: boolean): string {
  const rows = records.map((r) => columns.map((c) => guard(r[c] ?? null)));
  return stringify(rows, { header: first, columns: [...columns], record_delimiter: '\n' });
}

function jsonChunk(records: ExportRecord[], first: boolean): string {
  // Whitespace between array elements is valid JSON, so pages can be written as they are read.
  return records.map((r, i) => `${first && i === 0 ? '' : ',\n'}${JSON.stringify(r)}`).join('');
}

export function registerExport(program: Command, io: CliIO): void {
  program
    .command('export')
    .description('write vendors, findings or the audit log as CSV or JSON')
    .argument('<what>', Object.keys(EXPORT_SOURCES).join(' | '))
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('csv'))
    .option('--out <file>', 'write to this file instead of standard output')
    .action((what: string, options: { format: (typeof FORMATS)[number]; out?: string }) => {
      if (!Object.hasOwn(EXPORT_SOURCES, what)) {
        throw new UsageError(`cannot export "${what}"; choose one of ${Object.keys(EXPORT_SOURCES).join(', ')}`);
      }
      const source = EXPORT_SOURCES[what as ExportName];
      return withStore(io, async ({ store }) => {
        const sink = options.out ? fileSink(options.out) : stdoutSink(io);
        try {
          let after = 0;
          let count = 0;
          if (options.format === 'json') sink.write('[\n');
          for (;;) {
            const { records, last } = await source.page(store.db, after, PAGE);
            const first = count === 0;
            if (records.length === 0) {
              if (first && options.format === 'csv') sink.write(csvChunk(source.columns, [], true));
              break;
            }
            sink.write(options.format === 'csv' ? csvChunk(source.columns, records, first) : jsonChunk(records, first));
            count += records.length;
            after = last;
          }
          if (options.format === 'json') sink.write('\n]\n');
          sink.done();
          if (options.out) io.out(`exported ${count} ${what === 'audit' ? 'audit rows' : what} to ${options.out}`);
        } catch (error) {
          sink.abort();
          throw error;
        }
      });
    });
}
