import { element, textObject } from './blocks.js';
import { h, plainOf } from './dom.js';
import { mrkdwn } from './mrkdwn.js';

// A Slack modal: title, the view's blocks with labelled inputs (text, multi-line text, menus, radio
// buttons, checkboxes, user and date pickers), Cancel and Submit. Field errors from the bot appear
// under their inputs and the first one takes focus. Drawn in a native <dialog>, so Escape cancels
// and focus stays in the form.
//
// Closing it (Cancel, × or Escape) hands over what was entered, which Slack sends the bot in view_closed.
//
// ctx: { names, users, key, act, confirm, submit(values) -> Promise<result>, cancel(values) }

export function renderModal(modal, ctx) {
  const view = modal.view;
  const inputs = [];
  const body = h('div', { class: 'modal-body' });
  (view.blocks ?? []).forEach((block, index) => {
    if (block.type === 'input') {
      const input = inputField(block, index, ctx);
      inputs.push(input);
      body.append(input.node);
    } else if (block.type === 'section') {
      body.append(textObject(block.text, ctx.names, 'bk-text modal-intro'));
    } else if (block.type === 'context') {
      body.append(
        h(
          'div',
          { class: 'bk-context' },
          (block.elements ?? []).map((e) => textObject(e, ctx.names)),
        ),
      );
    } else if (block.type === 'header') {
      body.append(h('h3', { class: 'bk-header' }, plainOf(block.text)));
    } else if (block.type === 'divider') {
      body.append(h('hr', { class: 'bk-divider' }));
    } else if (block.type === 'actions') {
      body.append(
        h(
          'div',
          { class: 'bk-actions' },
          (block.elements ?? []).map((e) => element(e, ctx)),
        ),
      );
    }
  });

  const entered = () => Object.fromEntries(inputs.map((i) => [i.blockId, i.read()]));
  const problem = h('p', { class: 'modal-problem', role: 'alert' });
  const submit = view.submit
    ? h('button', { type: 'submit', class: 'bk-btn bk-btn-primary' }, plainOf(view.submit))
    : null;
  const cancel = h('button', { type: 'button', class: 'bk-btn' }, plainOf(view.close) || 'Cancel');
  cancel.addEventListener('click', () => ctx.cancel(entered()));
  const form = h(
    'form',
    { class: 'modal', 'aria-labelledby': 'modal-title', novalidate: true },
    h(
      'header',
      { class: 'modal-head' },
      h('h2', { id: 'modal-title', class: 'dialog-title' }, plainOf(view.title)),
      h(
        'button',
        { type: 'button', class: 'modal-x', 'aria-label': 'Close', on: { click: () => ctx.cancel(entered()) } },
        '×',
      ),
    ),
    body,
    h('footer', { class: 'modal-foot' }, problem, cancel, submit),
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!submit) return;
    submit.disabled = true;
    submit.setAttribute('aria-busy', 'true');
    problem.textContent = '';
    for (const input of inputs) input.showError('');
    try {
      const result = await ctx.submit(entered());
      if (result.ok) return;
      const errors = result.fieldErrors ?? {};
      for (const input of inputs) input.showError(errors[input.blockId] ?? '');
      problem.textContent = result.error ?? '';
      const first = inputs.find((i) => errors[i.blockId]);
      if (first) first.focus();
    } finally {
      submit.disabled = false;
      submit.removeAttribute('aria-busy');
    }
  });
  return form;
}

function inputField(block, index, ctx) {
  const blockId = block.block_id ?? `b${index}`;
  const el = block.element ?? {};
  const id = `in-${index}`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const label = plainOf(block.label);
  const optional = block.optional ? h('span', { class: 'optional' }, ' (optional)') : null;
  const hint = block.hint ? h('p', { class: 'input-hint', id: hintId }, plainOf(block.hint)) : null;
  const error = h('p', { class: 'input-error', id: errorId, hidden: true });
  const described = [hint ? hintId : '', errorId].filter(Boolean).join(' ');
  const control = inputControl(el, id, label, described, ctx);
  const grouped = el.type === 'radio_buttons' || el.type === 'checkboxes' || el.type === 'multi_static_select';
  const heading = grouped
    ? h('legend', { class: 'input-label' }, label, optional)
    : h('label', { class: 'input-label', for: id }, label, optional);
  const node = h(
    grouped ? 'fieldset' : 'div',
    { class: 'input', dataset: { block: blockId } },
    heading,
    control.node,
    hint,
    error,
  );
  return {
    blockId,
    node,
    read: control.read,
    focus: control.focus,
    showError(message) {
      error.textContent = message;
      error.hidden = !message;
      control.invalid(Boolean(message));
    },
  };
}

function choiceList(kind, el, id, described, initial) {
  const boxes = (el.options ?? []).map((o, i) => {
    const optionId = `${id}-${i}`;
    const box = h('input', {
      type: kind,
      id: optionId,
      name: id,
      value: o.value,
      checked: initial.includes(o.value),
      'aria-describedby': described,
    });
    return { box, node: h('div', { class: 'choice' }, box, h('label', { for: optionId }, plainOf(o.text))) };
  });
  return {
    node: h(
      'div',
      { class: `choices choices-${kind}` },
      boxes.map((b) => b.node),
    ),
    read: () => {
      const chosen = boxes.filter((b) => b.box.checked).map((b) => b.box.value);
      return kind === 'radio' ? (chosen[0] ?? null) : chosen;
    },
    focus: () => (boxes.find((b) => b.box.checked) ?? boxes[0])?.box.focus(),
    invalid: (bad) => {
      for (const b of boxes) b.box.toggleAttribute('aria-invalid', bad);
    },
  };
}

function inputControl(el, id, label, described, ctx) {
  const single = (node, read) => ({
    node,
    read,
    focus: () => node.focus(),
    invalid: (bad) => node.toggleAttribute('aria-invalid', bad),
  });
  const common = { id, 'aria-describedby': described };
  const placeholder = plainOf(el.placeholder);
  switch (el.type) {
    case 'plain_text_input': {
      const node = el.multiline
        ? h('textarea', { ...common, class: 'field', rows: 4, placeholder, value: el.initial_value ?? '' })
        : h('input', { ...common, type: 'text', class: 'field', placeholder, value: el.initial_value ?? '' });
      return single(node, () => node.value);
    }
    case 'static_select':
    case 'users_select': {
      const options =
        el.type === 'users_select'
          ? ctx.users.map((u) => ({ value: u.id, text: u.name }))
          : (el.options ?? []).map((o) => ({ value: o.value, text: plainOf(o.text) }));
      const initial = el.initial_option?.value ?? el.initial_user ?? '';
      const node = h(
        'select',
        { ...common, class: 'field' },
        h('option', { value: '' }, placeholder || `Choose ${label.toLowerCase()}`),
        options.map((o) => h('option', { value: o.value, selected: o.value === initial }, o.text)),
      );
      return single(node, () => node.value || null);
    }
    case 'datepicker': {
      const node = h('input', { ...common, type: 'date', class: 'field', value: el.initial_date ?? '' });
      return single(node, () => node.value || null);
    }
    case 'radio_buttons':
      return choiceList('radio', el, id, described, [el.initial_option?.value]);
    case 'checkboxes':
    case 'multi_static_select':
      return choiceList(
        'checkbox',
        el,
        id,
        described,
        (el.initial_options ?? []).map((o) => o.value),
      );
    default: {
      const node = h('p', { class: 'bk-unsupported', tabindex: '-1' }, mrkdwn(`[${el.type}]`, ctx.names));
      return single(node, () => null);
    }
  }
}
