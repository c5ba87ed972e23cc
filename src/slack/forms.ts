import type { types, ViewOutput } from '@slack/bolt';
import type { FormValues } from '../chat/command.ts';
import type { Form, FormField } from '../chat/reply.ts';
import { inputBlock } from './form-inputs.ts';
import { encodeMeta, type ModalMeta, readModalMeta } from './form-meta.ts';
import { LIMITS, splitText, truncate } from './limits.ts';
import { toMrkdwn } from './mrkdwn.ts';
import { plain } from './render.ts';

// A neutral Form as a Slack modal. A form too long for one modal (100 blocks) is split into pages;
// the app walks them with `response_action: 'update'` (see form-pages.ts).

export { type ModalMeta, readModalMeta };

export interface ModalOptions {
  /** Where the person opened the form (`slack:C123`); replies after submit go there. */
  channel?: string | null;
  /** 0-based page to show. */
  page?: number;
  /** The pending multi-page form this page belongs to. */
  key?: string | null;
}

/** The fields of each page: the first page also holds the intro, every page at most 100 blocks. */
export function formPages(form: Form): FormField[][] {
  const introBlocks = form.intro ? introSections(form.intro).length : 0;
  const pages: FormField[][] = [form.fields.slice(0, Math.max(1, LIMITS.viewBlocks - introBlocks))];
  for (let at = pages[0]?.length ?? 0; at < form.fields.length; at += LIMITS.viewBlocks) {
    pages.push(form.fields.slice(at, at + LIMITS.viewBlocks));
  }
  return pages;
}

export function renderModal(form: Form, options: ModalOptions = {}): types.ModalView {
  const pages = formPages(form);
  const page = Math.min(Math.max(0, options.page ?? 0), pages.length - 1);
  const long: Record<string, string[]> = {};
  const blocks: types.KnownBlock[] = [];
  if (page === 0 && form.intro) {
    for (const text of introSections(form.intro)) blocks.push({ type: 'section', text: { type: 'mrkdwn', text } });
  }
  for (const field of pages[page] ?? []) blocks.push(inputBlock(field, long));
  const counter = pages.length > 1 ? ` (${page + 1}/${pages.length})` : '';
  const last = page === pages.length - 1;
  return {
    type: 'modal',
    callback_id: truncate(form.id, LIMITS.callbackId),
    title: { type: 'plain_text', text: `${plain(form.title, LIMITS.modalTitle - counter.length).text}${counter}` },
    submit: plain(last ? form.submitLabel : 'Next', LIMITS.modalButton),
    close: plain('Cancel', LIMITS.modalButton),
    notify_on_close: true,
    private_metadata: encodeMeta({
      state: form.state,
      channel: options.channel ?? null,
      page,
      pages: pages.length,
      key: options.key ?? null,
      long,
    }),
    blocks,
  };
}

function introSections(intro: string): string[] {
  return splitText(toMrkdwn(intro), LIMITS.sectionText).filter((s) => s.trim());
}

/** What the person entered, by field id. A users_select yields a principal (`slack:U123`). */
export function readFormValues(view: Pick<ViewOutput, 'state' | 'private_metadata'>): FormValues {
  const { long } = readModalMeta(view);
  const values: FormValues = {};
  for (const [blockId, actions] of Object.entries(view.state?.values ?? {})) {
    for (const input of Object.values(actions)) {
      const original = (v: string) => long[blockId]?.[Number(v)] ?? v;
      values[blockId] = readInput(input, original);
    }
  }
  return values;
}

function readInput(
  input: ViewOutput['state']['values'][string][string],
  original: (value: string) => string,
): string | string[] | undefined {
  switch (input.type) {
    case 'users_select':
      return input.selected_user ? `slack:${input.selected_user}` : undefined;
    case 'multi_users_select':
      return (input.selected_users ?? []).map((u) => `slack:${u}`);
    case 'datepicker':
      return input.selected_date ?? undefined;
    case 'static_select':
    case 'radio_buttons':
      return input.selected_option ? original(input.selected_option.value) : undefined;
    case 'multi_static_select':
    case 'checkboxes':
      return (input.selected_options ?? []).map((o) => original(o.value));
    default:
      return input.value?.trim() ? input.value : undefined;
  }
}

/**
 * Field errors as Slack's `response_action: 'errors'`. An error for a field that is not on the
 * page in front of the person (an earlier page) is shown on the first input, named by its label.
 */
export function fieldErrorsResponse(
  errors: Record<string, string>,
  view: Pick<ViewOutput, 'state'>,
  form?: Form,
): { response_action: 'errors'; errors: Record<string, string> } {
  const onPage = Object.keys(view.state?.values ?? {});
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors)) {
    const label = form?.fields.find((f) => f.id === field)?.label;
    const blockId = onPage.includes(field) ? field : onPage[0];
    if (!blockId) continue;
    const text = blockId === field || !label ? message : `${label}: ${message}`;
    out[blockId] = truncate(out[blockId] ? `${out[blockId]} ${text}` : text, LIMITS.inputHint);
  }
  return { response_action: 'errors', errors: out };
}
