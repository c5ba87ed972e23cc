import type { FormFieldKind } from '../../../src/chat/reply.ts';
import type { CardFacts, FormFacts, FormFieldFacts } from '../../scenarios/driver.ts';
import { emptyFacts, summed, withoutEmphasis } from './facts.ts';

// Block Kit read back the way a Slack user sees it: mentions as the person's name, channel links as
// #name, links as their label, mrkdwn emphasis and escapes undone.

export type Block = Record<string, unknown> & { type: string };
type TextObject = { type?: string; text?: string };

/** Names for the ids Slack's mrkdwn refers to (users, channels). */
export type SlackNames = (id: string) => string | undefined;

export function slackText(mrkdwn: string, names: SlackNames): string {
  const text = mrkdwn
    .replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, (_, id: string) => `@${names(id) ?? id}`)
    .replace(/<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, label?: string) => `#${label || names(id) || id}`)
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, '$2')
    .replace(/<((?:https?|mailto):[^|>]+)>/g, '$1');
  return withoutEmphasis(text).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** A message's blocks (or, without blocks, its text) as neutral facts. */
export function slackFacts(message: { text?: string; blocks?: unknown[] }, names: SlackNames): CardFacts {
  const facts = emptyFacts();
  const blocks = (message.blocks ?? []) as Block[];
  if (blocks.length === 0 && message.text) facts.lines.push(slackText(message.text, names));
  for (const block of blocks) {
    if (block.type === 'header') facts.title = (block.text as TextObject).text ?? '';
    if (block.type === 'section') {
      const text = block.text as TextObject | undefined;
      if (text?.text) facts.lines.push(slackText(text.text, names));
      for (const field of (block.fields ?? []) as TextObject[]) {
        const [label = '', ...rest] = (field.text ?? '').split('\n');
        facts.fields[slackText(label, names)] = slackText(rest.join('\n'), names);
      }
    }
    if (block.type === 'context') {
      for (const element of (block.elements ?? []) as TextObject[]) {
        if (element.text) facts.context.push(slackText(element.text, names));
      }
    }
    if (block.type === 'actions') facts.buttons.push(...actionLabels(block));
  }
  return summed(facts);
}

function actionLabels(block: Block): string[] {
  const labels: string[] = [];
  for (const element of (block.elements ?? []) as Block[]) {
    if (element.type === 'button') labels.push((element.text as TextObject).text ?? '');
    if (element.type === 'overflow') {
      for (const option of (element.options ?? []) as { text: TextObject }[]) labels.push(option.text.text ?? '');
    }
  }
  return labels;
}

const KINDS: Record<string, FormFieldKind> = {
  plain_text_input: 'text',
  static_select: 'select',
  radio_buttons: 'radio',
  multi_static_select: 'multiselect',
  users_select: 'user',
  datepicker: 'date',
};

/** A modal as neutral form facts; `handle` is the view itself. */
export function slackFormFacts(view: Record<string, unknown>, names: SlackNames, handle: unknown): FormFacts {
  const blocks = (view.blocks ?? []) as Block[];
  const intro: string[] = [];
  const fields: FormFieldFacts[] = [];
  for (const block of blocks) {
    if (block.type === 'section') intro.push(slackText((block.text as TextObject).text ?? '', names));
    if (block.type !== 'input') continue;
    const element = block.element as Block;
    const multiline = element.type === 'plain_text_input' && element.multiline === true;
    fields.push({
      id: String(block.block_id),
      label: (block.label as TextObject).text ?? '',
      kind: multiline ? 'textarea' : (KINDS[element.type] ?? 'text'),
    });
  }
  return {
    title: (view.title as TextObject).text ?? '',
    intro: intro.join('\n'),
    fields,
    submitLabel: (view.submit as TextObject | undefined)?.text ?? '',
    handle,
  };
}
