import { describe, expect, it } from 'vitest';
import type { Form } from '../../src/chat/reply.ts';
import { FORM_SUBMIT_VERB, readFormValues, renderForm } from '../../src/teams/forms.ts';

const LEE = 'e1e1e1e1-0000-4000-8000-000000000002';

const form: Form = {
  id: 'escalation.request',
  title: 'Request escalation',
  submitLabel: 'Send',
  state: 'finding:12:v3',
  intro: 'Explain **why**.',
  fields: [
    { id: 'reason', label: 'Reason', kind: 'textarea', hint: 'Shown to the approver' },
    { id: 'approver', label: 'Approver', kind: 'user', initial: `teams:${LEE}` },
    { id: 'until', label: 'Until', kind: 'date', optional: true, initial: '2026-07-01' },
    { id: 'kind', label: 'Kind', kind: 'select', options: [{ value: 'accept', label: 'Accept risk' }] },
    { id: 'areas', label: 'Areas', kind: 'multiselect', options: [{ value: 'a', label: 'A' }], optional: true },
    { id: 'urgency', label: 'Urgency', kind: 'radio', options: [{ value: 'high', label: 'High' }] },
  ],
};

describe('forms as Adaptive Cards', () => {
  const card = renderForm(form, { own: true, names: { [`teams:${LEE}`]: 'Lee Park' } });
  const inputs = card.body.filter((e) => String(e.type).startsWith('Input.'));

  it('draws each field kind with the matching input', () => {
    expect(inputs.map((i) => [i.type, i.id, i.isRequired])).toEqual([
      ['Input.Text', 'field:textarea:reason', true],
      ['Input.ChoiceSet', 'field:user:approver', true],
      ['Input.Date', 'field:date:until', false],
      ['Input.ChoiceSet', 'field:select:kind', true],
      ['Input.ChoiceSet', 'field:multiselect:areas', false],
      ['Input.ChoiceSet', 'field:radio:urgency', true],
    ]);
    expect(inputs[0]).toMatchObject({ isMultiline: true, label: 'Reason' });
    expect(inputs[1]).toMatchObject({
      'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users' },
      value: LEE,
      choices: [{ title: 'Lee Park', value: LEE }],
    });
    expect(inputs[2]).toMatchObject({ value: '2026-07-01' });
    expect(inputs[3]).toMatchObject({ style: 'compact', isMultiSelect: false });
    expect(inputs[4]).toMatchObject({ style: 'compact', isMultiSelect: true });
    expect(inputs[5]).toMatchObject({ style: 'expanded' });
  });

  it('submits with one Action.Execute carrying the form id and its state', () => {
    const actions = (card.body.at(-1) as { actions: Record<string, unknown>[] }).actions;
    expect(actions).toEqual([
      {
        type: 'Action.Execute',
        title: 'Send',
        verb: FORM_SUBMIT_VERB,
        style: 'positive',
        associatedInputs: 'auto',
        data: { form: 'escalation.request', state: 'finding:12:v3', own: true },
      },
    ]);
  });

  it('reads a submission back into form values, people as teams principals', () => {
    const submitted = readFormValues({
      form: 'escalation.request',
      state: 'finding:12:v3',
      own: true,
      'field:textarea:reason': 'Vendor cannot patch before Q3',
      'field:user:approver': LEE,
      'field:date:until': '',
      'field:select:kind': 'accept',
      'field:multiselect:areas': 'a,b',
      'field:radio:urgency': 'high',
    });
    expect(submitted).toEqual({
      form: 'escalation.request',
      state: 'finding:12:v3',
      own: true,
      values: {
        reason: 'Vendor cannot patch before Q3',
        approver: `teams:${LEE}`,
        until: undefined,
        kind: 'accept',
        areas: ['a', 'b'],
        urgency: 'high',
      },
    });
  });
});
