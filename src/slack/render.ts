import type { types } from '@slack/bolt';
import { fallbackText } from '../chat/fallback-text.ts';
import type { Block, Button, Confirm, Field, Reply } from '../chat/reply.ts';
import { ActionIds, encodeOverflowValue, OVERFLOW_ACTION } from './action-ids.ts';
import { LIMITS, splitText, truncate } from './limits.ts';
import { toMrkdwn, toPlain } from './mrkdwn.ts';

type KnownBlock = types.KnownBlock;
type ActionsElement = types.ActionsBlockElement;

/** One Reply as a Block Kit message with its plain-text fallback (notifications, screen readers). */
export function renderMessage(reply: Reply): { text: string; blocks: KnownBlock[] } {
  const source: Block[] = reply.blocks?.length ? reply.blocks : [{ type: 'text', text: reply.text }];
  return {
    text: truncate(toMrkdwn(fallbackText(reply)), LIMITS.messageText),
    blocks: renderBlocks(source, LIMITS.messageBlocks),
  };
}

/** The App Home tab: the same blocks, with the view's larger budget. */
export function renderHome(blocks: Block[]): types.HomeView {
  return { type: 'home', blocks: renderBlocks(blocks, LIMITS.viewBlocks) };
}

/** Neutral blocks as Block Kit, cut to `max` blocks with a note of what was left out. */
export function renderBlocks(blocks: Block[], max: number): KnownBlock[] {
  const ids = new ActionIds();
  return withinBudget(
    blocks.flatMap((block) => renderBlock(block, ids)),
    max,
  );
}

function renderBlock(block: Block, ids: ActionIds): KnownBlock[] {
  switch (block.type) {
    case 'header':
      return [{ type: 'header', text: plain(block.text, LIMITS.headerText) }];
    case 'text':
      return splitText(toMrkdwn(block.text), LIMITS.sectionText)
        .filter((piece) => piece.trim().length > 0)
        .map((piece) => ({ type: 'section', text: { type: 'mrkdwn', text: piece } }));
    case 'fields':
      return chunk(block.fields, LIMITS.sectionFields).map((fields) => ({
        type: 'section',
        fields: fields.map(renderField),
      }));
    case 'context':
      return [
        { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(toMrkdwn(block.text), LIMITS.contextText) }] },
      ];
    case 'divider':
      return [{ type: 'divider' }];
    case 'actions':
      return chunk(actionElements(block.buttons, block.more ?? [], ids), LIMITS.actionsElements).map((elements) => ({
        type: 'actions',
        elements,
      }));
  }
}

function renderField(field: Field): types.MrkdwnElement {
  const value = field.value.trim() ? toMrkdwn(field.value) : '—';
  return { type: 'mrkdwn', text: truncate(`*${toMrkdwn(toPlain(field.label))}*\n${value}`, LIMITS.fieldText) };
}

/** Primary buttons first; `more` buttons folded into overflow menus (5 options each). */
function actionElements(buttons: Button[], more: Button[], ids: ActionIds): ActionsElement[] {
  const elements: ActionsElement[] = buttons.map((b) => renderButton(b, ids));
  const options: types.PlainTextOption[] = [];
  for (const button of more) {
    const value = encodeOverflowValue(button.action, button.value);
    // An option value holds at most 75 characters; a pair that does not fit stays a plain button.
    if (value === null) elements.push(renderButton(button, ids));
    else options.push({ text: plain(button.label, LIMITS.optionText), value });
  }
  for (const group of chunk(options, LIMITS.overflowOptions)) {
    elements.push({ type: 'overflow', action_id: ids.next(OVERFLOW_ACTION), options: group });
  }
  return elements;
}

function renderButton(button: Button, ids: ActionIds): types.Button {
  return {
    type: 'button',
    action_id: ids.next(button.action),
    text: plain(button.label, LIMITS.buttonText),
    ...(button.value ? { value: truncate(button.value, LIMITS.buttonValue) } : {}),
    ...(button.style ? { style: button.style } : {}),
    ...(button.confirm ? { confirm: renderConfirm(button.confirm, button.style) } : {}),
  };
}

function renderConfirm(confirm: Confirm, style: Button['style']): types.ConfirmationDialog {
  return {
    title: plain(confirm.title, LIMITS.confirmTitle),
    text: plain(confirm.text, LIMITS.confirmText),
    confirm: plain(confirm.confirm, LIMITS.confirmButton),
    deny: plain(confirm.deny, LIMITS.confirmButton),
    ...(style ? { style } : {}),
  };
}

export function plain(text: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: truncate(toPlain(text).trim() || ' ', max), emoji: true };
}

/** Over the budget: keep the first blocks, say how many were left out, keep the last row of buttons. */
function withinBudget(blocks: KnownBlock[], max: number): KnownBlock[] {
  if (blocks.length <= max) return blocks;
  const actionsAt = blocks.findLastIndex((b) => b.type === 'actions');
  const tail = actionsAt >= 0 ? blocks.slice(actionsAt, actionsAt + 1) : [];
  const kept = blocks.filter((_, i) => i !== actionsAt).slice(0, max - 1 - tail.length);
  const omitted = blocks.length - tail.length - kept.length;
  const note: KnownBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${omitted} more` }] };
  return [...kept, note, ...tail];
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
