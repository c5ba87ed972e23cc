import { APP_ID, TEAM, triggerId } from './slack-requests.ts';

// The JSON payloads of interactions as Slack sends them (docs.slack.dev interaction-payloads): a
// block_actions click on a message or in a view, a modal's view_submission and view_closed. Send one
// with `interaction()` from slack-requests.ts, which signs it.

export interface ButtonClick {
  userId: string;
  userName?: string;
  /** The conversation of the clicked message; absent for a click in a modal or on the Home tab. */
  channelId?: string;
  actionId: string;
  value?: string;
  /** Slack gives one for clicks on messages, none for clicks in views. */
  responseUrl?: string;
  messageTs?: string;
  actionTs?: string;
  triggerId?: string;
  /** An overflow menu choice instead of a button press. */
  overflowValue?: string;
  /** The element interaction exactly as Slack reports it (selects, a button with its label); wins over the above. */
  action?: Record<string, unknown>;
  blockId?: string;
  /** The clicked message as the channel holds it; Slack leaves it out for ephemeral messages. */
  message?: { ts: string; text: string; blocks?: unknown[] };
  isEphemeral?: boolean;
  /** The modal or Home view the click came from (as views.* answered it): the container is then the view. */
  view?: Record<string, unknown>;
}

function elementAction(click: ButtonClick, actionTs: string): Record<string, unknown> {
  const blockId = click.blockId ?? 'b1';
  if (click.action) return { block_id: blockId, ...click.action, action_id: click.actionId, action_ts: actionTs };
  if (click.overflowValue !== undefined) {
    return {
      type: 'overflow',
      action_id: click.actionId,
      block_id: blockId,
      selected_option: { text: { type: 'plain_text', text: 'More' }, value: click.overflowValue },
      action_ts: actionTs,
    };
  }
  return {
    type: 'button',
    action_id: click.actionId,
    block_id: blockId,
    text: { type: 'plain_text', text: 'Button', emoji: true },
    value: click.value ?? '',
    action_ts: actionTs,
  };
}

export function blockActions(click: ButtonClick): object {
  const actionTs = click.actionTs ?? `${Math.floor(Date.now() / 1000)}.${Math.floor(Math.random() * 1e6)}`;
  const messageTs = click.messageTs ?? click.message?.ts ?? '1767000000.000100';
  const userName = click.userName ?? 'dana';
  const common = {
    type: 'block_actions',
    user: { id: click.userId, username: userName, name: userName, team_id: TEAM.id },
    api_app_id: APP_ID,
    token: 'legacy-verification-token',
    trigger_id: click.triggerId ?? triggerId(),
    team: TEAM,
    enterprise: null,
    is_enterprise_install: false,
    actions: [elementAction(click, actionTs)],
  };
  if (click.view) {
    const view = click.view;
    return { ...common, container: { type: 'view', view_id: view.id }, view, state: view.state ?? { values: {} } };
  }
  const channelId = click.channelId ?? '';
  return {
    ...common,
    container: {
      type: 'message',
      message_ts: messageTs,
      channel_id: channelId,
      is_ephemeral: click.isEphemeral ?? false,
    },
    channel: { id: channelId, name: 'risk' },
    ...(click.isEphemeral
      ? {}
      : { message: { type: 'message', user: 'UBOT', text: 'card', ...click.message, ts: messageTs } }),
    state: { values: {} },
    ...(click.responseUrl ? { response_url: click.responseUrl } : {}),
  };
}

export type StateValues = Record<string, Record<string, Record<string, unknown>>>;

export interface SubmittedView {
  id?: string;
  hash?: string;
  callbackId: string;
  privateMetadata: string;
  values: StateValues;
  /** The view as views.open answered it (blocks, title, buttons); its fields fill in the payload. */
  opened?: Record<string, unknown>;
}

function viewOutput(v: SubmittedView): object {
  return {
    ...viewDefaults(v),
    ...v.opened,
    id: v.id ?? 'V0TEST',
    private_metadata: v.privateMetadata,
    callback_id: v.callbackId,
    state: { values: v.values },
    hash: v.hash ?? '1767000000.abcdef',
  };
}

function viewDefaults(v: SubmittedView): object {
  return {
    team_id: TEAM.id,
    type: 'modal',
    blocks: [],
    private_metadata: v.privateMetadata,
    callback_id: v.callbackId,
    state: { values: v.values },
    hash: v.hash ?? '1767000000.abcdef',
    title: { type: 'plain_text', text: 'Form', emoji: true },
    clear_on_close: false,
    notify_on_close: true,
    close: { type: 'plain_text', text: 'Cancel', emoji: true },
    submit: { type: 'plain_text', text: 'Submit', emoji: true },
    previous_view_id: null,
    root_view_id: v.id ?? 'V0TEST',
    app_id: APP_ID,
    external_id: '',
    app_installed_team_id: TEAM.id,
    bot_id: 'B0TEST',
  };
}

export function viewSubmission(userId: string, view: SubmittedView, userName = 'dana'): object {
  return {
    type: 'view_submission',
    team: TEAM,
    user: { id: userId, username: userName, name: userName, team_id: TEAM.id },
    api_app_id: APP_ID,
    token: 'legacy-verification-token',
    trigger_id: triggerId(),
    view: viewOutput(view),
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export function viewClosed(userId: string, view: SubmittedView, userName = 'dana'): object {
  return {
    type: 'view_closed',
    team: TEAM,
    user: { id: userId, username: userName, name: userName, team_id: TEAM.id },
    api_app_id: APP_ID,
    token: 'legacy-verification-token',
    view: viewOutput(view),
    is_cleared: false,
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** An Events API delivery (JSON body) of app_home_opened. */
