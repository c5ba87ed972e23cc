import { ACTIONS } from '../src/chat/actions.ts';
import { type ChatContext, type CommandModule, reply } from '../src/chat/command.ts';
import { type Block, ephemeral } from '../src/chat/reply.ts';
import { CHECK_KINDS } from '../src/core/exposure/checks.ts';
import { requirePermission } from '../src/core/roles/permissions.ts';
import { addAsset, authoriseAsset, getAsset, listAssets, removeAsset } from '../src/core/vendors/assets.ts';
import { findVendorByName } from '../src/core/vendors/lookup.ts';
import { inTransaction } from '../src/store/database.ts';
import type { AssetRow } from '../src/store/tables.ts';
import { badArguments, joinOptionWords, nameFrom } from './support/args.ts';

// `/vendor asset add "Acme Health" search.acme.example:9200 [kind] [note]`, `asset authorise`,
// `asset remove`, `asset list`: the assets a vendor declared. An asset is checked for exposure only
// once an analyst confirms the vendor authorised it; the reply to `add` carries that confirmation as a
// button, and whoever presses it is recorded with the time.

export const ASSET_AUTHORISE_ACTION = ACTIONS.assetAuthorise;
const VERBS = ['add', 'remove', 'authorise', 'list'] as const;
type Verb = (typeof VERBS)[number];

interface AssetArgs {
  verb: Verb;
  vendor: string;
  target: string | null;
  kind: string | null;
  note: string;
}

/** The first word that looks like a host, host:port, IP or URL ends the vendor's name. */
const looksLikeTarget = (w: string) => /[.:/]/.test(w) && !/\s/.test(w);

function parseAsset(input: string[]): AssetArgs {
  const words = joinOptionWords(input, []);
  const verb = (words[0] ?? '').toLowerCase();
  if (!(VERBS as readonly string[]).includes(verb)) throw badArguments(`Say what to do: ${VERBS.join(', ')}.`);
  const rest = words.slice(1);
  if (verb === 'list') return { verb: 'list', vendor: nameFrom(rest), target: null, kind: null, note: '' };
  const at = rest.findIndex((w, i) => i > 0 && looksLikeTarget(w));
  if (at < 1) throw badArguments('Name the vendor, then the asset: a host, host:port or URL.');
  const after = rest.slice(at + 1);
  const first = after[0]?.toLowerCase() ?? '';
  const kind = verb === 'add' && first && /^[a-z0-9]+$/.test(first) && first.length <= 16 ? first : null;
  return {
    verb: verb as Verb,
    vendor: nameFrom(rest.slice(0, at)),
    target: rest[at] ?? null,
    kind,
    note: (kind ? after.slice(1) : after).join(' '),
  };
}

function status(a: AssetRow): string {
  if (!a.check_kind) return 'declared for routing only (no kind of check)';
  return a.authorised_at
    ? `checked; authorised by ${a.authorised_by} at ${a.authorised_at.slice(0, 16).replace('T', ' ')} UTC`
    : 'not checked until the vendor’s authorisation is confirmed';
}

const line = (a: AssetRow) => `\`${a.value}\` ${a.check_kind ?? ''}: ${status(a)}${a.note ? `. ${a.note}` : ''}`;

function authoriseButton(vendorName: string, a: AssetRow): Block {
  return {
    type: 'actions',
    buttons: [
      {
        action: ASSET_AUTHORISE_ACTION,
        label: 'Vendor authorised checks',
        value: String(a.id),
        style: 'primary',
        confirm: {
          title: 'Confirm authorisation',
          text: `${vendorName} authorised us to check ${a.value} for exposure. Your name and the time are recorded.`,
          confirm: 'Confirm',
          deny: 'Cancel',
        },
      },
    ],
  };
}

async function run(ctx: ChatContext, args: AssetArgs) {
  const { db } = ctx.deps;
  const vendor = await findVendorByName(db, args.vendor);
  if (args.verb === 'list') {
    const assets = await listAssets(db, vendor.id);
    if (assets.length === 0) return reply(ephemeral(`**${vendor.name}** has no declared assets.`));
    return reply(ephemeral(`Declared assets of **${vendor.name}**\n${assets.map(line).join('\n')}`));
  }
  const target = args.target ?? '';
  return inTransaction(db, async (tx) => {
    await requirePermission(tx, ctx.actor, 'vendor.write');
    if (args.verb === 'remove') {
      const a = await removeAsset(tx, ctx.deps, ctx.actor, { vendorId: vendor.id, value: target });
      return reply(
        ephemeral(`Removed \`${a.value}\` from **${vendor.name}**; it is no longer checked. Past results are kept.`),
      );
    }
    if (args.verb === 'authorise') {
      const a = await authoriseAsset(tx, ctx.deps, ctx.actor, { vendorId: vendor.id, value: target });
      return reply(
        ephemeral(`\`${a.value}\` of **${vendor.name}**: ${status(a)}. The first check runs within minutes.`),
      );
    }
    const { asset, created } = await addAsset(tx, ctx.deps, ctx.actor, {
      vendorId: vendor.id,
      value: target,
      kind: args.kind,
      note: args.note,
    });
    const text = `${created ? 'Declared' : 'Already declared'} for **${vendor.name}**: ${line(asset)}`;
    const confirmable = asset.check_kind && !asset.authorised_at;
    return reply(
      ephemeral(text, confirmable ? [{ type: 'text', text }, authoriseButton(vendor.name, asset)] : undefined),
    );
  });
}

export const assetModule: CommandModule = {
  command: {
    name: 'asset',
    summary: 'Declare, list or remove a vendor’s internet-facing assets; authorised ones are checked for exposure',
    permission: 'vendor.write',
    usage: 'asset add|remove|authorise|list <vendor> [<host[:port]|URL> [kind] [note]]',
    examples: [
      'asset add "Acme Health" search.acme.example:9200 elasticsearch patient search',
      'asset add Globex https://portal.globex.example',
      `asset list "Acme Health"   (kinds: ${CHECK_KINDS.join(', ')})`,
    ],
    parse: parseAsset,
    run,
  },
  actions: [
    {
      action: ASSET_AUTHORISE_ACTION,
      run: async (ctx, value) => {
        const asset = await getAsset(ctx.deps.db, Number(value));
        if (!asset || asset.removed_at) return reply(ephemeral('That asset is no longer declared.'));
        return inTransaction(ctx.deps.db, async (tx) => {
          await requirePermission(tx, ctx.actor, 'vendor.write');
          const a = await authoriseAsset(tx, ctx.deps, ctx.actor, { vendorId: asset.vendor_id, value: asset.value });
          return reply(ephemeral(`\`${a.value}\`: ${status(a)}. The first check runs within minutes.`), true);
        });
      },
    },
  ],
};
