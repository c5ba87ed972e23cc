import type { App, BlockElementAction } from '@slack/bolt';
import { dispatchAction } from '../chat/dispatch.ts';
import { decodeActionId, decodeOverflowValue } from './action-ids.ts';
import { chatContext, firstDelivery, type Origin, type SlackEnv, slackChannelId } from './context.ts';
import { deliverOutcome } from './deliver.ts';
import { readModalMeta } from './forms.ts';
import { receiptKeys } from './receipts.ts';

/** Every block action (buttons, overflow menus, selects), routed by its neutral action name. */
export function onAction(app: App, env: SlackEnv): void {
  app.action({ type: 'block_actions' }, async ({ ack, body, action, respond, client }) => {
    await ack();
    if (!(await firstDelivery(env, receiptKeys.action(body.user.id, actionTs(action), action.action_id)))) return;
    const inModal = body.view?.type === 'modal';
    const fromView = body.view ? slackChannelId(readModalMeta(body.view).channel) : null;
    const origin: Origin = {
      client,
      userId: body.user.id,
      channelId: body.channel?.id ?? (body.container?.channel_id as string | undefined) ?? fromView,
      // Home tab and modal clicks carry no response_url.
      ...(body.response_url ? { respond } : {}),
      triggerId: body.trigger_id,
      inModal,
    };
    const { name, value } = readAction(action);
    const ctx = await chatContext(env, origin);
    const outcome = await dispatchAction(env.registry, ctx, name, value);
    await deliverOutcome(env, origin, outcome);
  });
}

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

function actionTs(action: BlockElementAction): string {
  return 'action_ts' in action && typeof action.action_ts === 'string' ? action.action_ts : '';
}
