import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { isOneOf, OUR_ROLES, type OurRole } from '../../core/common/vocabulary.ts';
import { declareIncident } from '../../core/incidents/declare.ts';
import { getIncidentDetail, listIncidents } from '../../core/incidents/queries.ts';
import { buildReport, reportMarkdown } from '../../core/incidents/report.ts';
import { findVendorByName } from '../../core/vendors/lookup.ts';
import { inTransaction } from '../../store/database.ts';
import { withStore } from '../context.ts';
import { type CliIO, UsageError } from '../io.ts';

// Incidents for operators and scripts: declare one (prints its number), list the open ones, and write
// the regulator-ready report of one as Markdown or JSON.

function incidentNumber(text: string): number {
  const n = Number(text.replace(/^#/, ''));
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`"${text}" is not an incident number`);
  return n;
}

export function registerIncident(program: Command, io: CliIO): void {
  const incident = program
    .command('incident')
    .description('vendor incidents: declare one at once, list the open ones, write the regulator-ready report');
  incident
    .command('declare')
    .description('declare an incident at once and print its number')
    .argument('<vendor>', 'the vendor, by name')
    .argument(
      '<scenario>',
      'the playbook: datastore-exposed, ransomware, credential-compromise, subprocessor-breach, lost-device',
    )
    .argument('<summary>', 'what happened, in a few words')
    .option('--aware-at <iso>', 'when we became aware (default: now)')
    .option('--vendor-aware-at <iso>', 'when the vendor became aware, if known')
    .option('--role <role>', 'our role for this data: controller or processor (default: policy)')
    .action(
      (
        vendorName: string,
        scenario: string,
        summary: string,
        opts: { awareAt?: string; vendorAwareAt?: string; role?: string },
      ) =>
        withStore(io, async ({ deps, actor }) => {
          if (opts.role && !isOneOf(OUR_ROLES, opts.role)) throw new UsageError('--role is controller or processor');
          const vendor = await findVendorByName(deps.db, vendorName);
          const row = await inTransaction(deps.db, (tx) =>
            declareIncident(tx, deps, actor, {
              vendorId: vendor.id,
              scenario,
              summary,
              awareAt: opts.awareAt ?? null,
              vendorAwareAt: opts.vendorAwareAt ?? null,
              ourRole: (opts.role as OurRole | undefined) ?? null,
            }),
          );
          io.out(String(row.id));
        }),
    );
  incident
    .command('list')
    .description('incidents not yet closed, newest first')
    .option('--all', 'closed incidents too')
    .action((opts: { all?: boolean }) =>
      withStore(io, async ({ deps }) => {
        const rows = await listIncidents(deps.db, { all: opts.all });
        if (rows.length === 0) {
          io.out('no open incidents');
          return;
        }
        for (const r of rows) {
          const next = r.next_deadline ? `next deadline ${r.next_deadline}` : 'no clock running';
          io.out(`#${r.id}\t${r.vendor_name}\t${r.scenario}\t${r.severity}\t${r.state}\t${next}\t${r.summary}`);
        }
      }),
    );
  incident
    .command('report')
    .description('the regulator-ready record of one incident')
    .argument('<number>', 'the incident number')
    .option('--format <format>', 'md or json', 'md')
    .option('--out <file>', 'write to this file instead of standard output')
    .action((number: string, opts: { format: string; out?: string }) =>
      withStore(io, async ({ deps }) => {
        if (opts.format !== 'md' && opts.format !== 'json') throw new UsageError('--format is md or json');
        const report = buildReport(await getIncidentDetail(deps.db, incidentNumber(number)));
        const text = opts.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : reportMarkdown(report);
        if (opts.out) {
          writeFileSync(opts.out, text);
          io.out(`wrote incident #${report.incident.number} to ${opts.out}`);
        } else io.out(text.trimEnd());
      }),
    );
}
