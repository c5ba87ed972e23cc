import type { StoredMessage } from './slack-web-api-types.ts';
import type { Answer, Json } from './slack-web-api-views.ts';

// conversations.history and conversations.replies in the Slack Web API stand-in: history lists a
// channel's top-level messages newest first, replies a thread's parent and replies oldest first;
// both honour `oldest`/`latest` (exclusive unless `inclusive`) and `limit`, and return message
// metadata only when asked with `include_all_metadata`, as Slack does.

export type Show = (message: StoredMessage, withMetadata: boolean) => Json;

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 999;

function window(messages: StoredMessage[], args: Json): StoredMessage[] {
  const inclusive = args.inclusive === true || args.inclusive === 'true' || args.inclusive === '1';
  const oldest = Number(args.oldest ?? 0);
  const latest = args.latest === undefined ? Number.POSITIVE_INFINITY : Number(args.latest);
  return messages.filter((m) => {
    const ts = Number(m.ts);
    return inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest;
  });
}

function limitOf(args: Json): number {
  const limit = Number(args.limit ?? DEFAULT_LIMIT);
  return Number.isFinite(limit) && limit > 0 ? Math.min(limit, MAX_LIMIT) : DEFAULT_LIMIT;
}

const metadataWanted = (args: Json) => args.include_all_metadata === true || args.include_all_metadata === 'true';

export function readHistory(messages: StoredMessage[], args: Json, show: Show): Answer {
  const top = window(
    messages.filter((m) => !m.threadTs),
    args,
  ).reverse();
  const limit = limitOf(args);
  const page = top.slice(0, limit);
  return {
    ok: true,
    messages: page.map((m) => show(m, metadataWanted(args))),
    has_more: top.length > page.length,
  };
}

export function readReplies(messages: StoredMessage[], args: Json, show: Show): Answer {
  const parent = messages.find((m) => m.ts === args.ts && !m.threadTs);
  if (!parent) return { ok: false, error: 'thread_not_found' };
  const thread = [parent, ...messages.filter((m) => m.threadTs === parent.ts)];
  const shown = window(thread, args);
  const limit = limitOf(args);
  const page = shown.slice(0, limit);
  return {
    ok: true,
    messages: page.map((m) => show(m, metadataWanted(args))),
    has_more: shown.length > page.length,
  };
}
