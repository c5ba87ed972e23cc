import { type CommandModule, reply } from '../src/chat/command.ts';
import { myWorkMessage } from '../src/chat/views/my-work-data.ts';
import { badArguments } from './support/args.ts';

// `/vendor my work` (`my work` to the bot in Teams): the person's own queue, the same one Slack's Home
// tab shows, for a platform without a Home tab and for anyone who would rather ask.

export const myWorkModule: CommandModule = {
  command: {
    name: 'my',
    summary: 'Your work queue: decisions, triage, reviews, findings and evidence waiting for you',
    usage: 'my work',
    examples: ['my work'],
    parse(words) {
      if (words.length > 1 || (words[0] !== undefined && words[0].toLowerCase() !== 'work')) {
        throw badArguments('Did you mean `my work`? It takes no further words.');
      }
      return null;
    },
    run: async (ctx) => reply(await myWorkMessage(ctx.deps, ctx.actor)),
  },
};
