// A tiny element builder: every piece of text goes in as a text node, never as HTML, so nothing the
// bot (or a vendor name typed by someone) sends can inject markup into the page.

/** Keys set as DOM properties; every other key is an attribute (`true` sets it empty). */
const PROPERTIES = new Set(['value', 'checked', 'selected', 'disabled', 'hidden', 'multiple', 'id', 'type', 'name']);

/** h('button', { class: 'x', on: { click }, 'aria-label': 'Close' }, 'text', child) */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'on') for (const [type, fn] of Object.entries(value)) el.addEventListener(type, fn);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'for') el.htmlFor = value;
    else if (PROPERTIES.has(key)) el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Number.POSITIVE_INFINITY)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Plain text of a Block Kit text object (plain_text or mrkdwn shown as typed). */
export function plainOf(textObject) {
  return typeof textObject === 'string' ? textObject : (textObject?.text ?? '');
}

let counter = 0;
/** An id unique in the page, for label/for and aria-describedby pairs. */
export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}
