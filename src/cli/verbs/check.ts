import type { Command } from 'commander';
import { listAssets } from '../../core/vendors/assets.ts';
import { findVendorByName } from '../../core/vendors/lookup.ts';
import { createProbePacer } from '../../exposure/pacing.ts';
import { checkAssets } from '../../exposure/run-checks.ts';
import { withStore } from '../context.ts';
import { type CliIO, ExitWith } from '../io.ts';
import { formatTable } from './table.ts';

// `check "<vendor>"`: the vendor's authorised assets checked now, each result printed and kept exactly
// as a scheduled check's would be (a new exposure opens a finding and queues its card). Exit 0 when
// nothing is exposed, 3 when something is, 2 for bad input.

export const EXPOSURE_FOUND = 3;

const OUTCOME_WORDS = { exposed: 'EXPOSED', passed: 'pass', could_not_check: 'could not check' } as const;

export function registerCheck(program: Command, io: CliIO): void {
  program
    .command('check')
    .argument('<vendor>', 'vendor name')
    .description("check a vendor's authorised assets for exposure now (exit 3 when something is exposed)")
    .action((vendorName: string) =>
      withStore(io, async ({ config, deps }) => {
        const vendor = await findVendorByName(deps.db, vendorName);
        const assets = await listAssets(deps.db, vendor.id);
        if (assets.length === 0) {
          io.out(
            `${vendor.name} has no declared assets; declare one with: asset add "${vendor.name}" <target> --authorised-by <name>`,
          );
          return;
        }
        const pacer = createProbePacer();
        let results: Awaited<ReturnType<typeof checkAssets>>;
        try {
          results = await checkAssets(
            deps,
            assets.map((a) => a.id),
            { ...config.exposure, pacer },
          );
        } finally {
          await pacer.stop();
        }
        const rows = results.map((r) =>
          r.status === 'checked'
            ? [
                r.asset.value,
                r.record.check.check_kind,
                OUTCOME_WORDS[r.record.verdict.outcome],
                r.record.verdict.problems.map((p) => `${p.severity}: ${p.issue.replace(/_/g, ' ')}`).join('; ') ||
                  r.record.check.answered,
              ]
            : [r.asset.value, r.asset.check_kind ?? '', 'not checked', r.reason],
        );
        io.out(formatTable(['TARGET', 'CHECK', 'RESULT', 'DETAIL'], rows));
        const opened = results.flatMap((r) => (r.status === 'checked' ? r.record.opened : []));
        for (const f of opened) io.out(`opened finding #${f.id} (${f.severity}): ${f.title}`);
        const exposed = results.filter((r) => r.status === 'checked' && r.record.verdict.outcome === 'exposed').length;
        if (exposed > 0) throw new ExitWith(EXPOSURE_FOUND, `${exposed} of ${results.length} assets exposed`);
      }),
    );
}
