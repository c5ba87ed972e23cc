import { type ChatContext, type Command, type CommandModule, reply } from '../src/chat/command.ts';
import { type Block, ephemeral } from '../src/chat/reply.ts';
import { quotedName } from '../src/chat/suggestions.ts';
import { IN_CADENCE } from '../src/core/lifecycle/states.ts';
import { principalsOf } from '../src/core/roles/identity.ts';
import { can, rolesOf } from '../src/core/roles/permissions.ts';
import { badArguments } from './support/args.ts';

// `/vendor help` (also empty text and unknown subcommands, via dispatch): the subcommands this person
// can use, each with its usage and first example, generated from the registry so it cannot drift from
// what is registered. A viewer is not shown what only analysts or admins may do; `help <subcommand>`
// still explains any one, with all its examples. Examples name vendors from the real inventory.

export const COMMAND_PREFIX = '/vendor';

/**
 * The stand-in vendors the registry's examples are written with, longest first, and which of the
 * inventory's first vendors (by name) each becomes in help: 0 the first, 1 the second.
 */
const EXAMPLE_VENDORS: readonly [string, number][] = [
  ['Northstar Trials Network', 0],
  ['Acme Health Cloud', 0],
  ['Acme Health', 0],
  ['Globex', 1],
];
const STAND_INS = new RegExp(EXAMPLE_VENDORS.map(([s]) => `"${s}"|\\b${s}\\b`).join('|'), 'g');

const line = (c: Command) => `\`${COMMAND_PREFIX} ${c.usage}\`\n${c.summary}`;

/** The inventory's first vendors (in service, by name), to name in examples; empty when there are none. */
async function exampleVendors(ctx: ChatContext): Promise<string[]> {
  const rows = await ctx.deps.db
    .selectFrom('vendors')
    .select('name')
    .where('status', 'in', IN_CADENCE)
    .orderBy('name_key')
    .limit(2)
    .execute();
  return rows.map((r) => r.name);
}

/** An example with its stand-in vendors swapped for real ones (as they would be typed); as written when there are none. */
export function realExample(example: string, vendors: readonly string[]): string {
  if (vendors.length === 0) return example;
  // One pass, so a real name that contains a stand-in (a real "Acme Health Cloud") is not replaced again.
  return example.replace(STAND_INS, (match) => {
    const index = EXAMPLE_VENDORS.find(([standIn]) => match.replace(/"/g, '') === standIn)?.[1] ?? 0;
    return quotedName(vendors[index] ?? vendors[0]!);
  });
}

/** Whether help lists this command to someone with these roles (and vendors of their own, or not). */
async function visible(ctx: ChatContext): Promise<(c: Command) => boolean> {
  const roles = await rolesOf(ctx.deps.db, ctx.actor.id);
  const owns = await ctx.deps.db
    .selectFrom('vendors')
    .select('id')
    .where('owner_id', 'in', await principalsOf(ctx.deps.db, ctx.actor.id))
    .limit(1)
    .executeTakeFirst();
  return (c) => {
    if (!c.permission) return true;
    const needs = typeof c.permission === 'string' ? [c.permission] : c.permission;
    return needs.some((p) => can(roles, p, owns !== undefined));
  };
}

/** `commands` is read at run time: the registry that holds help is built after this module. */
export function helpModule(commands: () => readonly Command[]): CommandModule {
  return {
    command: {
      name: 'help',
      readOnly: true,
      summary: 'What each subcommand does, with an example',
      usage: 'help [<subcommand>]',
      examples: ['help posture', 'help'],
      parse: (words: string[]) => {
        if (words.length > 1) throw badArguments('Ask about one subcommand at a time.');
        return { topic: words[0]?.toLowerCase() ?? null };
      },
      run: async (ctx, args: { topic: string | null }) => {
        const vendors = await exampleVendors(ctx);
        const example = (e: string) => `\`${COMMAND_PREFIX} ${realExample(e, vendors)}\``;
        const all = commands();
        const one = all.find((c) => c.name === args.topic);
        if (one) {
          const text = `${line(one)}\nExamples:\n${one.examples.map(example).join('\n')}`;
          return reply(ephemeral(text, [{ type: 'text', text }]));
        }
        const shown = all.filter(await visible(ctx));
        const blocks: Block[] = [
          { type: 'header', text: 'Vendor risk commands' },
          ...shown.map((c): Block => {
            const first = c.examples[0] ? `\ne.g. ${example(c.examples[0])}` : '';
            return { type: 'text', text: `${line(c)}${first}` };
          }),
          {
            type: 'context',
            text:
              `Names with spaces go in quotes. \`${COMMAND_PREFIX} help <subcommand>\` shows more.` +
              (shown.length < all.length ? ' Commands your role does not allow are left out.' : ''),
          },
        ];
        const text = shown.map((c) => `${COMMAND_PREFIX} ${c.usage}: ${c.summary}`).join('\n');
        return reply(ephemeral(text, blocks));
      },
    },
  };
}
