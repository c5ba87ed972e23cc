import { ACTIONS } from '../src/chat/actions.ts';
import { type ChatContext, type CommandModule, reply } from '../src/chat/command.ts';
import { parseUserRef } from '../src/chat/refs.ts';
import { mention, type Reply } from '../src/chat/reply.ts';
import { vendorLine } from '../src/chat/views/vendor-lines.ts';
import { todayOf } from '../src/core/common/dates.ts';
import type { Tier } from '../src/core/common/vocabulary.ts';
import { listVendors } from '../src/core/vendors/lookup.ts';
import { badArguments, readOptions } from './support/args.ts';
import { clampPage, decodePage, offsetOf, PAGE_SIZE, pageReply } from './support/pagination.ts';
import { namesOf } from './support/people.ts';
import { tierWord } from './support/vocab.ts';

// `/vendor list [tier:high] [overdue] [owner:@dana]`: the inventory, filtered, a page at a time.

export const LIST_PAGE_ACTION = ACTIONS.listPage;

const tierOption = (value: string | undefined) => (value === undefined ? undefined : tierWord(value));

interface ListQuery {
  tier?: Tier;
  overdue: boolean;
  /** A principal, or `me` for whoever asks. */
  owner?: string;
}

function parseList(words: string[]): ListQuery {
  const { words: rest, options } = readOptions(words, ['tier', 'owner']);
  const extra = rest.filter((w) => w.toLowerCase() !== 'overdue');
  if (extra.length > 0) throw badArguments(`I don't understand “${extra.join(' ')}”.`);
  const owner = options.get('owner');
  const ownerId = owner === undefined || owner.toLowerCase() === 'me' ? owner?.toLowerCase() : parseUserRef(owner);
  if (ownerId === null) throw badArguments(`\`owner:\` needs a person (@name) or \`me\`, not “${owner}”.`);
  return { tier: tierOption(options.get('tier')), overdue: rest.length > extra.length, owner: ownerId };
}

async function listPage(ctx: ChatContext, query: ListQuery, page: number): Promise<Reply> {
  const { db } = ctx.deps;
  const today = todayOf(ctx.deps);
  const ownerId = query.owner === 'me' ? ctx.actor.id : query.owner;
  const filter = { tier: query.tier, ownerId, overdueOn: query.overdue ? today : undefined, limit: PAGE_SIZE };
  let result = await listVendors(db, { ...filter, offset: offsetOf(page) });
  const shown = clampPage(page, result.total);
  if (shown !== page) result = await listVendors(db, { ...filter, offset: offsetOf(shown) });
  const names = await namesOf(db, [ownerId ?? null, ...result.rows.map((v) => v.owner_id)]);
  const filters = [
    query.tier && `tier ${query.tier}`,
    query.overdue && 'review overdue',
    ownerId && `owner ${query.owner === 'me' ? 'you' : mention(ownerId, names.get(ownerId) ?? ownerId)}`,
  ].filter(Boolean);
  return pageReply({
    title: query.overdue ? 'Vendors overdue for review' : 'Vendors',
    lines: result.rows.map((v) => vendorLine(v, v.owner_id ? (names.get(v.owner_id) ?? null) : null, today)),
    total: result.total,
    page: shown,
    action: LIST_PAGE_ACTION,
    params: { tier: query.tier, overdue: query.overdue ? '1' : undefined, owner: query.owner },
    empty: filters.length > 0 ? 'No vendors match those filters.' : 'No vendors yet. Add one with `/vendor add`.',
    note: filters.length > 0 ? `Filtered: ${filters.join(', ')}` : undefined,
  });
}

export const listModule: CommandModule = {
  command: {
    name: 'list',
    readOnly: true,
    summary: 'The vendor inventory, filtered by tier, overdue review or owner',
    usage: 'list [tier:<tier>] [overdue] [owner:@user|me]',
    examples: ['list tier:critical overdue', 'list owner:me', 'list'],
    parse: parseList,
    run: async (ctx, query: ListQuery) => reply(await listPage(ctx, query, 0)),
  },
  actions: [
    {
      action: LIST_PAGE_ACTION,
      run: async (ctx, value) => {
        const { params, page } = decodePage(value);
        const query: ListQuery = {
          tier: tierOption(params.get('tier') ?? undefined),
          overdue: params.get('overdue') === '1',
          owner: params.get('owner') ?? undefined,
        };
        return reply(await listPage(ctx, query, page ?? 0), page !== null);
      },
    },
  ],
};
