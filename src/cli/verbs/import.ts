import type { Command } from 'commander';
import type { Actor } from '../../core/common/actor.ts';
import { todayOf } from '../../core/common/dates.ts';
import type { CoreDeps } from '../../core/common/deps.ts';
import { isUserError } from '../../core/common/errors.ts';
import { recordEvidence } from '../../core/evidence/record.ts';
import { importGate } from '../../core/lifecycle/import-status.ts';
import { syncSheetAssets } from '../../core/vendors/asset-sheet.ts';
import { nameKeyOf } from '../../core/vendors/input.ts';
import { type UpsertOutcome, upsertVendor } from '../../core/vendors/upsert.ts';
import { type Db, inTransaction, type Tx } from '../../store/database.ts';
import { withStore } from '../context.ts';
import { EVIDENCE_COLUMNS, parseEvidenceRows, REQUIRED_EVIDENCE_COLUMNS } from '../csv/evidence-rows.ts';
import { problemsReport, type RowProblem, readCsv } from '../csv/read-csv.ts';
import { parseVendorRows, REQUIRED_VENDOR_COLUMNS, VENDOR_COLUMNS, type VendorRecord } from '../csv/vendor-rows.ts';
import { type CliIO, UsageError } from '../io.ts';

// `import vendors|evidence FILE.csv`: every row is checked before anything is written, then all rows
// are applied in one transaction through the core's `...In` functions, audited as the operator. One
// bad row (found early or while applying) and nothing at all is written.

type Counts = Record<UpsertOutcome, number>;

async function applyAll<R extends { line: number }>(
  db: Db,
  file: string,
  records: R[],
  apply: (tx: Tx, record: R) => Promise<UpsertOutcome>,
  finish?: (tx: Tx) => Promise<void>,
): Promise<Counts> {
  return inTransaction(db, async (tx) => {
    const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
    const problems: RowProblem[] = [];
    for (const record of records) {
      try {
        counts[await apply(tx, record)] += 1;
      } catch (error) {
        if (!isUserError(error)) throw error;
        problems.push({ line: record.line, reason: error.message.replace(/ Nothing was (added|changed)\.$/, '') });
      }
    }
    // Throwing inside the transaction rolls back every row already applied.
    if (problems.length > 0) throw new UsageError(problemsReport(file, problems));
    await finish?.(tx);
    return counts;
  });
}

/** The vendor's fields, then its declared assets when the sheet lists them: a changed list is an update. */
async function applyVendor(tx: Tx, deps: CoreDeps, actor: Actor, record: VendorRecord): Promise<UpsertOutcome> {
  const outcome = await upsertVendor(tx, deps, actor, record.input);
  if (!record.assets) return outcome;
  const vendor = await tx
    .selectFrom('vendors')
    .select('id')
    .where('name_key', '=', nameKeyOf(record.input.name))
    .executeTakeFirstOrThrow();
  const changed = await syncSheetAssets(tx, deps, actor, vendor.id, record.assets);
  return changed && outcome === 'unchanged' ? 'updated' : outcome;
}

function report(io: CliIO, file: string, what: string, counts: Counts): void {
  const total = counts.created + counts.updated + counts.unchanged;
  io.out(
    `imported ${total} ${what} from ${file}: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged`,
  );
}

const VENDOR_HELP = `
Columns (header names ignore case; spaces may stand for underscores):
  name, criticality        required; the name matches an existing vendor ignoring case
  services                 free text
  data_types               PHI, PII, confidential or none; several separated by ; or ,
  tier, tier_reason        a tier other than the derived one is an override and needs a reason
  owner, channel           slack:U0123 / teams:<id>; slack:C0123 / teams:conv:<id>
  regulatory_scope         e.g. HIPAA; GDPR; 21 CFR Part 11
  status                   requested, in_review, approved, rejected, active, offboarding or offboarded;
                           a new vendor without one is requested. active and approved need a signed
                           activation, unless --legacy states these vendors were in use before this bot
  contract_start, contract_end, last_review_on   dates like 2026-03-31
  next_review_on           ignored (computed from the tier cadence); written by \`export vendors\`
  assets                   declared assets, separated by ;  each a target and, unless its port or https://
                           implies it, the kind of check: "es.acme.example:9200; db.acme.example:5433 postgresql".
                           The list is the vendor's whole list: new ones are declared (checked only once an
                           analyst confirms the vendor authorised it), missing ones removed.
A column left out leaves that field alone; an empty cell clears it. Re-importing a file changes nothing.`;

const EVIDENCE_HELP = `
Columns: vendor, type, expires_on (required); issued_on, url.
  type     soc2_type2, iso27001, pentest, hipaa_baa, gdpr_dpa, insurance (or their names, e.g. "SOC 2 Type II")
  dates    like 2026-03-31
The same vendor, type and expiry is one document: importing it again changes nothing.`;

export function registerImport(program: Command, io: CliIO): void {
  const command = program.command('import').description('load vendors or evidence from a CSV file: all rows or none');
  command
    .command('vendors')
    .argument('<file>', 'a CSV file (UTF-8, with a header row)')
    .description('create or update vendors from a CSV file; reports every bad row and writes nothing if any')
    .option('--legacy', 'these are pre-existing vendors: they may be imported as active without an activation record')
    .addHelpText('after', VENDOR_HELP)
    .action((file: string, options: { legacy?: boolean }) =>
      withStore(io, async ({ deps, actor }) => {
        const csv = readCsv(file, REQUIRED_VENDOR_COLUMNS, VENDOR_COLUMNS);
        const { records, problems } = parseVendorRows(csv.rows, csv.columns.length, todayOf(deps));
        if (problems.length > 0) throw new UsageError(problemsReport(file, problems));
        const gate = importGate(options.legacy === true);
        const counts = await applyAll(
          deps.db,
          file,
          records,
          async (tx, r) => applyVendor(tx, deps, actor, { ...r, input: await gate.check(tx, r.input) }),
          (tx) => gate.finish(tx, deps.clock, actor, file),
        );
        report(io, file, 'vendors', counts);
      }),
    );
  command
    .command('evidence')
    .argument('<file>', 'a CSV file (UTF-8, with a header row)')
    .description('record evidence documents from a CSV file; reports every bad row and writes nothing if any')
    .addHelpText('after', EVIDENCE_HELP)
    .action((file: string) =>
      withStore(io, async ({ deps, actor }) => {
        const csv = readCsv(file, REQUIRED_EVIDENCE_COLUMNS, EVIDENCE_COLUMNS);
        const { records, problems } = await parseEvidenceRows(deps.db, csv.rows, csv.columns.length);
        if (problems.length > 0) throw new UsageError(problemsReport(file, problems));
        const counts = await applyAll(
          deps.db,
          file,
          records,
          async (tx, r) => (await recordEvidence(tx, deps, actor, r.input)).outcome,
        );
        report(io, file, 'evidence documents', counts);
      }),
    );
}
