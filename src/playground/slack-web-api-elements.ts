// Text objects and block elements as Slack checks them (docs.slack.dev block-elements reference and
// @slack/types). Where two Slack sources disagree (an option value of 75 or 150 characters), the
// smaller wins, so nothing that passes here can be refused by Slack for it.

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Collects readable problems, each `path: what is wrong`. */
export class Problems {
  readonly list: string[] = [];

  add(path: string, problem: string): void {
    this.list.push(`${path}: ${problem}`);
  }

  max(path: string, value: unknown, limit: number): void {
    if (typeof value === 'string' && value.length > limit) this.add(path, `must be at most ${limit} characters`);
  }

  /** The items of an array that must hold `min` to `max` of them (none if it is not an array). */
  count(path: string, value: unknown, min: number, max: number): unknown[] {
    if (!Array.isArray(value)) {
      this.add(path, 'must be an array');
      return [];
    }
    if (value.length < min || value.length > max) this.add(path, `must have ${min} to ${max} items`);
    return value;
  }

  text(path: string, value: unknown, limit: number, plainOnly = false): void {
    if (!isObject(value)) {
      this.add(path, 'must be a text object');
    } else if (value.type !== 'plain_text' && (plainOnly || value.type !== 'mrkdwn')) {
      this.add(`${path}.type`, plainOnly ? 'must be plain_text' : 'must be plain_text or mrkdwn');
    } else if (typeof value.text !== 'string' || value.text.length === 0) {
      this.add(`${path}.text`, 'is required');
    } else {
      this.max(`${path}.text`, value.text, limit);
    }
  }
}

const INPUTS = new Set([
  'external_select',
  'multi_external_select',
  'users_select',
  'multi_users_select',
  'conversations_select',
  'multi_conversations_select',
  'channels_select',
  'multi_channels_select',
  'datepicker',
  'timepicker',
  'datetimepicker',
  'number_input',
  'email_text_input',
  'url_text_input',
]);

function confirm(p: Problems, path: string, value: unknown): void {
  if (value === undefined) return;
  if (!isObject(value)) {
    p.add(path, 'must be a confirm object');
    return;
  }
  p.text(`${path}.title`, value.title, 100, true);
  p.text(`${path}.text`, value.text, 300);
  p.text(`${path}.confirm`, value.confirm, 30, true);
  p.text(`${path}.deny`, value.deny, 30, true);
}

function options(p: Problems, path: string, value: unknown, min: number, max: number): void {
  for (const [i, option] of p.count(path, value, min, max).entries()) {
    const at = `${path}[${i}]`;
    if (!isObject(option)) {
      p.add(at, 'must be an option object');
      continue;
    }
    p.text(`${at}.text`, option.text, 75);
    if (typeof option.value !== 'string') p.add(`${at}.value`, 'is required');
    p.max(`${at}.value`, option.value, 75);
    if (option.description !== undefined) p.text(`${at}.description`, option.description, 75, true);
  }
}

function button(p: Problems, path: string, el: Json): void {
  p.text(`${path}.text`, el.text, 75, true);
  p.max(`${path}.value`, el.value, 2000);
  p.max(`${path}.url`, el.url, 3000);
  p.max(`${path}.accessibility_label`, el.accessibility_label, 75);
  if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') {
    p.add(`${path}.style`, 'must be primary or danger');
  }
}

function staticSelect(p: Problems, path: string, el: Json): void {
  if (el.option_groups === undefined) {
    options(p, `${path}.options`, el.options, 1, 100);
    return;
  }
  for (const [i, group] of p.count(`${path}.option_groups`, el.option_groups, 1, 100).entries()) {
    const at = `${path}.option_groups[${i}]`;
    if (!isObject(group)) {
      p.add(at, 'must be an option group');
      continue;
    }
    p.text(`${at}.label`, group.label, 75, true);
    options(p, `${at}.options`, group.options, 1, 100);
  }
}

/** An element of an actions block, a section accessory, an input block or (image only) a context. */
export function checkElement(p: Problems, path: string, el: unknown): void {
  if (!isObject(el) || typeof el.type !== 'string') {
    p.add(path, 'must be an element with a type');
    return;
  }
  if (el.type === 'image') {
    if (typeof el.alt_text !== 'string') p.add(`${path}.alt_text`, 'is required');
    p.max(`${path}.alt_text`, el.alt_text, 2000);
    return;
  }
  p.max(`${path}.action_id`, el.action_id, 255);
  if (el.placeholder !== undefined) p.text(`${path}.placeholder`, el.placeholder, 150, true);
  confirm(p, `${path}.confirm`, el.confirm);
  if (el.type === 'button') button(p, path, el);
  else if (el.type === 'overflow') options(p, `${path}.options`, el.options, 2, 5);
  else if (el.type === 'static_select' || el.type === 'multi_static_select') staticSelect(p, path, el);
  else if (el.type === 'radio_buttons' || el.type === 'checkboxes') options(p, `${path}.options`, el.options, 1, 10);
  else if (el.type === 'plain_text_input') {
    for (const key of ['min_length', 'max_length']) {
      if (typeof el[key] === 'number' && el[key] > 3000) p.add(`${path}.${key}`, 'must be at most 3000');
    }
  } else if (!INPUTS.has(el.type)) p.add(`${path}.type`, `unknown element type ${el.type}`);
}
