import { ACTIONS } from '../src/chat/actions.ts';
import { type ChatContext, type CommandModule, reply } from '../src/chat/command.ts';
import type { Reply } from '../src/chat/reply.ts';
import { type DueItem, dueLine } from '../src/chat/views/vendor-lines.ts';
import { addDaysIso, todayOf } from '../src/core/common/dates.ts';
import { EVIDENCE_LABELS } from '../src/core/common/vocabulary.ts';
import { listEvidenceDue } from '../src/core/evidence/record.ts';
import { listVendors } from '../src/core/vendors/lookup.ts';
import { badArguments } from './support/args.ts';
import { clampPage, decodePage, offsetOf, PAGE_SIZE, pageReply } from './support/pagination.ts';
import { namesOf } from './support/people.ts';

// `/vendor due [14d]`: reassessments and evidence falling due within the window (30 days unless
// told), overdue ones included, soonest first. Both lists are small (one row per vendor and
// document type), so they are merged in memory and paged together.

export const DUE_PAGE_ACTION = ACTIONS.duePage;
export const DEFAULT_DUE_DAYS = 30;
const MAX_DUE_DAYS = 366;

function parseDays(words: string[]): { days: number } {
  if (words.length === 0) return { days: DEFAULT_DUE_DAYS };
  const m = words.length === 1 ? /^(\d{1,3})d?$/i.exec(words[0] ?? '') : null;
  const days = m ? Number(m[1]) : Number.NaN;
  if (!(days >= 1 && days <= MAX_DUE_DAYS)) {
    throw badArguments(`Give the window in days, like \`14d\`, from 1d to ${MAX_DUE_DAYS}d.`);
  }
  return { days };
}

type Vendors = Awaited<ReturnType<typeof listVendors>>['rows'];

async function reviewsDueBy(ctx: ChatContext, through: string): Promise<Vendors> {
  const rows: Vendors = [];
  // "overdue on the day after" = due on or before `through`; listVendors leaves out offboarded vendors.
  const filter = { overdueOn: addDaysIso(through, 1), limit: 500 };
  for (let offset = 0; ; offset += filter.limit) {
    const page = await listVendors(ctx.deps.db, { ...filter, offset });
    rows.push(...page.rows);
    if (page.rows.length < filter.limit || rows.length >= page.total) return rows;
  }
}

async function duePage(ctx: ChatContext, days: number, page: number): Promise<Reply> {
  const today = todayOf(ctx.deps);
  const through = addDaysIso(today, days);
  const [reviews, evidence] = await Promise.all([reviewsDueBy(ctx, through), listEvidenceDue(ctx.deps.db, through)]);
  const items: DueItem[] = [
    ...reviews.map((v) => ({
      kind: 'review' as const,
      on: v.next_review_on ?? through,
      vendorName: v.name,
      ownerId: v.owner_id,
      ownerName: null,
    })),
    ...evidence.map((e) => ({
      kind: 'evidence' as const,
      on: e.expires_on,
      vendorName: e.vendor_name,
      label: EVIDENCE_LABELS[e.type] ?? e.type,
      ownerId: e.owner_id,
      ownerName: null,
    })),
  ];
  items.sort((a, b) => a.on.localeCompare(b.on) || a.vendorName.localeCompare(b.vendorName));
  const shown = clampPage(page, items.length);
  const slice = items.slice(offsetOf(shown), offsetOf(shown) + PAGE_SIZE);
  const names = await namesOf(
    ctx.deps.db,
    slice.map((i) => i.ownerId),
  );
  return pageReply({
    title: `Due within ${days} days`,
    lines: slice.map((i) => dueLine({ ...i, ownerName: i.ownerId ? (names.get(i.ownerId) ?? null) : null }, today)),
    total: items.length,
    page: shown,
    action: DUE_PAGE_ACTION,
    params: { days: String(days) },
    empty: `Nothing falls due within ${days} days, and nothing is overdue.`,
    note: `through ${through}, overdue included`,
  });
}

export const dueModule: CommandModule = {
  command: {
    name: 'due',
    readOnly: true,
    summary: 'Reassessments and evidence due within a window (30 days unless told), overdue first',
    usage: 'due [<days>d]',
    examples: ['due 14d', 'due'],
    parse: parseDays,
    run: async (ctx, args: { days: number }) => reply(await duePage(ctx, args.days, 0)),
  },
  actions: [
    {
      action: DUE_PAGE_ACTION,
      run: async (ctx, value) => {
        const { params, page } = decodePage(value);
        const { days } = parseDays([params.get('days') ?? '']);
        return reply(await duePage(ctx, days, page ?? 0), page !== null);
      },
    },
  ],
};
