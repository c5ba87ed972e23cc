import { ACTIONS } from '../src/chat/actions.ts';
import { type ChatContext, type CommandModule, reply } from '../src/chat/command.ts';
import { inert, inertTitle } from '../src/chat/inert.ts';
import type { Reply } from '../src/chat/reply.ts';
import { findingLine } from '../src/chat/views/vendor-lines.ts';
import { todayOf } from '../src/core/common/dates.ts';
import type { Severity } from '../src/core/common/vocabulary.ts';
import { listFindings } from '../src/core/findings/queries.ts';
import { ACTIVE_STATES } from '../src/core/findings/states.ts';
import { findVendorByName, getVendor } from '../src/core/vendors/lookup.ts';
import { badArguments, readOptions } from './support/args.ts';
import { clampPage, decodePage, offsetOf, PAGE_SIZE, pageReply } from './support/pagination.ts';
import { severityWord } from './support/vocab.ts';

// `/vendor findings [Acme] [severity:high] [mine]`: findings that still need someone, most severe
// first. The posture card's "Show findings" button lands here too, with the vendor's id.

export const FINDINGS_PAGE_ACTION = ACTIONS.findingsPage;

interface FindingsQuery {
  vendor?: string;
  vendorId?: number;
  severity?: Severity;
  mine: boolean;
}

function parseFindings(words: string[]): FindingsQuery {
  const { words: rest, options } = readOptions(words, ['severity']);
  const mine = rest.length > 0 && rest.at(-1)?.toLowerCase() === 'mine';
  const vendor = (mine ? rest.slice(0, -1) : rest).join(' ').trim();
  const severity = options.get('severity');
  return { vendor: vendor || undefined, severity: severity === undefined ? undefined : severityWord(severity), mine };
}

async function findingsPage(ctx: ChatContext, query: FindingsQuery, page: number): Promise<Reply> {
  const { db } = ctx.deps;
  const vendor =
    query.vendorId !== undefined
      ? await getVendor(db, query.vendorId)
      : query.vendor
        ? await findVendorByName(db, query.vendor)
        : null;
  const filter = {
    vendorId: vendor?.id,
    severity: query.severity,
    assigneeId: query.mine ? ctx.actor.id : undefined,
    states: [...ACTIVE_STATES],
    limit: PAGE_SIZE,
  };
  let result = await listFindings(db, { ...filter, offset: offsetOf(page) });
  const shown = clampPage(page, result.total);
  if (shown !== page) result = await listFindings(db, { ...filter, offset: offsetOf(shown) });
  const today = todayOf(ctx.deps);
  const filters = [query.severity && `severity ${query.severity}`, query.mine && 'assigned to you'].filter(Boolean);
  return pageReply({
    title: vendor ? `Open findings: ${inertTitle(vendor.name)}` : 'Open findings',
    lines: result.items.map((f) => findingLine(f, today)),
    total: result.total,
    page: shown,
    action: FINDINGS_PAGE_ACTION,
    params: {
      vendor: vendor ? String(vendor.id) : undefined,
      severity: query.severity,
      mine: query.mine ? '1' : undefined,
    },
    empty: vendor ? `${inert(vendor.name)} has no open findings.` : 'No open findings.',
    note: filters.length > 0 ? `Filtered: ${filters.join(', ')}` : undefined,
  });
}

function queryFromValue(params: URLSearchParams): FindingsQuery {
  const vendor = params.get('vendor');
  const vendorId = vendor === null ? undefined : Number(vendor);
  if (vendorId !== undefined && !Number.isInteger(vendorId)) throw badArguments('That button is out of date.');
  const severity = params.get('severity');
  return { vendorId, severity: severity ? severityWord(severity) : undefined, mine: params.get('mine') === '1' };
}

export const findingsModule: CommandModule = {
  command: {
    name: 'findings',
    readOnly: true,
    summary: 'Open findings, most severe first: all, one vendor’s, one severity, or those assigned to you',
    usage: 'findings [<vendor>] [severity:<severity>] [mine]',
    examples: ['findings "Acme Health" severity:critical', 'findings mine', 'findings'],
    parse: parseFindings,
    run: async (ctx, query: FindingsQuery) => reply(await findingsPage(ctx, query, 0)),
  },
  actions: [
    {
      action: FINDINGS_PAGE_ACTION,
      run: async (ctx, value) => {
        const { params, page } = decodePage(value);
        // From a posture card (no page yet) the list arrives as a new message; Next/Previous replace it.
        return reply(await findingsPage(ctx, queryFromValue(params), page ?? 0), page !== null);
      },
    },
  ],
};
