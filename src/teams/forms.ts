import type { FormValues } from '../chat/command.ts';
import { teamsLiteral } from '../chat/inert.ts';
import type { Form, FormField, FormFieldKind } from '../chat/reply.ts';
import { type Json, LIMITS, truncate } from './limits.ts';
import { Mentions, toPlain, toTeamsMarkdown } from './markdown.ts';
import type { AdaptiveCard } from './render.ts';

// A neutral Form as an Adaptive Card with inputs, submitted by one Action.Execute whose verb is
// FORM_SUBMIT_VERB. Teams merges the inputs into the action's data, so each input id carries its
// field's kind (`field:multiselect:tags`) and the data carries the form id and its opaque state: a
// submission is read back with nothing remembered on our side.

export const FORM_SUBMIT_VERB = 'form/submit';
/** Keeps what was filled in without submitting: Teams has no "form closed" event to save a draft on. */
export const FORM_DRAFT_VERB = 'form/draft';

const FIELD_PREFIX = 'field:';
const PEOPLE_DATASET = 'graph.microsoft.com/users';

export interface FormCardOptions {
  /** True when the card is its own message (sent for a command), false when drawn over another card. */
  own: boolean;
  /** Printed names for preset people (`teams:<aad id>` -> name), so the people picker can show them. */
  names?: Record<string, string>;
  /** The form's handler keeps drafts (Slack saves one when the modal is closed): offer "Save draft". */
  drafts?: boolean;
}

export interface FormSubmission {
  form: string;
  state: string;
  own: boolean;
  values: FormValues;
}

export function renderForm(form: Form, options: FormCardOptions): AdaptiveCard {
  const mentions = new Mentions();
  const body: Json[] = [
    { type: 'TextBlock', text: teamsLiteral(toPlain(form.title)), style: 'heading', weight: 'Bolder', wrap: true },
  ];
  if (form.intro) body.push({ type: 'TextBlock', text: toTeamsMarkdown(form.intro, mentions), wrap: true });
  for (const field of form.fields) {
    body.push(renderInput(field, options.names ?? {}, options.drafts === true));
    if (field.hint)
      body.push({
        type: 'TextBlock',
        text: teamsLiteral(toPlain(field.hint)),
        size: 'Small',
        isSubtle: true,
        wrap: true,
      });
  }
  const data = { form: form.id, state: form.state, own: options.own };
  const submit = {
    type: 'Action.Execute',
    title: truncate(toPlain(form.submitLabel), LIMITS.buttonTitle),
    verb: FORM_SUBMIT_VERB,
    style: 'positive',
    associatedInputs: 'auto',
    data,
  };
  const draft = { type: 'Action.Execute', title: 'Save draft', verb: FORM_DRAFT_VERB, associatedInputs: 'auto', data };
  body.push({ type: 'ActionSet', actions: options.drafts ? [submit, draft] : [submit] });
  const entities = mentions.list();
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    fallbackText: toPlain(form.title),
    msteams: entities.length ? { width: 'Full', entities } : { width: 'Full' },
  };
}

function renderInput(field: FormField, names: Record<string, string>, drafts: boolean): Json {
  const common: Json = {
    id: `${FIELD_PREFIX}${field.kind}:${field.id}`,
    label: truncate(toPlain(field.label), LIMITS.inputLabel),
    // Teams checks required inputs before any action, "Save draft" too; a form that keeps drafts
    // therefore requires nothing here, and its handler names what is missing on submit.
    isRequired: !field.optional && !drafts,
    errorMessage: `${toPlain(field.label)} is required.`,
    ...(field.placeholder ? { placeholder: toPlain(field.placeholder) } : {}),
  };
  const initial = field.initial?.trim() ? field.initial : undefined;
  const choices = (field.options ?? []).map((o) => ({
    title: truncate(toPlain(o.label), LIMITS.choiceTitle),
    value: o.value,
  }));
  switch (field.kind) {
    case 'secret':
      return { ...common, type: 'Input.Text', style: 'Password', isMultiline: false };
    case 'text':
    case 'textarea':
      return {
        ...common,
        type: 'Input.Text',
        isMultiline: field.kind === 'textarea',
        ...(initial ? { value: initial } : {}),
      };
    case 'date':
      return { ...common, type: 'Input.Date', ...(initial ? { value: initial } : {}) };
    case 'select':
    case 'radio':
    case 'multiselect':
      return {
        ...common,
        type: 'Input.ChoiceSet',
        style: field.kind === 'radio' ? 'expanded' : 'compact',
        isMultiSelect: field.kind === 'multiselect',
        choices,
        ...(initial ? { value: initial } : {}),
      };
    case 'user': {
      // Teams' people picker: a ChoiceSet fed by Microsoft Graph; its value is the person's Entra object id.
      const preset = initial?.startsWith('teams:') ? initial.slice('teams:'.length) : undefined;
      const presetName = preset && initial ? (names[initial] ?? preset) : undefined;
      return {
        ...common,
        type: 'Input.ChoiceSet',
        style: 'filtered',
        isMultiSelect: false,
        choices: preset && presetName ? [{ title: presetName, value: preset }] : [],
        'choices.data': { type: 'Data.Query', dataset: PEOPLE_DATASET },
        ...(preset ? { value: preset } : {}),
      };
    }
  }
}

/** The submission in an Action.Execute's data: form id, state and values (people as `teams:<aad id>`). */
export function readFormValues(data: Record<string, unknown>): FormSubmission {
  const values: FormValues = {};
  for (const [key, raw] of Object.entries(data)) {
    if (!key.startsWith(FIELD_PREFIX)) continue;
    const rest = key.slice(FIELD_PREFIX.length);
    const colon = rest.indexOf(':');
    if (colon < 0) continue;
    const kind = rest.slice(0, colon) as FormFieldKind;
    values[rest.slice(colon + 1)] = readInput(kind, typeof raw === 'string' ? raw : raw == null ? '' : String(raw));
  }
  return {
    form: typeof data.form === 'string' ? data.form : '',
    state: typeof data.state === 'string' ? data.state : '',
    own: data.own === true,
    values,
  };
}

/** The people picked in a submitted form (`teams:<aad id>`): Teams sends their ids, never their names. */
export function pickedPeople(data: Record<string, unknown>): string[] {
  return Object.entries(data)
    .filter(([key, raw]) => key.startsWith(`${FIELD_PREFIX}user:`) && typeof raw === 'string' && raw.trim())
    .map(([, raw]) => `teams:${String(raw).trim()}`);
}

function readInput(kind: FormFieldKind, raw: string): string | string[] | undefined {
  switch (kind) {
    case 'multiselect':
      // A multi-select ChoiceSet submits its choices as one comma-separated string.
      return raw
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
    case 'user':
      return raw.trim() ? `teams:${raw.trim()}` : undefined;
    default:
      return raw.trim() ? raw : undefined;
  }
}
