import type { Command } from 'commander';
import { todayOf } from '../../core/common/dates.ts';
import { exposureLine, exposureSummary } from '../../core/exposure/summary.ts';
import { listFindings } from '../../core/findings/queries.ts';
import { ACTIVE_STATES } from '../../core/findings/states.ts';
import { getPosture } from '../../core/posture/posture.ts';
import { displayName } from '../../core/roles/people.ts';
import { findVendorByName } from '../../core/vendors/lookup.ts';
import { withStore } from '../context.ts';
import type { CliIO } from '../io.ts';
import { renderPosture } from './posture-view.ts';

const FINDINGS_SHOWN = 20;

export function registerPosture(program: Command, io: CliIO): void {
  program
    .command('posture')
    .description("a vendor's grade, score, residual risk, drivers, evidence, open findings and review dates")
    .argument('<name...>', 'the vendor name (quotes optional; case does not matter)')
    .action((words: string[]) =>
      withStore(io, async ({ store, deps }) => {
        const vendor = await findVendorByName(store.db, words.join(' '));
        const today = todayOf(deps);
        const posture = await getPosture(store.db, deps, vendor.id, today);
        const page = await listFindings(store.db, {
          vendorId: vendor.id,
          states: [...ACTIVE_STATES],
          limit: FINDINGS_SHOWN,
          offset: 0,
        });
        io.out(
          renderPosture({
            posture,
            today,
            ownerName: await displayName(store.db, vendor.owner_id),
            findings: page.items,
            findingsTotal: page.total,
          }),
        );
        const exposure = await exposureSummary(store.db, vendor.id);
        if (exposure) io.out(exposureLine(exposure, deps.clock.now()));
      }),
    );
}
