import { getState, post, watch } from './api.js';
import { renderBlocks } from './blocks.js';
import { conversationHeader, countOf, message, sidebar } from './conversation.js';
import { h } from './dom.js';
import { confirmDialog } from './menus.js';
import { renderModal } from './modal.js';
import { report as result, showNotice } from './notice.js';
import { renderTopbar, wireTopbar } from './topbar.js';

// The page: who you are acting as, the conversations, the open one, its composer, the clock controls and
// any modal the bot opened for you. Everything drawn comes from the server's snapshot, fetched again
// whenever the server says something changed; the page keeps only what is open and what was read.

const $ = (id) => document.getElementById(id);
const BOT_NAME = 'vendor-risk';
const ui = {
  me: localStorage.getItem('playground.persona') ?? '',
  current: localStorage.getItem('playground.conversation') ?? '',
  tab: 'messages',
  snap: null,
  modalShown: '',
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
    click: (place, actionId, choice) => post('click', { as: ui.me, place, actionId, choice }).then((a) => result(a)),
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
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 48 || moved;
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
  // A new answer meant only for you (a reply to what you just did) is brought into view.
  const own = conv.messages.filter((m) => m.ephemeral).length;
  const answered = list.dataset.conv === conv.id && own > Number(list.dataset.own ?? own);
  list.dataset.conv = conv.id;
  list.dataset.own = String(own);
  list.dataset.view = view;
  // Conversations open at their newest message, Home at its top.
  list.scrollTop = ui.tab === 'home' ? (moved ? 0 : scrollTop) : atBottom ? list.scrollHeight : scrollTop;
  if (answered && ui.tab === 'messages')
    [...list.querySelectorAll(':scope > .msg.ephemeral')].at(-1)?.scrollIntoView({ block: 'nearest' });

  const input = $('composer-input');
  input.disabled = !mine;
  input.placeholder = mine ? `Message ${conv.kind === 'channel' ? `#${conv.name}` : BOT_NAME}: try /vendor help` : '';
  $('composer-send').disabled = !mine;
  renderModalFor(snap, ctx);
  if (focused) document.querySelector(`[data-focus-key="${CSS.escape(focused)}"]`)?.focus();
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
    if (dialog.open) dialog.close();
    return;
  }
  const modalCtx = {
    ...ctx,
    key: `modal:${modal.id}`,
    act: (a, c) => ctx.click({ view: modal.id }, a, c),
    submit: (values) => post('submit', { as: ui.me, viewId: modal.id, values }),
    cancel: () => post('close', { as: ui.me, viewId: modal.id }).then((a) => result(a)),
  };
  dialog.replaceChildren(renderModal(modal, modalCtx));
  if (!dialog.open) dialog.showModal();
  dialog.querySelector('input, select, textarea, button')?.focus();
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
    const answer = await result(await post('command', { as: ui.me, channel: ui.current, text }));
    if (answer.ok) input.value = '';
    input.focus();
  });
  $('modal-dialog').addEventListener('cancel', (event) => {
    event.preventDefault();
    const modal = ui.snap?.modal;
    if (modal) post('close', { as: ui.me, viewId: modal.id }).then((a) => result(a));
  });
  watch(refresh, (connected) => document.body.classList.toggle('offline', !connected));
}

wire();
refresh();
