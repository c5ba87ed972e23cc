import type { types } from '@slack/bolt';
import type { FormField } from '../chat/reply.ts';
import { LIMITS, truncate } from './limits.ts';
import { plain } from './render.ts';

// One neutral FormField as one input block. block_id and action_id are both the field id, so
// values come back keyed by field and field errors map straight onto the block.

type InputElement = types.InputBlockElement;

export function inputBlock(field: FormField, long: Record<string, string[]>): types.InputBlock {
  return {
    type: 'input',
    block_id: field.id,
    label: plain(field.label, LIMITS.inputLabel),
    optional: field.optional === true,
    ...(field.hint ? { hint: plain(field.hint, LIMITS.inputHint) } : {}),
    element: inputElement(field, long),
  };
}

function inputElement(field: FormField, long: Record<string, string[]>): InputElement {
  const action_id = field.id;
  const placeholder = field.placeholder ? { placeholder: plain(field.placeholder, LIMITS.placeholder) } : {};
  const initial = field.initial ?? '';
  switch (field.kind) {
    case 'secret':
      // Slack's plain_text_input cannot mask what is typed; the form's hint says so.
      return { type: 'plain_text_input', action_id, multiline: false, ...placeholder };
    case 'text':
    case 'textarea':
      return {
        type: 'plain_text_input',
        action_id,
        multiline: field.kind === 'textarea',
        ...(initial ? { initial_value: truncate(initial, LIMITS.plainTextInput) } : {}),
        ...placeholder,
      };
    case 'user': {
      const user = /^slack:([UW][A-Z0-9]+)$/.exec(initial)?.[1];
      return { type: 'users_select', action_id, ...(user ? { initial_user: user } : {}), ...placeholder };
    }
    case 'date':
      return {
        type: 'datepicker',
        action_id,
        ...(/^\d{4}-\d{2}-\d{2}$/.test(initial) ? { initial_date: initial } : {}),
        ...placeholder,
      };
    case 'multiselect': {
      const options = selectOptions(field, long);
      const chosen = new Set(initial.split(',').map((v) => v.trim()));
      const initial_options = options.filter((_, i) => chosen.has(field.options?.[i]?.value ?? ''));
      return {
        type: 'multi_static_select',
        action_id,
        options,
        ...(initial_options.length ? { initial_options } : {}),
        ...placeholder,
      };
    }
    case 'select':
    case 'radio': {
      const options = selectOptions(field, long);
      const initial_option = options.find((_, i) => field.options?.[i]?.value === initial);
      const chosen = initial_option ? { initial_option } : {};
      // Radio buttons hold at most 10 options; a longer list is still one choice, as a menu.
      if (field.kind === 'radio' && options.length <= LIMITS.radioOptions) {
        return { type: 'radio_buttons', action_id, options, ...chosen };
      }
      return { type: 'static_select', action_id, options, ...chosen, ...placeholder };
    }
  }
}

/** At most 100 options; values too long for Slack travel as their index and are mapped back on submit. */
function selectOptions(field: FormField, long: Record<string, string[]>): types.PlainTextOption[] {
  const options = (field.options ?? []).slice(0, LIMITS.selectOptions);
  const tooLong = options.some((o) => o.value.length > LIMITS.optionValue);
  if (tooLong) long[field.id] = options.map((o) => o.value);
  return options.map((o, i) => ({ text: plain(o.label, LIMITS.optionText), value: tooLong ? String(i) : o.value }));
}
