import { type CommandModule, reply } from '../src/chat/command.ts';
import { channelRef, parseChannelRef } from '../src/chat/refs.ts';
import { ephemeral } from '../src/chat/reply.ts';
import type { Tier } from '../src/core/common/vocabulary.ts';
import { listSubscriptions, subscribe, unsubscribe } from '../src/core/messaging/subscriptions.ts';
import { badArguments, readOptions } from './support/args.ts';
import { tierWord } from './support/vocab.ts';

// `/vendor subscribe #vendor-risk tier:high`: findings of high and critical vendors (those without a
// channel of their own) go to #vendor-risk. Without a tier, every tier. `/vendor subscribe` alone
// lists the subscriptions; `/vendor unsubscribe #vendor-risk` stops one. Analysts and admins (core).

interface SubscribeArgs {
  channel: { target: string; token: string } | null;
  tier: Tier | null;
}

const LABEL = /\|([^>]*)>$/;

function channelWord(word: string | undefined): { target: string; token: string } {
  const target = word ? parseChannelRef(word) : null;
  if (!word || !target) throw badArguments(`Name the channel as #channel${word ? `, not “${word}”` : ''}.`);
  return { target, token: channelRef(target, LABEL.exec(word)?.[1] ?? target) };
}

function parseSubscribe(input: string[]): SubscribeArgs {
  const { words, options } = readOptions(input, ['tier']);
  const tier = options.has('tier') ? tierWord(options.get('tier') ?? '') : null;
  if (words.length === 0 && tier === null) return { channel: null, tier: null };
  if (words.length !== 1) throw badArguments('Name one channel, as #channel.');
  return { channel: channelWord(words[0]), tier };
}

const scope = (tier: string | null) =>
  tier ? `findings of ${tier}-tier vendors and riskier` : 'findings of every tier';

export const subscribeModule: CommandModule = {
  command: {
    name: 'subscribe',
    summary: 'Send findings of a tier and above to a channel (for vendors without their own channel)',
    permission: 'subscriptions.manage',
    usage: 'subscribe [#channel [tier:<tier>]]',
    examples: ['subscribe #vendor-risk tier:high', 'subscribe #security', 'subscribe'],
    parse: parseSubscribe,
    run: async (ctx, args: SubscribeArgs) => {
      if (!args.channel) {
        const rows = await listSubscriptions(ctx.deps.db);
        if (rows.length === 0)
          return reply(ephemeral('No channel subscriptions yet. Findings go to the default channel.'));
        const lines = rows.map((s) => `• ${channelRef(s.channel, s.channel)}: ${scope(s.min_tier)}`);
        return reply(ephemeral(`Channel subscriptions\n${lines.join('\n')}`));
      }
      const { outcome } = await subscribe(ctx.deps, ctx.actor, { channel: args.channel.target, minTier: args.tier });
      const where = args.channel.token;
      const text = {
        created: `${where} will now receive ${scope(args.tier)}.`,
        updated: `${where} now receives ${scope(args.tier)}.`,
        unchanged: `${where} already receives ${scope(args.tier)}; nothing changed.`,
      }[outcome];
      // The bot posts only where it is a member; say so when routing starts or moves.
      const invite = outcome === 'unchanged' ? '' : ' Invite the bot to the channel if it is not there yet.';
      return reply(ephemeral(`${text}${invite}`));
    },
  },
};

export const unsubscribeModule: CommandModule = {
  command: {
    name: 'unsubscribe',
    summary: 'Stop sending findings to a channel',
    permission: 'subscriptions.manage',
    usage: 'unsubscribe #channel',
    examples: ['unsubscribe #vendor-risk'],
    parse: (input: string[]) => {
      const { words } = readOptions(input, []);
      if (words.length !== 1) throw badArguments('Name one channel, as #channel.');
      return channelWord(words[0]);
    },
    run: async (ctx, channel: { target: string; token: string }) => {
      const removed = await unsubscribe(ctx.deps, ctx.actor, channel.target);
      return reply(
        ephemeral(
          removed
            ? `${channel.token} will no longer receive findings.`
            : `${channel.token} had no subscription; nothing changed.`,
        ),
      );
    },
  },
};
