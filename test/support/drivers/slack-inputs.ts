import type { FieldInput, Persona } from '../../scenarios/driver.ts';
import { CHANNEL_PLACEHOLDER, PERSON_PLACEHOLDER } from '../../scenarios/personas.ts';
import type { StateValues } from '../slack-requests.ts';
import type { Block } from './slack-facts.ts';
import { slackChannel, slackUser } from './slack-stack.ts';

// Turning what a person does into what Slack would send: typed text with Slack's escapes, the element
// pressed (a button, or an overflow menu's choice) and a modal's state values, shaped per element type.

/** A message the driver can click: a real one in a channel or DM, or an answer only one person saw. */
export type SlackHandle =
  | { kind: 'channel'; channel: string; ts: string; text: string; blocks: unknown[] }
  | { kind: 'reply'; channel: string; ephemeral: boolean; ts: string; text: string; blocks: unknown[] };

export interface SlackFormHandle {
  view: { id: string; hash: string; view: Record<string, unknown> };
}

/** The open modal with these values entered, as Slack reports it on submit or close. */
export function filledIn(view: SlackFormHandle['view'], values: Record<string, FieldInput>) {
  const person = (input: FieldInput) => {
    if (typeof input === 'object' && 'person' in input) return slackUser(input.person);
    throw new Error(`a people picker takes { person }, not ${JSON.stringify(input)}`);
  };
  return {
    id: view.id,
    hash: view.hash,
    callbackId: String(view.view.callback_id),
    privateMetadata: String(view.view.private_metadata ?? ''),
    values: stateValues(view.view, values, person),
    opened: view.view,
  };
}

/** What a person types, as Slack delivers it: &, < and > escaped, links as <url>, mentions as <@U…|name>. */
export function typedText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/https?:\/\/[^\s<>]+/g, '<$&>')
    .replace(PERSON_PLACEHOLDER, (_, p: string) => `<@${slackUser(p as Persona)}|${p}>`)
    .replace(CHANNEL_PLACEHOLDER, (_, c: string) => `<#${slackChannel(c)}|${c}>`);
}

type TextObject = { text?: string };
export type Pressed = { actionId: string; value?: string; overflowValue?: string; blockId: string };

/** The button or overflow choice labelled `label`, as Slack reports the press. */
export function pressed(blocks: unknown[], label: string): Pressed {
  for (const block of blocks as Block[]) {
    if (block.type !== 'actions') continue;
    for (const element of (block.elements ?? []) as Block[]) {
      const actionId = String(element.action_id);
      const blockId = String(block.block_id ?? 'b1');
      if (element.type === 'button' && (element.text as TextObject).text === label) {
        return { actionId, value: typeof element.value === 'string' ? element.value : '', blockId };
      }
      for (const option of (element.options ?? []) as { text: TextObject; value: string }[]) {
        if (element.type === 'overflow' && option.text.text === label) {
          return { actionId, overflowValue: option.value, blockId };
        }
      }
    }
  }
  throw new Error(`no button labelled “${label}” on ${JSON.stringify(blocks)}`);
}

/** The modal's inputs filled in with `values`; `person` turns a persona into a Slack user id. */
export function stateValues(
  view: Record<string, unknown>,
  values: Record<string, FieldInput>,
  person: (input: FieldInput) => string,
): StateValues {
  const state: StateValues = {};
  const long = (JSON.parse(String(view.private_metadata || '{}')) as { o?: Record<string, string[]> }).o ?? {};
  for (const block of (view.blocks ?? []) as Block[]) {
    if (block.type !== 'input') continue;
    const id = String(block.block_id);
    const element = block.element as Block & { options?: { text: TextObject; value: string }[] };
    const given = values[id];
    const option = (value: string) => {
      const wire = long[id] ? String(long[id]?.indexOf(value)) : value;
      const found = element.options?.find((o) => o.value === wire);
      if (!found) throw new Error(`“${value}” is not a choice of ${id}`);
      return { text: { type: 'plain_text', text: found.text.text ?? '' }, value: found.value };
    };
    const text = typeof given === 'string' ? given : undefined;
    const list = Array.isArray(given) ? given : text ? [text] : [];
    // An input left alone submits what it was opened with, as Slack's client does.
    const untouched = given === undefined;
    const entry: Record<string, unknown> = { type: element.type };
    switch (element.type) {
      case 'plain_text_input':
        entry.value = untouched ? (element.initial_value ?? null) : (text ?? null);
        break;
      case 'datepicker':
        entry.selected_date = untouched ? (element.initial_date ?? null) : (text ?? null);
        break;
      case 'users_select':
        entry.selected_user = untouched ? (element.initial_user ?? null) : person(given);
        break;
      case 'static_select':
      case 'radio_buttons':
        entry.selected_option = untouched ? (element.initial_option ?? null) : text ? option(text) : null;
        break;
      case 'multi_static_select':
        entry.selected_options = untouched ? (element.initial_options ?? []) : list.map(option);
        break;
      default:
        throw new Error(`the driver cannot fill in a ${element.type}`);
    }
    state[id] = { [String(element.action_id)]: entry };
  }
  return state;
}
