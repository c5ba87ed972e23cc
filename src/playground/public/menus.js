import { h, plainOf } from './dom.js';

// The overflow menu (⋯) and the confirm dialog a button may carry. Both follow the ARIA patterns:
// the menu opens on its button, arrow keys move between items, Escape closes it and gives focus back;
// the dialog is a native modal <dialog>, so focus stays inside until it is answered.

/** The menu that is open, kept open (with the same item focused) when the page is redrawn. */
let openKey = null;

export function overflowMenu(el, key, choose) {
  const menuId = `menu-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const trigger = h(
    'button',
    {
      type: 'button',
      class: 'bk-btn bk-overflow-btn',
      'aria-haspopup': 'menu',
      'aria-expanded': 'false',
      'aria-controls': menuId,
      'aria-label': 'More actions',
      title: 'More actions',
      dataset: { focusKey: key },
    },
    '⋯',
  );
  const items = (el.options ?? []).map((o, i) =>
    h(
      'button',
      { type: 'button', role: 'menuitem', tabindex: '-1', class: 'bk-menu-item', dataset: { focusKey: `${key}#${i}` } },
      plainOf(o.text),
    ),
  );
  const menu = h('div', { class: 'bk-menu', role: 'menu', id: menuId, hidden: true }, items);
  const wrap = h('div', { class: 'bk-overflow' }, trigger, menu);

  const close = (focusTrigger) => {
    if (openKey === key && wrap.isConnected) openKey = null;
    menu.hidden = true;
    trigger.setAttribute('aria-expanded', 'false');
    document.removeEventListener('pointerdown', outside, true);
    if (focusTrigger) trigger.focus();
  };
  const outside = (event) => {
    if (!wrap.isConnected) document.removeEventListener('pointerdown', outside, true);
    else if (!wrap.contains(event.target)) close(false);
  };
  const open = (focusFirst) => {
    openKey = key;
    menu.hidden = false;
    trigger.setAttribute('aria-expanded', 'true');
    document.addEventListener('pointerdown', outside, true);
    if (focusFirst) items[0]?.focus();
  };
  trigger.addEventListener('click', () => (menu.hidden ? open(true) : close(true)));
  trigger.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      open(true);
    }
  });
  items.forEach((item, i) => {
    item.addEventListener('click', () => {
      close(true);
      choose(el.options[i].value, trigger);
    });
    item.addEventListener('keydown', (event) => {
      const move = { ArrowDown: 1, ArrowUp: -1 }[event.key];
      if (move) {
        event.preventDefault();
        items[(i + move + items.length) % items.length].focus();
      } else if (event.key === 'Home' || event.key === 'End') {
        event.preventDefault();
        items[event.key === 'Home' ? 0 : items.length - 1].focus();
      } else if (event.key === 'Escape' || event.key === 'Tab') {
        if (event.key === 'Escape') event.preventDefault();
        close(event.key === 'Escape');
      }
    });
  });
  if (openKey === key) open(false);
  return wrap;
}

/** Asks the question of a Block Kit confirm object; resolves true when confirmed. */
export function confirmDialog(confirm, style) {
  const dialog = document.getElementById('confirm-dialog');
  const ok = h('button', { type: 'submit', value: 'confirm', class: `bk-btn bk-btn-${style ?? 'primary'}` });
  ok.append(plainOf(confirm.confirm) || 'Yes');
  const deny = h('button', { type: 'submit', value: 'deny', class: 'bk-btn' }, plainOf(confirm.deny) || 'Cancel');
  const titleId = 'confirm-title';
  dialog.replaceChildren(
    h(
      'form',
      { method: 'dialog', class: 'dialog-form' },
      h('h2', { id: titleId, class: 'dialog-title' }, plainOf(confirm.title) || 'Are you sure?'),
      h('p', { class: 'dialog-text' }, plainOf(confirm.text)),
      h('div', { class: 'dialog-buttons' }, deny, ok),
    ),
  );
  dialog.setAttribute('aria-labelledby', titleId);
  const opener = document.activeElement;
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      () => {
        if (opener instanceof HTMLElement) opener.focus();
        resolve(dialog.returnValue === 'confirm');
      },
      { once: true },
    );
    dialog.returnValue = '';
    dialog.showModal();
    ok.focus();
  });
}
