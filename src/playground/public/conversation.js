import { renderBlocks } from './blocks.js';
import { h } from './dom.js';
import { mrkdwn } from './mrkdwn.js';

// The sidebar of conversations and the message list of the open one: bot messages with their blocks,
// "(edited)" when a card was changed in place, ephemeral messages marked as only visible to you, and
// threads that open under their parent message.

const BOT = 'vendor-risk';
const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
const day = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** Messages plus thread replies: what the unread count counts. */
export const countOf = (conv) => conv.messages.reduce((n, m) => n + 1 + m.replies.length, 0);

export function sidebar(snap, ui, open) {
  const item = (conv, label) => {
    const unread = Math.max(0, countOf(conv) - (ui.seen.get(conv.id) ?? 0));
    const current = conv.id === ui.current;
    return h(
      'li',
      {},
      h(
        'button',
        {
          type: 'button',
          class: `side-item${current ? ' current' : ''}${unread ? ' unread' : ''}`,
          'aria-current': current ? 'page' : null,
          dataset: { focusKey: `side:${conv.id}`, conversation: conv.id },
          on: { click: () => open(conv.id) },
        },
        h('span', { class: 'side-label' }, label),
        unread ? h('span', { class: 'badge', 'aria-label': `${unread} new` }, String(unread)) : null,
      ),
    );
  };
  const channels = snap.conversations.filter((c) => c.kind === 'channel');
  const dms = snap.conversations.filter((c) => c.kind === 'dm');
  return [
    h('h2', { class: 'side-heading' }, 'Channels'),
    h(
      'ul',
      { class: 'side-list' },
      channels.map((c) => item(c, `# ${c.name}`)),
    ),
    h('h2', { class: 'side-heading' }, 'Direct messages with the bot'),
    h(
      'ul',
      { class: 'side-list' },
      dms.map((c) => item(c, c.persona === snap.me ? `${c.name} (you)` : c.name)),
    ),
  ];
}

function when(ts, nowIso) {
  const at = new Date(Number(ts) * 1000);
  const today = day.format(new Date(nowIso)) === day.format(at);
  return { label: today ? time.format(at) : `${day.format(at)}, ${time.format(at)}`, iso: at.toISOString() };
}

/** One message. `ctx` gives names, users, confirm and `click(place, actionId, choice)`. */
export function message(msg, conv, ctx, ui) {
  const at = when(msg.ts, ctx.now);
  const blockCtx = {
    ...ctx,
    key: `${conv.id}:${msg.ts}`,
    act: (actionId, choice) => ctx.click({ channel: conv.id, ts: msg.ts, ephemeral: msg.ephemeral }, actionId, choice),
  };
  const body = msg.blocks?.length
    ? renderBlocks(msg.blocks, blockCtx)
    : h('div', { class: 'bk-text' }, mrkdwn(msg.text, ctx.names));
  const node = h(
    'article',
    {
      class: `msg${msg.ephemeral ? ' ephemeral' : ''}`,
      dataset: { ts: msg.ts },
      // Focus returns here after a modal its button opened, when the button is gone.
      tabindex: '-1',
      'aria-label': `${BOT} at ${at.label}${msg.ephemeral ? ', only visible to you' : ''}`,
    },
    h(
      'div',
      { class: 'msg-meta' },
      h('span', { class: 'msg-author' }, BOT),
      h('span', { class: 'app-badge' }, 'APP'),
      h('time', { datetime: at.iso }, at.label),
      msg.edited ? h('span', { class: 'msg-edited' }, '(edited)') : null,
      msg.ephemeral ? h('span', { class: 'msg-only-you' }, 'Only visible to you') : null,
    ),
    body,
  );
  if (msg.replies.length > 0) node.append(thread(msg, conv, ctx, ui));
  return node;
}

function thread(msg, conv, ctx, ui) {
  const key = `${conv.id}:${msg.ts}`;
  const expanded = ui.threads.has(key);
  const count = msg.replies.length;
  const replies = h('div', { class: 'thread', id: `thread-${msg.ts.replace('.', '-')}`, hidden: !expanded });
  if (expanded) for (const reply of msg.replies) replies.append(message(reply, conv, ctx, ui));
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'thread-toggle',
      'aria-expanded': String(expanded),
      'aria-controls': replies.id,
      dataset: { focusKey: `thread:${key}` },
      on: { click: () => ui.toggleThread(key) },
    },
    expanded ? 'Hide replies' : `${count} ${count === 1 ? 'reply' : 'replies'}`,
  );
  return h('div', { class: 'thread-wrap' }, toggle, replies);
}

export function conversationHeader(conv, snap) {
  if (conv.kind === 'channel') {
    const topic = conv.name.endsWith('approvals')
      ? 'Escalations and risk acceptances waiting for an approver'
      : 'Finding cards, edited in place as people act on them';
    return [h('h2', { class: 'conv-title' }, `# ${conv.name}`), h('p', { class: 'conv-topic' }, topic)];
  }
  const mine = conv.persona === snap.me;
  return [
    h('h2', { class: 'conv-title' }, `${conv.name} and ${BOT}`),
    h(
      'p',
      { class: 'conv-topic' },
      mine ? 'Your direct messages with the bot' : `Read only: switch to ${conv.name} to act here`,
    ),
  ];
}
