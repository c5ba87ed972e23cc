import { type CommandModule, reply } from '../src/chat/command.ts';
import { ephemeral, mention } from '../src/chat/reply.ts';
import { displayName } from '../src/core/roles/people.ts';
import { requirePermission } from '../src/core/roles/permissions.ts';
import { setOwner } from '../src/core/vendors/admin.ts';
import { findVendorByName } from '../src/core/vendors/lookup.ts';
import { inTransaction } from '../src/store/database.ts';
import { badArguments, joinOptionWords, nameFrom, personToken } from './support/args.ts';

// `/vendor owner Acme @dana`: who answers reassessments and evidence reminders for a vendor.
// `none` instead of a person leaves the vendor without an owner. Analysts and admins only (core).

interface OwnerArgs {
  vendor: string;
  owner: { id: string; name: string } | null;
}

function parseOwner(input: string[]): OwnerArgs {
  const words = joinOptionWords(input, []);
  if (words.length < 2) throw badArguments('Name the vendor, then the new owner as @name.');
  const last = words.at(-1) ?? '';
  const clear = last.toLowerCase() === 'none';
  const owner = clear ? null : personToken(last);
  if (!clear && owner === null) throw badArguments(`The new owner must be a person, written @name, not “${last}”.`);
  return { vendor: nameFrom(words.slice(0, -1)), owner };
}

export const ownerModule: CommandModule = {
  command: {
    name: 'owner',
    summary: 'Set who owns a vendor relationship (reminders and reassessments go to them)',
    permission: 'vendor.write',
    usage: 'owner <vendor> @user|none',
    examples: ['owner "Acme Health" @dana', 'owner Globex none'],
    parse: parseOwner,
    run: async (ctx, args: OwnerArgs) => {
      const vendor = await findVendorByName(ctx.deps.db, args.vendor);
      const ownerId = args.owner?.id ?? null;
      const { changed } = await inTransaction(ctx.deps.db, async (tx) => {
        await requirePermission(tx, ctx.actor, 'vendor.write');
        return setOwner(tx, ctx.deps, ctx.actor, { vendorId: vendor.id, ownerId });
      });
      if (args.owner === null) {
        return reply(ephemeral(changed ? `${vendor.name} has no owner now.` : `${vendor.name} already had no owner.`));
      }
      const known = await displayName(ctx.deps.db, args.owner.id);
      const who = mention(args.owner.id, known && known !== args.owner.id ? known : args.owner.name);
      return reply(
        ephemeral(
          changed ? `${who} now owns **${vendor.name}**.` : `${who} already owns **${vendor.name}**; nothing changed.`,
        ),
      );
    },
  },
};
