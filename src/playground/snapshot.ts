import type { Persona, PlaygroundChannel } from './personas.ts';
import type { SlackWebApi } from './slack-web-api.ts';

// What one persona sees, read from the Web API stand-in: every shared conversation and their own with
// the bot, threads under their parents, their ephemeral messages where they were posted, the modal on
// top of their stack and their Home tab. The browser draws exactly this; it holds no state of its own.

export interface MessageView {
  ts: string;
  text: string;
  blocks: unknown[] | null;
  edited: boolean;
  /** Only the persona sees it ("Only visible to you"). */
  ephemeral: boolean;
  replies: MessageView[];
}

export interface ConversationView extends PlaygroundChannel {
  messages: MessageView[];
}

export interface Snapshot {
  /** The playground clock, ISO-8601 UTC, and how far it runs ahead of real time. */
  now: string;
  aheadMs: number;
  me: string;
  personas: Persona[];
  /** Every user the workspace knows, for mentions (by handle, e.g. `dana`) and user pickers. */
  users: { id: string; name: string; handle: string }[];
  conversations: ConversationView[];
  modal: { id: string; view: unknown } | null;
  home: { id: string; view: unknown } | null;
}

const byTs = (a: { ts: string }, b: { ts: string }) => Number(a.ts) - Number(b.ts);

export function snapshot(
  api: SlackWebApi,
  personas: Persona[],
  channels: PlaygroundChannel[],
  me: string,
  clock: { now(): Date; offsetMs: number },
): Snapshot {
  const ephemerals = api.ephemerals(me);
  // Everyone's conversation with the bot is listed (read-only for the others), so a reminder can be
  // watched arriving whoever is acting; ephemeral messages stay with the person they were for.
  const conversations = channels.map((channel): ConversationView => {
    const stored = api.workspace.channels.get(channel.id)?.messages ?? [];
    const mine = channel.persona === undefined || channel.persona === me;
    const own = mine ? ephemerals.filter((e) => e.channel === channel.id) : [];
    const all: (MessageView & { threadTs: string | undefined })[] = [
      ...stored.map((m) => ({
        ts: m.ts,
        text: m.text,
        blocks: m.blocks ?? null,
        edited: m.edits.length > 0,
        ephemeral: false,
        replies: [],
        threadTs: m.threadTs,
      })),
      ...own.map((e) => ({
        ts: e.messageTs,
        text: e.text,
        blocks: e.blocks ?? null,
        edited: false,
        ephemeral: true,
        replies: [],
        threadTs: e.threadTs,
      })),
    ].sort(byTs);
    const top = all.filter((m) => !m.threadTs || !all.some((p) => p.ts === m.threadTs && !p.threadTs));
    for (const reply of all.filter((m) => !top.includes(m))) {
      top.find((p) => p.ts === reply.threadTs)?.replies.push(strip(reply));
    }
    return { ...channel, messages: top.map(strip) };
  });
  const modal = api.lastView(me);
  const home = api.homeView(me);
  return {
    now: clock.now().toISOString(),
    aheadMs: clock.offsetMs,
    me,
    personas,
    users: [...api.workspace.users.values()].map((u) => ({ id: u.id, name: u.realName, handle: u.name })),
    conversations,
    modal: modal ? { id: modal.id, view: modal.view } : null,
    home: home ? { id: home.id, view: home.view } : null,
  };
}

function strip(m: MessageView & { threadTs?: string | undefined }): MessageView {
  const { threadTs: _threadTs, ...rest } = m;
  return rest;
}
