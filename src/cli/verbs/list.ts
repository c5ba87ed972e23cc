import type { Command } from 'commander';
import { todayOf } from '../../core/common/dates.ts';
import { GATED } from '../../core/lifecycle/states.ts';
import { getPosture } from '../../core/posture/posture.ts';
import { parseStatus, parseTier } from '../../core/vendors/input.ts';
import { listVendors, type VendorListFilter } from '../../core/vendors/lookup.ts';
import type { VendorRow } from '../../store/tables.ts';
import { withStore } from '../context.ts';
import type { CliIO } from '../io.ts';
import { formatTable } from './table.ts';
import { printUndelivered } from './undelivered.ts';

// `list [--tier T] [--overdue]`: the inventory as an aligned table with each vendor's grade, most
// overdue first when asked for overdue reviews, else by name.

const PAGE = 500;

export function registerList(program: Command, io: CliIO): void {
  program
    .command('list')
    .description('list vendors with tier, grade, open findings, owner and review dates')
    .option('--tier <tier>', 'only this tier: critical, high, medium or low')
    .option('--overdue', 'only vendors whose reassessment is overdue, most overdue first')
    .option('--status <status>', 'only this lifecycle status: requested, in_review, approved, rejected, active, …')
    .option('--dead', 'instead: messages the bot gave up delivering, newest first')
    .option('--waiting', 'instead: messages waiting for the bot to be installed in a Teams conversation')
    .action((options: { tier?: string; overdue?: boolean; status?: string; dead?: boolean; waiting?: boolean }) => {
      if (options.dead || options.waiting) {
        return withStore(io, ({ store }) => printUndelivered(io, store.db, options));
      }
      const tier = options.tier === undefined ? undefined : parseTier(options.tier);
      const status = options.status === undefined ? undefined : parseStatus(options.status);
      return withStore(io, async ({ store, deps }) => {
        const today = todayOf(deps);
        const filter: VendorListFilter = { tier, status, overdueOn: options.overdue ? today : undefined, limit: PAGE };
        const vendors: VendorRow[] = [];
        for (let offset = 0; ; offset += PAGE) {
          const { rows, total } = await listVendors(store.db, { ...filter, offset });
          vendors.push(...rows);
          if (rows.length === 0 || vendors.length >= total) break;
        }
        if (vendors.length === 0) {
          io.out(options.overdue ? 'no vendor has an overdue reassessment' : 'no vendors match');
          return;
        }
        const owners = [...new Set(vendors.map((v) => v.owner_id).filter((o): o is string => o !== null))];
        const names = new Map<string, string>();
        for (let i = 0; i < owners.length; i += PAGE) {
          const people = await store.db
            .selectFrom('people')
            .select(['principal', 'display_name'])
            .where('principal', 'in', owners.slice(i, i + PAGE))
            .execute();
          for (const p of people) names.set(p.principal, p.display_name);
        }
        const rows: string[][] = [];
        for (const v of vendors) {
          const p = await getPosture(store.db, deps, v.id, today);
          const open = Object.values(p.openFindings).reduce((a, b) => a + b, 0);
          rows.push([
            v.name,
            v.tier,
            (GATED as string[]).includes(v.status) ? `${v.status} (not approved for use)` : v.status,
            `${p.grade} ${String(p.score).padStart(3)}`,
            String(open),
            v.owner_id ? (names.get(v.owner_id) ?? v.owner_id) : '',
            v.last_review_on ?? 'never',
            p.nextReviewOn ?? '',
            p.overdue ? `${p.overdueDays} day${p.overdueDays === 1 ? '' : 's'}` : '',
          ]);
        }
        const headers = ['NAME', 'TIER', 'STATUS', 'GRADE', 'OPEN', 'OWNER', 'LAST REVIEW', 'NEXT REVIEW', 'OVERDUE'];
        io.out(formatTable(headers, rows));
        io.out(`${vendors.length} vendor${vendors.length === 1 ? '' : 's'}`);
      });
    });
}
