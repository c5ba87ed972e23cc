import { describe, expect, it } from 'vitest';
import type { Form, FormField } from '../../src/chat/reply.ts';
import { viewProblems } from '../../src/playground/slack-web-api-blocks.ts';
import { fieldErrorsResponse, formPages, readFormValues, readModalMeta, renderModal } from '../../src/slack/forms.ts';

type AnyBlock = { type: string; block_id?: string; element?: Record<string, unknown>; optional?: boolean };

const form = (fields: FormField[], extra: Partial<Form> = {}): Form => ({
  id: 'escalation.request',
  title: 'Request an escalation',
  submitLabel: 'Send request',
  state: '{"findingId":12}',
  fields,
  ...extra,
});

const options = [
  { value: 'high', label: 'High' },
  { value: 'low', label: 'Low' },
];

describe('renderModal', () => {
  const view = renderModal(
    form(
      [
        { id: 'reason', label: 'Reason', kind: 'textarea', hint: 'Shown to the approver', placeholder: 'Why?' },
        { id: 'title', label: 'Title', kind: 'text', initial: 'TLS expired' },
        { id: 'severity', label: 'Severity', kind: 'select', options, initial: 'low' },
        { id: 'scope', label: 'Scope', kind: 'multiselect', options, initial: 'high,low', optional: true },
        { id: 'approver', label: 'Approver', kind: 'user', initial: 'slack:U777' },
        { id: 'until', label: 'Until', kind: 'date', initial: '2026-07-01' },
        { id: 'answer', label: 'Answer', kind: 'radio', options },
      ],
      { intro: '**Finding 12** needs a decision' },
    ),
    { channel: 'slack:C42' },
  );
  const blocks = view.blocks as unknown as AnyBlock[];
  const element = (id: string) => blocks.find((b) => b.block_id === id)?.element ?? {};

  it('is a modal routed by form id that reports closing', () => {
    expect(view.callback_id).toBe('escalation.request');
    expect(view.notify_on_close).toBe(true);
    expect(view.title.text).toBe('Request an escalation');
    expect(view.submit?.text).toBe('Send request');
    expect(blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*Finding 12* needs a decision' } });
  });

  it('carries the form state and the originating channel', () => {
    expect(readModalMeta(view)).toMatchObject({ state: '{"findingId":12}', channel: 'slack:C42', pages: 1 });
  });

  it('draws each field kind with its initial value', () => {
    expect(element('reason')).toMatchObject({ type: 'plain_text_input', multiline: true, action_id: 'reason' });
    expect(element('title')).toMatchObject({
      type: 'plain_text_input',
      multiline: false,
      initial_value: 'TLS expired',
    });
    expect(element('severity')).toMatchObject({ type: 'static_select', initial_option: { value: 'low' } });
    expect((element('scope').initial_options as unknown[]).length).toBe(2);
    expect(element('approver')).toMatchObject({ type: 'users_select', initial_user: 'U777' });
    expect(element('until')).toMatchObject({ type: 'datepicker', initial_date: '2026-07-01' });
    expect(element('answer')).toMatchObject({ type: 'radio_buttons' });
    expect(blocks.find((b) => b.block_id === 'scope')?.optional).toBe(true);
    expect(blocks.find((b) => b.block_id === 'reason')).toMatchObject({ hint: { text: 'Shown to the approver' } });
    expect(viewProblems(view, 'modal')).toEqual([]);
  });

  it('cuts a long title to 24 characters', () => {
    const long = renderModal(
      form([{ id: 'a', label: 'A', kind: 'text' }], { title: 'Request a risk acceptance for a vendor' }),
    );
    expect(long.title.text).toHaveLength(24);
  });

  it('shows more than 10 radio choices as a menu', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ value: `v${i}`, label: `Choice ${i}` }));
    const v = renderModal(form([{ id: 'pick', label: 'Pick', kind: 'radio', options: many }]));
    expect((v.blocks[0] as unknown as AnyBlock).element?.type).toBe('static_select');
  });
});

describe('forms over 100 blocks', () => {
  const fields: FormField[] = Array.from({ length: 150 }, (_, i) => ({
    id: `q${i}`,
    label: `Question ${i}`,
    kind: 'text',
  }));
  const big = form(fields, { intro: 'Answer every control.' });

  it('are split into pages of at most 100 blocks, the intro counting on the first', () => {
    expect(formPages(big).map((p) => p.length)).toEqual([99, 51]);
    const first = renderModal(big, { key: 'k1' });
    const second = renderModal(big, { page: 1, key: 'k1' });
    expect(first.blocks).toHaveLength(100);
    expect(viewProblems(first, 'modal')).toEqual([]);
    expect(first.submit?.text).toBe('Next');
    expect(first.title.text.endsWith('(1/2)')).toBe(true);
    expect(first.title.text.length).toBeLessThanOrEqual(24);
    expect(second.submit?.text).toBe('Send request');
    expect(readModalMeta(second)).toMatchObject({ page: 1, pages: 2, key: 'k1' });
  });
});

describe('readFormValues', () => {
  it('reads every element type, users as principals', () => {
    const values = readFormValues({
      private_metadata: '{"s":""}',
      state: {
        values: {
          reason: { reason: { type: 'plain_text_input', value: 'Vendor unresponsive' } },
          empty: { empty: { type: 'plain_text_input', value: null } },
          severity: {
            severity: { type: 'static_select', selected_option: { text: plainText('High'), value: 'high' } },
          },
          scope: {
            scope: { type: 'multi_static_select', selected_options: [{ text: plainText('Low'), value: 'low' }] },
          },
          approver: { approver: { type: 'users_select', selected_user: 'U777' } },
          until: { until: { type: 'datepicker', selected_date: '2026-07-01' } },
          answer: { answer: { type: 'radio_buttons', selected_option: null } },
        },
      },
    });
    expect(values).toEqual({
      reason: 'Vendor unresponsive',
      empty: undefined,
      severity: 'high',
      scope: ['low'],
      approver: 'slack:U777',
      until: '2026-07-01',
      answer: undefined,
    });
  });

  it('gives back option values too long for Slack exactly as the form had them', () => {
    const longValue = `vendor:${'x'.repeat(100)}`;
    const view = renderModal(
      form([{ id: 'v', label: 'Vendor', kind: 'select', options: [{ value: longValue, label: 'X' }] }]),
    );
    const sentOptions = ((view.blocks[0] as unknown as AnyBlock).element?.options ?? []) as { value: string }[];
    const sent = sentOptions[0]?.value ?? '';
    expect(sent.length).toBeLessThanOrEqual(75);
    const values = readFormValues({
      private_metadata: view.private_metadata ?? '',
      state: {
        values: { v: { v: { type: 'static_select', selected_option: { text: plainText('X'), value: sent } } } },
      },
    });
    expect(values.v).toBe(longValue);
  });
});

describe('fieldErrorsResponse', () => {
  it('maps errors onto the blocks of the page, naming fields from earlier pages', () => {
    const state = { values: { q120: { q120: { type: 'plain_text_input', value: 'x' } } } };
    const big = form([
      { id: 'q1', label: 'Question one', kind: 'text' },
      { id: 'q120', label: 'Question 120', kind: 'text' },
    ]);
    expect(fieldErrorsResponse({ q120: 'Too short', q1: 'Required' }, { state }, big)).toEqual({
      response_action: 'errors',
      errors: { q120: 'Too short Question one: Required' },
    });
  });
});

function plainText(text: string) {
  return { type: 'plain_text' as const, text };
}
