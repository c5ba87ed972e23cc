import { type CommandModule, reply } from '../src/chat/command.ts';
import { type Block, ephemeral } from '../src/chat/reply.ts';
import { durationText } from '../src/core/incidents/clock-time.ts';
import { listIncidents } from '../src/core/incidents/queries.ts';
import { STATE_LABELS } from '../src/core/incidents/work.ts';
import { badArguments } from './support/args.ts';

// `/vendor incidents`: the incidents not yet closed, newest first, with the nearest deadline.

export const incidentsModule: CommandModule = {
  command: {
    name: 'incidents',
    readOnly: true,
    summary: 'Open vendor incidents with their nearest regulatory deadline',
    usage: 'incidents',
    examples: ['incidents'],
    parse(words) {
      if (words.length > 0) throw badArguments('`incidents` takes no further words.');
      return null;
    },
    async run(ctx) {
      const rows = await listIncidents(ctx.deps.db);
      if (rows.length === 0) return reply(ephemeral('No open incidents.'));
      const now = ctx.deps.clock.now().getTime();
      const lines = rows.map((r) => {
        const next = r.next_deadline
          ? `next deadline in ${durationText(Date.parse(r.next_deadline) - now)}${Date.parse(r.next_deadline) < now ? ' (passed)' : ''}`
          : 'no clock running';
        return `#${r.id} ${r.vendor_name}: ${r.summary} (${STATE_LABELS[r.state] ?? r.state}, ${r.severity}; ${next})`;
      });
      const blocks: Block[] = [
        { type: 'header', text: `Open incidents (${rows.length})` },
        { type: 'text', text: lines.join('\n') },
      ];
      return reply(ephemeral(`Open incidents:\n${lines.join('\n')}`, blocks));
    },
  },
};
