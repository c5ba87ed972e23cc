import type { Answer } from '../../scenarios/driver.ts';
import { type SlackNames, slackFacts, slackFormFacts } from './slack-facts.ts';
import type { SlackHandle } from './slack-inputs.ts';
import type { SlackStack } from './slack-stack.ts';

// Where a Slack user sees the bot's answer once Bolt has handled the request: a post to the request's
// response_url, a modal opened with views.open/push, or an ephemeral or direct message through the Web
// API. A modal submission is the exception: its answer (field errors, the next form) rides on the
// acknowledgement itself.

export interface Waiting {
  user: string;
  /** Web API calls before the request; only later ones are its answer. */
  since: number;
  responseUrl?: string;
  /** The conversation the request came from (replies to its buttons go there). */
  channel: string | null;
  /** The modal being submitted, for a submission. */
  view?: { id: string; hash: string; view: Record<string, unknown> };
}

type ResponseBody = { text?: string; blocks?: unknown[]; response_type?: string; replace_original?: boolean };

/** The answer carried in a view submission's acknowledgement, if any. */
export function readAnswer(
  body: string,
  view: Waiting['view'],
  names: SlackNames,
  nextHash: () => string,
): Answer | null {
  if (!view || !body.trim()) return null;
  const ack = JSON.parse(body) as { response_action?: string; errors?: Record<string, string>; view?: object };
  if (ack.response_action === 'errors') return { kind: 'errors', errors: Object.values(ack.errors ?? {}) };
  if ((ack.response_action === 'update' || ack.response_action === 'push') && ack.view) {
    const next = { id: view.id, hash: `${view.hash}.${nextHash()}`, view: ack.view as Record<string, unknown> };
    return { kind: 'form', form: slackFormFacts(next.view, names, { view: next }) };
  }
  return null;
}

/** The answer the person saw, or null when there was none. */
export function answerSeen(stack: SlackStack, waiting: Waiting, names: SlackNames): Answer | null {
  const { api, responses } = stack;
  if (waiting.responseUrl) {
    const path = new URL(waiting.responseUrl).pathname;
    const post = responses.posts.find((p) => p.path === path);
    if (post) return fromResponse(post.body as ResponseBody, waiting.channel ?? '', names);
  }
  const calls = api.log.slice(waiting.since).filter((c) => c.status === 200 && !c.error);
  if (calls.some((c) => c.method === 'views.open' || c.method === 'views.push')) {
    const open = api.lastView(waiting.user);
    if (open) return { kind: 'form', form: slackFormFacts(open.view, names, { view: open }) };
  }
  const ephemeral = calls.find((c) => c.method === 'chat.postEphemeral' && c.args.user === waiting.user);
  if (ephemeral) {
    const shown = api.ephemerals(waiting.user).at(-1);
    if (!shown) return null;
    const handle: SlackHandle = {
      kind: 'reply',
      channel: shown.channel,
      ephemeral: true,
      ts: shown.messageTs,
      text: shown.text,
      blocks: shown.blocks ?? [],
    };
    const facts = slackFacts(shown, names);
    return { kind: 'message', message: { ...facts, id: shown.messageTs, private: true, replaced: false, handle } };
  }
  const dm = api.dmChannel(waiting.user);
  if (
    dm &&
    calls.some((c) => c.method === 'chat.postMessage' && (c.args.channel === waiting.user || c.args.channel === dm))
  ) {
    const posted = api.messages(dm).at(-1);
    if (!posted) return null;
    const handle: SlackHandle = {
      kind: 'channel',
      channel: dm,
      ts: posted.ts,
      text: posted.text,
      blocks: posted.blocks ?? [],
    };
    const facts = slackFacts(posted, names);
    return { kind: 'message', message: { ...facts, id: posted.ts, private: true, replaced: false, handle } };
  }
  return null;
}

let answers = 0;

function fromResponse(body: ResponseBody, channel: string, names: SlackNames): Answer {
  const ephemeral = body.response_type !== 'in_channel';
  // Slack gives a response_url answer no ts the app sees; one is made up so it can be clicked.
  const ts = `${Math.floor(Date.now() / 1000)}.${String(++answers).padStart(6, '0')}`;
  const handle: SlackHandle = {
    kind: 'reply',
    channel,
    ephemeral,
    ts,
    text: body.text ?? '',
    blocks: body.blocks ?? [],
  };
  const facts = slackFacts({ text: body.text, blocks: body.blocks }, names);
  return {
    kind: 'message',
    message: { ...facts, id: ts, private: ephemeral, replaced: body.replace_original === true, handle },
  };
}
