import { getState, post, watch } from './api.js';
import { renderBlocks } from './blocks.js';
import { conversationHeader, countOf, message, sidebar } from './conversation.js';
import { h } from './dom.js';
import { wireMentions } from './mentions.js';
import { confirmDialog } from './menus.js';
import { renderModal } from './modal.js';
import { report as result, showNotice } from './notice.js';
import { renderTopbar, wireTopbar } from './topbar.js';

// The page: who you are acting as, the conversations, the open one, its composer, the clock controls and
// any modal the bot opened for you. Everything drawn comes from the server's snapshot, fetched again
// whenever the server says something changed; the page keeps only what is open and what was read.
// Reading older messages is never disturbed: the message at the top of the view stays where it is
// while others arrive or are edited, and "Jump to latest" leads back down.

const $ = (id) => document.getElementById(id);
const BOT_NAME = 'vendor-risk';
const ui = {
  me: localStorage.getItem('playground.persona') ?? '',
  current: localStorage.getItem('playground.conversation') ?? '',
  tab: 'messages',
  snap: null,
  modalShown: '',
  /** What opened the modal (a control on a message, or the composer): focus goes back there after it. */
  origin: null,
  /** Messages in the open conversation when its newest was last in view, for "Jump to latest (n new)". */
  bottomSeen: { id: '', count: 0 },
  threads: new Set(),
  /** Per persona: conversation id -> messages counted as read. */
  seenBy: new Map(),
  get seen() {
    if (!this.seenBy.has(this.me)) this.seenBy.set(this.me, new Map());
    return this.seenBy.get(this.me);
  },
  toggleThread(key) {
    if (this.threads.has(key)) this.threads.delete(key);
    else this.threads.add(key);
    render();
  },
};

let loading = null;
let again = false;
async function refresh() {
  if (loading) {
    again = true;
    return loading;
  }
  loading = (async () => {
    do {
      again = false;
      try {
        const snap = await getState(ui.me);
        // A snapshot fetched for the persona acted as a moment ago is stale: fetch again.
        if (ui.me && snap.me !== ui.me && snap.personas.some((p) => p.id === ui.me)) {
          again = true;
          continue;
        }
        ui.snap = snap;
        ui.me = snap.me;
        render();
      } catch (error) {
        showNotice(error.message, 'error');
      }
    } while (again);
  })().finally(() => {
    loading = null;
  });
  return loading;
}

function names(snap) {
  const users = new Map(snap.users.map((u) => [u.id, u.name]));
  const channels = new Map(snap.conversations.map((c) => [c.id, c.name]));
  return { user: (id) => users.get(id), channel: (id) => channels.get(id) };
}

function context(snap) {
  return {
    names: names(snap),
    users: snap.users,
    now: snap.now,
    confirm: confirmDialog,
    click: (place, actionId, choice) => {
      if (!('view' in place)) ui.origin = { key: `${place.channel}:${place.ts}:${actionId}`, ts: place.ts };
      else if (place.view === snap.home?.id) ui.origin = { key: `home:${actionId}` };
      return post('click', { as: ui.me, place, actionId, choice }).then((a) => result(a));
    },
  };
}

function render() {
  const snap = ui.snap;
  if (!snap) return;
  const focused = document.activeElement?.dataset?.focusKey;
  if (!snap.conversations.some((c) => c.id === ui.current)) ui.current = snap.conversations[0].id;
  const conv = snap.conversations.find((c) => c.id === ui.current);
  const mine = conv.kind === 'channel' || conv.persona === snap.me;
  if (!mine || conv.kind === 'channel') ui.tab = 'messages';
  localStorage.setItem('playground.persona', snap.me);
  localStorage.setItem('playground.conversation', ui.current);

  renderTopbar(snap);
  const list = $('messages');
  const view = `${conv.id}:${ui.tab}`;
  const moved = list.dataset.view !== view;
  const atBottom = moved || atBottomOf(list);
  const anchor = atBottom ? null : anchorOf(list);
  const scrollTop = list.scrollTop;
  if (ui.tab === 'messages') ui.seen.set(conv.id, countOf(conv));
  $('sidebar').replaceChildren(...sidebar(snap, ui, openConversation));
  $('conv-header').replaceChildren(...conversationHeader(conv, snap));
  renderTabs(conv, snap);

  const ctx = context(snap);
  if (ui.tab === 'home') {
    const home = snap.home;
    const homeCtx = { ...ctx, key: 'home', act: (a, c) => ctx.click({ view: home.id }, a, c) };
    list.replaceChildren(home ? renderBlocks(home.view.blocks, homeCtx) : h('p', { class: 'empty' }, 'Opening Home…'));
  } else if (conv.messages.length === 0) {
    list.replaceChildren(h('p', { class: 'empty' }, 'No messages here yet.'));
  } else {
    list.replaceChildren(...conv.messages.map((m) => message(m, conv, ctx, ui)));
  }
  if (!mine) for (const control of list.querySelectorAll('.bk button, .bk select, .bk input')) control.disabled = true;
  list.dataset.view = view;
  // Conversations open at their newest message and follow new ones while it is in view; Home opens at its top.
  if (ui.tab === 'home') list.scrollTop = moved ? 0 : scrollTop;
  else if (atBottom) list.scrollTop = list.scrollHeight;
  else keepAnchor(list, anchor);
  renderJump();
  renderDelivering(snap.delivering);

  const input = $('composer-input');
  input.disabled = !mine;
  input.placeholder = mine ? `Message ${conv.kind === 'channel' ? `#${conv.name}` : BOT_NAME}: try /vendor help` : '';
  $('composer-send').disabled = !mine;
  // The redrawn control keeps focus, without scrolling to it: the reader may have scrolled away.
  if (focused) document.querySelector(`[data-focus-key="${CSS.escape(focused)}"]`)?.focus({ preventScroll: true });
  renderModalFor(snap, ctx);
}

const atBottomOf = (list) => list.scrollHeight - list.scrollTop - list.clientHeight < 48;

/** The first message at least partly in view, and how far below the list's top edge it starts. */
function anchorOf(list) {
  const top = list.getBoundingClientRect().top;
  for (const node of list.querySelectorAll(':scope > .msg')) {
    const box = node.getBoundingClientRect();
    if (box.bottom > top) return { ts: node.dataset.ts, offset: box.top - top };
  }
  return null;
}

/** Scrolls so the anchor message starts where it did, whatever arrived or changed around it. */
function keepAnchor(list, anchor) {
  const node = anchor && list.querySelector(`:scope > .msg[data-ts="${CSS.escape(anchor.ts)}"]`);
  if (node) list.scrollTop += node.getBoundingClientRect().top - list.getBoundingClientRect().top - anchor.offset;
}

/** "Jump to latest" while the newest message is out of view, counting those that came since. */
function renderJump() {
  const list = $('messages');
  const jump = $('jump-latest');
  const conv = ui.snap?.conversations.find((c) => c.id === ui.current);
  if (!conv) return;
  const away = ui.tab === 'messages' && !atBottomOf(list);
  if (!away || ui.bottomSeen.id !== conv.id) ui.bottomSeen = { id: conv.id, count: conv.messages.length };
  const fresh = conv.messages.length - ui.bottomSeen.count;
  jump.hidden = !away;
  jump.textContent = fresh > 0 ? `Jump to latest (${fresh} new)` : 'Jump to latest';
}

/** While queued messages go out at Slack's pace (the demo seed's cards), how many have. */
function renderDelivering(progress) {
  $('delivering').hidden = !progress;
  if (!progress) return;
  const bar = $('delivering-bar');
  bar.max = progress.total;
  bar.value = progress.sent;
  $('delivering-text').textContent =
    `Posting queued messages at Slack's pace of one a second per channel: ${progress.sent} of ${progress.total} sent`;
}

function renderTabs(conv, snap) {
  const tabs = $('tabs');
  if (conv.kind !== 'dm' || conv.persona !== snap.me) {
    tabs.replaceChildren();
    tabs.hidden = true;
    return;
  }
  tabs.hidden = false;
  const tab = (name, label) =>
    h(
      'button',
      {
        type: 'button',
        class: 'tab',
        'aria-current': ui.tab === name ? 'true' : null,
        dataset: { focusKey: `tab:${name}` },
        on: { click: () => openTab(name) },
      },
      label,
    );
  tabs.replaceChildren(tab('messages', 'Messages'), tab('home', 'Home'));
}

async function openTab(name) {
  ui.tab = name;
  render();
  if (name === 'home') await result(await post('home', { as: ui.me }));
}

function renderModalFor(snap, ctx) {
  const dialog = $('modal-dialog');
  const modal = snap.modal;
  const signature = modal ? `${modal.id}:${JSON.stringify(modal.view)}` : '';
  if (signature === ui.modalShown) return;
  ui.modalShown = signature;
  if (!modal) {
    if (dialog.open) {
      dialog.close();
      returnFocus();
    }
    return;
  }
  const modalCtx = {
    ...ctx,
    key: `modal:${modal.id}`,
    act: (a, c) => ctx.click({ view: modal.id }, a, c),
    submit: (values) => post('submit', { as: ui.me, viewId: modal.id, values }),
    cancel: (values) => post('close', { as: ui.me, viewId: modal.id, values }).then((a) => result(a)),
  };
  dialog.replaceChildren(renderModal(modal, modalCtx));
  if (!dialog.open) dialog.showModal();
  // As in Slack: the first field, or with none the form's own buttons.
  const first =
    dialog.querySelector('.modal-body :is(input, select, textarea, button):not(:disabled)') ??
    dialog.querySelector('.modal-foot button[type="submit"], .modal-foot button');
  first?.focus();
}

/** After a modal: the control that opened it, else its message, else the composer. */
function returnFocus() {
  const origin = ui.origin;
  ui.origin = null;
  const control = origin?.key && document.querySelector(`[data-focus-key="${CSS.escape(origin.key)}"]:not(:disabled)`);
  const message = origin?.ts && document.querySelector(`#messages > .msg[data-ts="${CSS.escape(origin.ts)}"]`);
  (control || message || $('composer-input')).focus();
}

function openConversation(id) {
  ui.current = id;
  ui.tab = 'messages';
  render();
  $('composer-input').focus();
}

function wire() {
  wireTopbar((persona) => {
    const previous = ui.snap?.conversations.find((c) => c.id === ui.current);
    ui.me = persona;
    // Following yourself: from your own DM you land in the new persona's DM.
    if (previous?.kind === 'dm') ui.current = ui.snap.conversations.find((c) => c.persona === ui.me)?.id ?? ui.current;
    ui.modalShown = '';
    refresh();
  });
  $('composer').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = $('composer-input');
    const text = input.value.trim();
    if (!text) return;
    ui.origin = null;
    // Like Slack, sending brings the newest messages into view, where the answer will appear.
    $('messages').scrollTop = $('messages').scrollHeight;
    const answer = await result(await post('command', { as: ui.me, channel: ui.current, text }));
    if (answer.ok) input.value = '';
    input.focus();
  });
  $('modal-dialog').addEventListener('cancel', (event) => {
    event.preventDefault();
    // Escape closes the modal as its × does, sending what was entered (Slack keeps it in view_closed).
    $('modal-dialog').querySelector('.modal-x')?.click();
  });
  $('messages').addEventListener('scroll', renderJump, { passive: true });
  $('jump-latest').addEventListener('click', () => {
    $('messages').scrollTop = $('messages').scrollHeight;
    $('composer-input').focus();
  });
  wireMentions($('composer-input'), () => ui.snap?.users ?? []);
  watch(refresh, (connected) => document.body.classList.toggle('offline', !connected));
}

wire();
refresh();
