import { checkElement, isObject, type Json, Problems } from './slack-web-api-elements.ts';

// Block Kit rules the Slack Web API stand-in enforces, with Slack's limits (docs.slack.dev block
// reference, @slack/types): 50 blocks per message, 100 per modal or Home tab, and the per-block
// limits below. Any problem makes the stand-in answer `invalid_blocks`, listing what it found.

function elementsOf(p: Problems, path: string, list: unknown[]): void {
  const actionIds = new Set<string>();
  for (const [i, el] of list.entries()) {
    checkElement(p, `${path}[${i}]`, el);
    const id = isObject(el) ? el.action_id : undefined;
    if (typeof id !== 'string') continue;
    if (actionIds.has(id)) p.add(`${path}[${i}].action_id`, 'is a duplicate');
    actionIds.add(id);
  }
}

function section(p: Problems, path: string, b: Json): void {
  if (b.text === undefined && b.fields === undefined) p.add(path, 'needs text or fields');
  if (b.text !== undefined) p.text(`${path}.text`, b.text, 3000);
  if (b.fields !== undefined) {
    for (const [i, field] of p.count(`${path}.fields`, b.fields, 1, 10).entries()) {
      p.text(`${path}.fields[${i}]`, field, 2000);
    }
  }
  if (b.accessory !== undefined) checkElement(p, `${path}.accessory`, b.accessory);
}

function context(p: Problems, path: string, b: Json): void {
  for (const [i, el] of p.count(`${path}.elements`, b.elements, 1, 10).entries()) {
    if (isObject(el) && el.type === 'image') checkElement(p, `${path}.elements[${i}]`, el);
    else p.text(`${path}.elements[${i}]`, el, 3000);
  }
}

function input(p: Problems, path: string, b: Json): void {
  p.text(`${path}.label`, b.label, 2000, true);
  if (b.hint !== undefined) p.text(`${path}.hint`, b.hint, 2000, true);
  if (b.element === undefined) p.add(`${path}.element`, 'is required');
  else checkElement(p, `${path}.element`, b.element);
}

function image(p: Problems, path: string, b: Json): void {
  if (typeof b.image_url !== 'string' && !isObject(b.slack_file)) p.add(path, 'needs image_url or slack_file');
  if (typeof b.alt_text !== 'string') p.add(`${path}.alt_text`, 'is required');
  p.max(`${path}.alt_text`, b.alt_text, 2000);
  if (b.title !== undefined) p.text(`${path}.title`, b.title, 2000, true);
}

function block(p: Problems, path: string, b: unknown): void {
  if (!isObject(b) || typeof b.type !== 'string') {
    p.add(path, 'must be a block with a type');
    return;
  }
  p.max(`${path}.block_id`, b.block_id, 255);
  if (b.type === 'section') section(p, path, b);
  else if (b.type === 'header') p.text(`${path}.text`, b.text, 150, true);
  else if (b.type === 'actions') elementsOf(p, `${path}.elements`, p.count(`${path}.elements`, b.elements, 1, 25));
  else if (b.type === 'context') context(p, path, b);
  else if (b.type === 'input') input(p, path, b);
  else if (b.type === 'image') image(p, path, b);
  else if (b.type === 'markdown') {
    if (typeof b.text !== 'string' || b.text.length === 0) p.add(`${path}.text`, 'is required');
    p.max(`${path}.text`, b.text, 12_000);
  } else if (b.type === 'rich_text') p.count(`${path}.elements`, b.elements, 1, 1000);
  else if (b.type !== 'divider') p.add(`${path}.type`, `unknown block type ${b.type}`);
}

function blocks(p: Problems, path: string, value: unknown, max: number): void {
  const ids = new Set<string>();
  for (const [i, b] of p.count(path, value, 0, max).entries()) {
    block(p, `${path}[${i}]`, b);
    const id = isObject(b) ? b.block_id : undefined;
    if (typeof id !== 'string') continue;
    if (ids.has(id)) p.add(`${path}[${i}].block_id`, 'is a duplicate');
    ids.add(id);
  }
}

/** Problems with a message's `blocks` (at most 50). */
export function messageBlockProblems(value: unknown): string[] {
  const p = new Problems();
  blocks(p, 'blocks', value, 50);
  return p.list;
}

/** Problems with a `view`: a modal (views.open/push/update) or a Home tab (views.publish); 100 blocks each. */
export function viewProblems(view: unknown, kind: 'modal' | 'home'): string[] {
  const p = new Problems();
  if (!isObject(view)) {
    p.add('view', 'must be an object');
    return p.list;
  }
  if (view.type !== kind) p.add('view.type', `must be ${kind}`);
  blocks(p, 'view.blocks', view.blocks, 100);
  p.max('view.callback_id', view.callback_id, 255);
  p.max('view.private_metadata', view.private_metadata, 3000);
  p.max('view.external_id', view.external_id, 255);
  if (kind === 'modal') {
    p.text('view.title', view.title, 24, true);
    if (view.submit !== undefined) p.text('view.submit', view.submit, 24, true);
    if (view.close !== undefined) p.text('view.close', view.close, 24, true);
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObject(b) && b.type === 'input');
    if (hasInput && view.submit === undefined) p.add('view.submit', 'is required when the view has input blocks');
  }
  return p.list;
}

/** Message `text` longer than this is `msg_too_long`. */
export const MESSAGE_TEXT_LIMIT = 40_000;

/** A view over 250 kB of JSON is `view_too_large`. */
export const viewTooLarge = (view: unknown): boolean => JSON.stringify(view).length > 250_000;
