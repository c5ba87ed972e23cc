import { z } from 'zod';

// The shapes of what Slack sends to POST /slack/events, as far as Bolt and our listeners read them:
// slash commands, block actions (buttons, overflow menus, selects), view submissions and closes, and
// Events API deliveries. Fields nobody reads are let through untouched. A body that does not match
// is refused before Bolt routes it (see payload-guard.ts), so a listener never meets a null where
// it reads a string.

const id = z.string().min(1).max(255);
const text = z.string().max(200_000);
/** `{ id }` objects Bolt reads the id of (team, enterprise, channel); Slack sends null for some. */
const withId = z.object({ id }).passthrough();
/**
 * A workspace or organisation id (T…, E…). Bolt keys a plain object of API clients by it, so a name
 * such as `constructor` or `__proto__` would reach an inherited property and crash the request.
 */
const workspaceId = z.string().regex(/^[A-Z0-9]{1,64}$/);
const workspace = z.object({ id: workspaceId }).passthrough();

const option = z.object({ value: text }).passthrough();

/** One element interaction in `actions`: every field our readAction may read, typed. */
const elementAction = z
  .object({
    type: z.string().max(64),
    action_id: z.string().max(255),
    block_id: z.string().max(255).optional(),
    action_ts: z.string().max(64).optional(),
    value: text.optional(),
    selected_option: option.nullable().optional(),
    selected_options: z.array(option).max(100).optional(),
    selected_user: id.nullable().optional(),
    selected_conversation: id.nullable().optional(),
    selected_channel: id.nullable().optional(),
    selected_date: z.string().max(64).nullable().optional(),
  })
  .passthrough()
  .refine((a) => a.type !== 'overflow' || a.selected_option, { message: 'an overflow choice names its option' });

const common = {
  user: z.object({ id, team_id: workspaceId.optional() }).passthrough(),
  team: workspace.nullable().optional(),
  enterprise: workspace.nullable().optional(),
  is_enterprise_install: z.boolean().optional(),
  api_app_id: z.string().max(64).optional(),
  trigger_id: z.string().max(255).optional(),
};

/** One input's state in a submitted view, as forms.ts reads it. */
const inputState = z
  .object({
    type: z.string().max(64),
    value: text.nullable().optional(),
    selected_user: id.nullable().optional(),
    selected_users: z.array(id).max(100).nullable().optional(),
    selected_date: z.string().max(64).nullable().optional(),
    selected_option: option.nullable().optional(),
    selected_options: z.array(option).max(100).nullable().optional(),
  })
  .passthrough();

const viewState = z.object({ values: z.record(z.string().max(255), z.record(z.string().max(255), inputState)) });

const view = z
  .object({
    id,
    type: z.string().max(32).optional(),
    hash: z.string().max(255).optional(),
    callback_id: z.string().max(255),
    private_metadata: z.string().max(3000).optional(),
    state: viewState.optional(),
    app_installed_team_id: workspaceId.nullable().optional(),
  })
  .passthrough();

export const blockActionsSchema = z
  .object({
    ...common,
    type: z.literal('block_actions'),
    trigger_id: id,
    actions: z.array(elementAction).min(1).max(25),
    channel: withId.optional(),
    container: z.object({ channel_id: id.optional(), view_id: id.optional() }).passthrough().optional(),
    view: view.partial({ callback_id: true }).optional(),
    response_url: z.string().url().max(2000).optional(),
    message: z
      .object({ ts: z.string().max(64).optional() })
      .passthrough()
      .optional(),
  })
  .passthrough();

export const viewSubmissionSchema = z
  .object({
    ...common,
    type: z.literal('view_submission'),
    view: view.required({ state: true }),
    // Bolt builds respond() from the first of these before any listener runs.
    response_urls: z
      .array(z.object({ response_url: z.string().url().max(2000) }).passthrough())
      .max(10)
      .optional(),
  })
  .passthrough();

export const viewClosedSchema = z.object({ ...common, type: z.literal('view_closed'), view }).passthrough();

/** A slash command: a form post whose fields are strings (a repeated field would be a list). */
export const slashCommandSchema = (name: string) =>
  z
    .object({
      command: z.literal(name),
      text: z.string().max(40_000).optional(),
      user_id: id,
      channel_id: z.string().max(255).optional(),
      team_id: workspaceId.optional(),
      enterprise_id: workspaceId.optional(),
      trigger_id: id,
      response_url: z.string().url().max(2000),
    })
    .passthrough();

/** The event inside an Events API delivery: Bolt looks for its channel, our Home listener for user and tab. */
const eventSchema = z
  .object({
    type: z.string().min(1).max(128),
    user: z.union([id, z.object({ id }).passthrough()]).optional(),
    channel: z.union([z.string().max(255), withId]).optional(),
    channel_id: z.string().max(255).optional(),
    item: z
      .object({ channel: z.string().max(255).optional() })
      .passthrough()
      .optional(),
    tab: z.string().max(64).optional(),
  })
  .passthrough()
  .refine((e) => e.type !== 'app_home_opened' || (typeof e.user === 'string' && typeof e.tab === 'string'), {
    message: 'app_home_opened names the user and the tab',
  });

export const eventCallbackSchema = z
  .object({
    type: z.literal('event_callback'),
    event_id: id,
    team_id: workspaceId.optional(),
    enterprise_id: workspaceId.nullable().optional(),
    event: eventSchema,
    authorizations: z
      .array(
        z
          .object({ team_id: workspaceId.nullable().optional(), enterprise_id: workspaceId.nullable().optional() })
          .passthrough(),
      )
      .max(10)
      .optional(),
  })
  .passthrough();

export const urlVerificationSchema = z
  .object({ type: z.literal('url_verification'), challenge: z.string().max(255) })
  .passthrough();

/** Interaction types Slack may send that this app never asked for (no shortcut, no external select). */
export const UNSERVED_INTERACTIONS = [
  'shortcut',
  'message_action',
  'block_suggestion',
  'interactive_message',
  'dialog_submission',
  'dialog_cancellation',
  'workflow_step_edit',
] as const;
