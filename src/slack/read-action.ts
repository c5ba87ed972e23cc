import type { BlockElementAction } from '@slack/bolt';
import { decodeActionId, decodeOverflowValue } from './action-ids.ts';

// What one Slack element interaction (a button, an overflow choice, a select) asks for, in the
// neutral terms the command registry routes on.

/** The neutral action name and value of one Slack element interaction. */
export function readAction(action: BlockElementAction): { name: string; value: string } {
  const name = decodeActionId(action.action_id);
  switch (action.type) {
    case 'overflow': {
      // The overflow's own action_id is ours; the chosen option names the neutral action.
      const chosen = decodeOverflowValue(action.selected_option.value);
      return { name: chosen.action, value: chosen.value };
    }
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return { name, value: action.selected_option?.value ?? '' };
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return { name, value: (action.selected_options ?? []).map((o) => o.value).join(',') };
    case 'users_select':
      return { name, value: action.selected_user ? `slack:${action.selected_user}` : '' };
    case 'conversations_select':
      return { name, value: action.selected_conversation ? `slack:${action.selected_conversation}` : '' };
    case 'channels_select':
      return { name, value: action.selected_channel ? `slack:${action.selected_channel}` : '' };
    case 'datepicker':
      return { name, value: action.selected_date ?? '' };
    case 'button':
      return { name, value: action.value ?? '' };
    default:
      return { name, value: 'value' in action && typeof action.value === 'string' ? action.value : '' };
  }
}

export function actionTs(action: BlockElementAction): string {
  return 'action_ts' in action && typeof action.action_ts === 'string' ? action.action_ts : '';
}
