import { h, plainOf, uid } from './dom.js';
import { overflowMenu } from './menus.js';
import { mrkdwn } from './mrkdwn.js';

// Block Kit as the bot sent it, drawn as a chat client draws it: headers, sections with mrkdwn and
// fields, context lines, dividers, and actions with buttons (primary and danger styles, confirm
// dialogs), overflow menus, and static, user and date pickers. Input blocks belong to modals
// (modal.js). Every control is a real button, select or input, so the keyboard reaches all of it.
//
// ctx: { names, users, key, act(actionId, choice, control) -> Promise, confirm(dialog, style) -> Promise<bool> }

export function renderBlocks(blocks, ctx) {
  return h(
    'div',
    { class: 'bk' },
    (blocks ?? []).map((block) => renderBlock(block, ctx)),
  );
}

export function textObject(t, names, cls) {
  if (!t) return null;
  const content = t.type === 'mrkdwn' ? mrkdwn(t.text, names) : plainOf(t);
  return h('div', { class: cls }, content);
}

function renderBlock(block, ctx) {
  switch (block.type) {
    case 'header':
      return h('h3', { class: 'bk-header' }, plainOf(block.text));
    case 'section':
      return h(
        'div',
        { class: 'bk-section' },
        h(
          'div',
          { class: 'bk-section-body' },
          textObject(block.text, ctx.names, 'bk-text'),
          block.fields
            ? h(
                'div',
                { class: 'bk-fields' },
                block.fields.map((f) => textObject(f, ctx.names, 'bk-field')),
              )
            : null,
        ),
        block.accessory ? h('div', { class: 'bk-accessory' }, element(block.accessory, ctx)) : null,
      );
    case 'context':
      return h(
        'div',
        { class: 'bk-context' },
        (block.elements ?? []).map((el) =>
          el.type === 'image'
            ? h('span', { class: 'bk-image-alt' }, `[${el.alt_text}]`)
            : textObject(el, ctx.names, 'bk-context-item'),
        ),
      );
    case 'divider':
      return h('hr', { class: 'bk-divider' });
    case 'actions':
      return h(
        'div',
        { class: 'bk-actions', role: 'group' },
        (block.elements ?? []).map((el) => element(el, ctx)),
      );
    case 'image':
      return h('p', { class: 'bk-image-alt' }, `[image: ${block.alt_text}]`);
    default:
      // markdown and rich_text blocks are not sent by the bot; show their text so nothing is hidden.
      return h('div', { class: 'bk-text' }, block.text ? mrkdwn(String(block.text), ctx.names) : '');
  }
}

function keyOf(ctx, el) {
  return `${ctx.key}:${el.action_id}`;
}

/** Runs an action: asks first when the element has a confirm dialog; busy while the bot is asked. */
async function use(ctx, el, choice, control) {
  if (el.confirm && !(await ctx.confirm(el.confirm, el.style))) return;
  control.setAttribute('aria-busy', 'true');
  control.disabled = true;
  try {
    await ctx.act(el.action_id, choice, control);
  } finally {
    control.removeAttribute('aria-busy');
    control.disabled = false;
  }
}

export function element(el, ctx) {
  const key = keyOf(ctx, el);
  switch (el.type) {
    case 'button': {
      const button = h('button', {
        type: 'button',
        class: `bk-btn${el.style ? ` bk-btn-${el.style}` : ''}`,
        dataset: { focusKey: key },
      });
      button.append(plainOf(el.text));
      button.addEventListener('click', () => use(ctx, el, null, button));
      return button;
    }
    case 'overflow':
      return overflowMenu(el, key, (value, trigger) => use(ctx, el, value, trigger));
    case 'static_select':
    case 'users_select':
    case 'datepicker':
      return picker(el, ctx, key);
    default:
      return h('span', { class: 'bk-unsupported' }, `[${el.type}]`);
  }
}

/** A menu or date picker in a message: choosing sends the action at once, as in Slack. */
function picker(el, ctx, key) {
  const label = plainOf(el.placeholder) || (el.type === 'datepicker' ? 'Pick a date' : 'Choose');
  let control;
  if (el.type === 'datepicker') {
    control = h('input', { type: 'date', class: 'bk-select', value: el.initial_date ?? '', 'aria-label': label });
  } else {
    const options =
      el.type === 'users_select'
        ? ctx.users.map((u) => ({ value: u.id, text: u.name }))
        : (el.options ?? []).map((o) => ({ value: o.value, text: plainOf(o.text) }));
    const initial = el.initial_option?.value ?? el.initial_user ?? '';
    control = h(
      'select',
      { class: 'bk-select', 'aria-label': label },
      h('option', { value: '', disabled: true, selected: !initial }, label),
      options.map((o) => h('option', { value: o.value, selected: o.value === initial }, o.text)),
    );
  }
  control.id = uid('picker');
  control.dataset.focusKey = key;
  control.addEventListener('change', () => {
    if (control.value) use(ctx, el, control.value, control);
  });
  return control;
}
