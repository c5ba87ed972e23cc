import { type CommandModule, reply } from '../src/chat/command.ts';
import { postureCard } from '../src/chat/views/posture-card.ts';
import { todayOf } from '../src/core/common/dates.ts';
import { exposureLine, exposureSummary } from '../src/core/exposure/summary.ts';
import { getPosture } from '../src/core/posture/posture.ts';
import { displayName } from '../src/core/roles/people.ts';
import { findVendorByName } from '../src/core/vendors/lookup.ts';
import { nameFrom } from './support/args.ts';

// `/vendor posture Acme Health`: anyone may look; an unknown name gets the core's "did you mean".

export const postureModule: CommandModule = {
  command: {
    name: 'posture',
    summary: "A vendor's grade, score, what lowers it, evidence, open findings and review dates",
    usage: 'posture <vendor>',
    examples: ['posture "Acme Health"', 'posture Globex'],
    readOnly: true,
    parse: (words: string[]) => ({ vendor: nameFrom(words) }),
    run: async (ctx, args: { vendor: string }) => {
      const { db } = ctx.deps;
      const vendor = await findVendorByName(db, args.vendor);
      const today = todayOf(ctx.deps);
      const posture = await getPosture(db, ctx.deps, vendor.id, today);
      const card = postureCard(posture, await displayName(db, vendor.owner_id), today);
      const exposure = await exposureSummary(db, vendor.id);
      if (!exposure) return reply(card);
      const line = exposureLine(exposure, ctx.deps.clock.now());
      return reply({
        ...card,
        text: `${card.text}\n${line}`,
        blocks: [...(card.blocks ?? []), { type: 'context', text: line }],
      });
    },
  },
};
