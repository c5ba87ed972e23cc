import { type Command, type CommandModule, reply } from '../src/chat/command.ts';
import { type Block, ephemeral } from '../src/chat/reply.ts';
import { badArguments } from './support/args.ts';

// `/vendor help` (also empty text and unknown subcommands, via dispatch): every subcommand's usage
// and first example, generated from the registry so it cannot drift from what is registered.
// `/vendor help posture` shows one subcommand with all its examples.

export const COMMAND_PREFIX = '/vendor';

const line = (c: Command) => `\`${COMMAND_PREFIX} ${c.usage}\`\n${c.summary}`;
const example = (e: string) => `\`${COMMAND_PREFIX} ${e}\``;

/** `commands` is read at run time: the registry that holds help is built after this module. */
export function helpModule(commands: () => readonly Command[]): CommandModule {
  return {
    command: {
      name: 'help',
      summary: 'What each subcommand does, with an example',
      usage: 'help [<subcommand>]',
      examples: ['help posture', 'help'],
      parse: (words: string[]) => {
        if (words.length > 1) throw badArguments('Ask about one subcommand at a time.');
        return { topic: words[0]?.toLowerCase() ?? null };
      },
      run: async (_ctx, args: { topic: string | null }) => {
        const all = commands();
        const one = all.find((c) => c.name === args.topic);
        if (one) {
          const text = `${line(one)}\nExamples:\n${one.examples.map(example).join('\n')}`;
          return reply(ephemeral(text, [{ type: 'text', text }]));
        }
        const blocks: Block[] = [
          { type: 'header', text: 'Vendor risk commands' },
          ...all.map((c): Block => {
            const first = c.examples[0] ? `\ne.g. ${example(c.examples[0])}` : '';
            return { type: 'text', text: `${line(c)}${first}` };
          }),
          {
            type: 'context',
            text: `Names with spaces go in quotes. \`${COMMAND_PREFIX} help <subcommand>\` shows more.`,
          },
        ];
        const text = all.map((c) => `${COMMAND_PREFIX} ${c.usage}: ${c.summary}`).join('\n');
        return reply(ephemeral(text, blocks));
      },
    },
  };
}
