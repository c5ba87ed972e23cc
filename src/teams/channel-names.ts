import type { Outcome } from '../chat/command.ts';
import { CHANNEL_PATTERN, channelRef } from '../chat/refs.ts';
import type { Block, Reply } from '../chat/reply.ts';
import type { Db } from '../store/database.ts';
import { findReference } from './conversation-refs.ts';

// Slack draws a channel link with the channel's current name; an Adaptive Card has no channel links,
// so a channel token that names a Teams channel only by its target (`<#teams:conv:19:…|teams:conv:19:…>`,
// as a stored subscription is listed) would print the id. Before a reply is drawn, such a token gets
// the name Teams gave when the channel was mentioned, or a plain "a channel".

const UNNAMED = 'a channel';

async function named(db: Db, text: string, names: Map<string, string>): Promise<string> {
  for (const [, target, label] of text.matchAll(CHANNEL_PATTERN)) {
    if (!target?.startsWith('teams:') || names.has(target) || (label && label !== target)) continue;
    const reference = await findReference(db, target);
    names.set(target, reference?.conversation?.name?.trim() || UNNAMED);
  }
  return text.replace(CHANNEL_PATTERN, (token, target: string, label: string) => {
    const name = names.get(target);
    return name && (!label || label === target) ? channelRef(target, name) : token;
  });
}

async function namedBlock(db: Db, block: Block, names: Map<string, string>): Promise<Block> {
  switch (block.type) {
    case 'header':
    case 'text':
    case 'context':
      return { ...block, text: await named(db, block.text, names) };
    case 'fields': {
      const fields = [];
      for (const f of block.fields) fields.push({ label: f.label, value: await named(db, f.value, names) });
      return { ...block, fields };
    }
    default:
      return block;
  }
}

export async function withChannelNames(db: Db, reply: Reply): Promise<Reply> {
  if (!reply.text.includes('<#') && !JSON.stringify(reply.blocks ?? []).includes('<#')) return reply;
  const names = new Map<string, string>();
  const blocks: Block[] = [];
  for (const block of reply.blocks ?? []) blocks.push(await namedBlock(db, block, names));
  return { ...reply, text: await named(db, reply.text, names), ...(reply.blocks ? { blocks } : {}) };
}

export async function outcomeWithChannelNames(db: Db, outcome: Outcome): Promise<Outcome> {
  return 'reply' in outcome ? { ...outcome, reply: await withChannelNames(db, outcome.reply) } : outcome;
}
