import { type CommandModule, reply } from '../src/chat/command.ts';
import { dueDiligenceReply } from '../src/chat/views/lifecycle-cards.ts';
import { dueDiligenceStatus, startDueDiligence } from '../src/core/lifecycle/due-diligence.ts';
import { findVendorByName } from '../src/core/vendors/lookup.ts';
import { inTransaction } from '../src/store/database.ts';
import { nameFrom } from './support/args.ts';

// `/vendor review "<vendor>"` (analysts): a requested vendor goes into due diligence, the owner gets the
// questionnaire, and the reply lists the evidence the policy requires with what is missing. On a vendor
// already in due diligence (or past it) it shows where it stands and changes nothing.

export const reviewModule: CommandModule = {
  command: {
    name: 'review',
    summary: 'Start due diligence on a requested vendor, or show what it still lacks',
    permission: 'vendor.write',
    usage: 'review <vendor>',
    examples: ['review "Acme Health"'],
    parse: (words: string[]) => ({ vendor: nameFrom(words) }),
    run: async (ctx, args: { vendor: string }) => {
      const vendor = await findVendorByName(ctx.deps.db, args.vendor);
      const now = ctx.deps.clock.now();
      if (vendor.status !== 'requested' && vendor.status !== 'rejected') {
        return reply(dueDiligenceReply(await dueDiligenceStatus(ctx.deps.db, ctx.deps, vendor), now));
      }
      const status = await inTransaction(ctx.deps.db, (tx) => startDueDiligence(tx, ctx.deps, ctx.actor, vendor.id));
      return reply(
        dueDiligenceReply(
          status,
          now,
          `Due diligence started for **${vendor.name}**. The owner has the questionnaire.`,
        ),
      );
    },
  },
};
