import { h } from './dom.js';

// `@` in the composer: typing @ and the start of a name lists the workspace's people (the ARIA combobox
// pattern: arrow keys move, Enter or Tab picks, Escape closes). Picking one writes their handle, `@dana`,
// which the Slack stand-in sends to the bot as a mention, `<@U123|dana>`, as Slack does.

const MAX_SHOWN = 8;

/** The `@name` being typed just before the caret, or null. */
function typedMention(input) {
  const before = input.value.slice(0, input.selectionStart ?? input.value.length);
  const m = /(^|[\s(])@([\w.-]*)$/.exec(before);
  return m ? { start: before.length - m[2].length - 1, query: m[2].toLowerCase() } : null;
}

function matches(users, query) {
  const starts = (text) =>
    text
      .toLowerCase()
      .split(/\s+/)
      .some((word) => word.startsWith(query));
  return users.filter((u) => u.handle.startsWith(query) || starts(u.name)).slice(0, MAX_SHOWN);
}

/** Wires the autocomplete to `input`; `users()` gives the workspace's people ({ id, name, handle }). */
export function wireMentions(input, users) {
  const list = h('ul', { id: 'mention-list', class: 'mention-list', role: 'listbox', 'aria-label': 'People' });
  list.hidden = true;
  input.after(list);
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', list.id);
  input.setAttribute('aria-expanded', 'false');
  let shown = [];
  let active = 0;
  let typed = null;

  const close = () => {
    shown = [];
    list.hidden = true;
    list.replaceChildren();
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  };
  const pick = (user) => {
    const end = input.selectionStart ?? input.value.length;
    const before = `${input.value.slice(0, typed.start)}@${user.handle} `;
    input.value = before + input.value.slice(end).replace(/^\s+/, '');
    input.setSelectionRange(before.length, before.length);
    close();
  };
  const draw = () => {
    list.replaceChildren(
      ...shown.map((user, i) =>
        h(
          'li',
          {
            id: `mention-${user.id}`,
            role: 'option',
            class: 'mention-option',
            'aria-selected': String(i === active),
            // Pressing must not take focus from the composer; the click picks.
            on: { mousedown: (event) => event.preventDefault(), click: () => pick(user) },
          },
          h('span', { class: 'mention-name' }, user.name),
          h('span', { class: 'mention-handle' }, `@${user.handle}`),
        ),
      ),
    );
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    input.setAttribute('aria-activedescendant', `mention-${shown[active].id}`);
  };
  const update = () => {
    typed = typedMention(input);
    shown = typed ? matches(users(), typed.query) : [];
    active = 0;
    if (shown.length > 0) draw();
    else close();
  };

  input.addEventListener('input', update);
  input.addEventListener('blur', close);
  input.addEventListener('keydown', (event) => {
    if (shown.length === 0) return;
    const move = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (move) {
      event.preventDefault();
      active = (active + move + shown.length) % shown.length;
      draw();
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault();
      pick(shown[active]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  });
}
