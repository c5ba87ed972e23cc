import { ActivityTypes, TeamsInfo, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { ChatContext, Outcome, Registry } from '../chat/command.ts';
import { dispatchAction, dispatchCommand, dispatchForm, dispatchFormClosed } from '../chat/dispatch.ts';
import type { CoreDeps } from '../core/common/deps.ts';
import { claimReceipt } from '../core/messaging/inbound-receipts.ts';
import { rememberPerson } from '../core/roles/people.ts';
import { wakeWaitingFor } from '../delivery/waiting.ts';
import { issuesText } from './activity-guard.ts';
import { actionExecuteSchema } from './activity-schemas.ts';
import { outcomeWithChannelNames } from './channel-names.ts';
import { captureReferences, conversationTarget, rememberMentionedChannels } from './conversation-refs.ts';
import { FORM_DRAFT_VERB, FORM_SUBMIT_VERB, pickedPeople, readFormValues } from './forms.ts';
import { actorOf, rememberActor, rememberPicked } from './identity.ts';
import { answerButton, answerForm, type OutcomeEnv, replyToMessage } from './outcomes.ts';
import { receiptKey } from './receipts.ts';
import { neutralizeTeamsMentions, type ResolveAccount } from './refs.ts';
import type { AdaptiveCard } from './render.ts';

// The three kinds of turn the bot serves: a typed command, a click on a card (or a form submitted
// from one), and the bookkeeping every turn does first (dedupe, conversation references, names).

export interface TurnDeps {
  deps: CoreDeps;
  log: Logger;
  registry: Registry;
}

const INVOKE_ACK = { statusCode: 200, type: 'application/vnd.microsoft.activity.message' };
const DRAFT_SAVED = 'Draft saved: your answers are filled in when you open the form again.';

/** Runs before every routed turn; false stops the turn (a resend of an activity already applied). */
export async function beforeTurn(t: TurnDeps, context: TurnContext): Promise<boolean> {
  const { db, clock } = t.deps;
  const activity = context.activity;
  // An Action.Execute we cannot read is refused before anything is claimed or stored.
  if (!(await wellFormed(t, context))) return false;
  const key = receiptKey(activity);
  if (key && !(await claimReceipt(db, clock, key))) {
    t.log.info({ activityId: activity.id, type: activity.type }, 'Teams resent an activity already applied; ignored');
    if (activity.type === ActivityTypes.Invoke) {
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: { status: 200, body: { ...INVOKE_ACK, value: 'Already received.' } },
      });
    }
    return false;
  }
  const reachable = await captureReferences(db, clock, activity);
  // Messages queued before the bot was installed here go out now (src/delivery/waiting.ts).
  const woken = await wakeWaitingFor(db, clock, reachable);
  if (woken > 0) t.log.info({ targets: reachable, messages: woken }, 'bot installed where messages were waiting');
  if (activity.type === ActivityTypes.Message || activity.type === ActivityTypes.Invoke) {
    await rememberActor(db, clock, actorOf(activity));
  }
  return true;
}

const MALFORMED = 'Sorry, I could not read that, so nothing was changed. Try the command again.';

async function wellFormed(t: TurnDeps, context: TurnContext): Promise<boolean> {
  const activity = context.activity;
  if (activity.type !== ActivityTypes.Invoke || activity.name !== 'adaptiveCard/action') return true;
  const parsed = actionExecuteSchema.safeParse(activity);
  if (parsed.success) return true;
  t.log.warn(
    { type: activity.type, name: activity.name, reason: issuesText(parsed.error) },
    'Teams activity refused: malformed',
  );
  // Universal Actions answer a bad request with an error response the client shows.
  await context.sendActivity({
    type: ActivityTypes.InvokeResponse,
    value: {
      status: 200,
      body: {
        statusCode: 400,
        type: 'application/vnd.microsoft.error',
        value: { code: 'BadRequest', message: MALFORMED },
      },
    },
  });
  return false;
}

/** An invoke the bot never offered (a task module, a message extension): a refusal Teams can show. */
export async function onOtherInvoke(t: TurnDeps, context: TurnContext): Promise<void> {
  const name = String(context.activity.name ?? '');
  t.log.info({ name }, 'Teams invoke the bot does not serve; refused');
  const text = 'This app has no dialogs or message extensions. Use the buttons on its cards, or type `help`.';
  const body = name.startsWith('task/')
    ? { task: { type: 'message', value: text } }
    : { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'NotSupported', message: text } };
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
}

function chatContext(t: TurnDeps, context: TurnContext): ChatContext {
  return {
    deps: t.deps,
    log: t.log,
    actor: actorOf(context.activity),
    platform: 'teams',
    channel: conversationTarget(context.activity.conversation.id),
  };
}

/** A command typed in a 1:1 chat, or with an @mention in a channel or group chat. */
export async function onMessage(t: TurnDeps, context: TurnContext): Promise<void> {
  const { text, people, channels } = await neutralizeTeamsMentions(context.activity, resolveAccount(t, context));
  for (const person of people) await rememberPerson(t.deps.db, t.deps.clock, person);
  await rememberMentionedChannels(t.deps.db, t.deps.clock, context.activity, channels);
  const ctx = chatContext(t, context);
  const outcome = await named(t, await dispatchCommand(t.registry, ctx, withoutVendorWord(text)));
  await replyToMessage(context, outcomeEnv(t), ctx.actor, outcome);
}

/** `vendor posture "Acme CRO"` and `posture "Acme CRO"` are the same command (Slack's `/vendor …`). */
export function withoutVendorWord(text: string): string {
  return text.replace(/^\s*\/?vendor(\s+|$)/i, '');
}

/** An Action.Execute: a button (verb = action id, data.value), a form's submit, or its "Save draft". */
export async function onAction(
  t: TurnDeps,
  context: TurnContext,
  data: Record<string, unknown>,
): Promise<AdaptiveCard | string> {
  const verb = String((context.activity.value as { action?: { verb?: unknown } }).action?.verb ?? '');
  const ctx = chatContext(t, context);
  if (verb === FORM_DRAFT_VERB) {
    const draft = readFormValues(data);
    await rememberPicked(context, t.deps.db, t.deps.clock, t.log, pickedPeople(data));
    const refused = await dispatchFormClosed(t.registry, ctx, draft.form, draft.values, draft.state);
    return refused ? refused.text : DRAFT_SAVED;
  }
  if (verb === FORM_SUBMIT_VERB) {
    const submission = readFormValues(data);
    await rememberPicked(context, t.deps.db, t.deps.clock, t.log, pickedPeople(data));
    const outcome = await named(
      t,
      await dispatchForm(t.registry, ctx, submission.form, submission.values, submission.state),
    );
    return answerForm(context, outcomeEnv(t), outcome, submission.own);
  }
  const value = typeof data.value === 'string' ? data.value : '';
  return answerButton(context, outcomeEnv(t), await named(t, await dispatchAction(t.registry, ctx, verb, value)));
}

const named = (t: TurnDeps, outcome: Outcome) => outcomeWithChannelNames(t.deps.db, outcome);

const outcomeEnv = (t: TurnDeps): OutcomeEnv => ({
  db: t.deps.db,
  log: t.log,
  drafts: (form) => typeof t.registry.forms.find((f) => f.form === form)?.close === 'function',
});

/** Mention entities from Teams name the `29:` account; role grants need the Entra object id. */
function resolveAccount(t: TurnDeps, context: TurnContext): ResolveAccount {
  return async (account) => {
    try {
      return (await TeamsInfo.getMember(context, account.id)).aadObjectId ?? null;
    } catch (error) {
      t.log.warn({ err: error, account: account.id }, 'could not look up a mentioned Teams member');
      return null;
    }
  };
}

/** Our own failure outside a handler (the store, the connector): logged; the person gets an apology. */
export async function onTurnError(t: TurnDeps, context: TurnContext, error: unknown): Promise<void> {
  t.log.error({ err: error, activityId: context.activity.id, type: context.activity.type }, 'Teams turn failed');
  const text = 'Sorry, something went wrong on our side. Please try again.';
  try {
    if (context.activity.type === ActivityTypes.Invoke) {
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: { status: 200, body: { ...INVOKE_ACK, value: text } },
      });
    } else if (context.activity.type === ActivityTypes.Message) {
      await context.sendActivity(text);
    }
  } catch (sendError) {
    t.log.warn({ err: sendError }, 'could not tell the person about the failure');
  }
}
