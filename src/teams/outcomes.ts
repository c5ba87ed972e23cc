import type { TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Outcome } from '../chat/command.ts';
import { type Form, mention, type Reply } from '../chat/reply.ts';
import type { Actor } from '../core/common/actor.ts';
import { displayName } from '../core/roles/people.ts';
import type { Db } from '../store/database.ts';
import { renderForm } from './forms.ts';
import { actorOf } from './identity.ts';
import { type AdaptiveCard, cardMessage, renderCard, renderMessage } from './render.ts';

// What a handler's Outcome becomes on Teams.
//
// Ephemeral replies: Teams (v1) has no message only one person sees. In a 1:1 chat every reply is
// private anyway. In a channel or group chat we answer in the same thread, addressed to the sender
// with an @mention, rather than in a separate 1:1 chat: the person asked in front of that audience,
// nothing here is secret from it (everyone may read vendor posture), the answer stays next to the
// question, and opening a 1:1 chat would need the app installed for that person and another
// rate-limited call. Clicks are different: Teams answers an Action.Execute with a short message only
// the clicker sees, which is exactly an ephemeral reply when it is text. A card meant for the clicker
// alone (a list with its own buttons) cannot be shown that way, so it is answered like a typed command.

const DONE_TEXT = '✓ Done';

/** What drawing an outcome needs besides the turn: the store (for names), a log, and which forms keep drafts. */
export interface OutcomeEnv {
  db: Db;
  log: Logger;
  /** The form's handler keeps a draft when the form is put away (Slack: the modal closed). */
  drafts(form: string): boolean;
}

/** Answers a typed command in its conversation (in a channel: in the thread it was typed in). */
export async function replyToMessage(
  context: TurnContext,
  env: OutcomeEnv,
  actor: Actor,
  outcome: Outcome,
): Promise<void> {
  if ('done' in outcome) return;
  if ('form' in outcome) {
    await context.sendActivity(cardMessage(await formCard(env, outcome.form, true)));
    return;
  }
  const reply: Reply =
    'reply' in outcome
      ? outcome.reply
      : { visibility: 'ephemeral', text: Object.values(outcome.fieldErrors).join('\n') || 'Please check your input.' };
  await sendToAsker(context, actor, reply);
}

/** A reply in the conversation: as it is in a 1:1 chat, addressed to the person in a shared one. */
async function sendToAsker(context: TurnContext, actor: Actor, reply: Reply): Promise<void> {
  const personal = context.activity.conversation?.conversationType === 'personal';
  await context.sendActivity(renderMessage(personal ? reply : addressed(reply, actor)));
}

/** An ephemeral reply in a shared conversation, addressed to the person who asked. */
function addressed(reply: Reply, actor: Actor): Reply {
  if (reply.visibility !== 'ephemeral') return reply;
  const to = mention(actor.id, actor.name);
  if (!reply.blocks?.length) return { ...reply, text: `${to} ${reply.text}` };
  return { ...reply, blocks: [{ type: 'context', text: `For ${to}` }, ...reply.blocks] };
}

/**
 * The invoke response to a button click: a card replaces the clicked card (for everyone when the
 * handler asked to replace it), a string is a short message only the clicker sees.
 */
export async function answerButton(
  context: TurnContext,
  env: OutcomeEnv,
  outcome: Outcome,
): Promise<AdaptiveCard | string> {
  if ('done' in outcome) return DONE_TEXT;
  if ('form' in outcome) return formCard(env, outcome.form, false);
  if ('fieldErrors' in outcome) return Object.values(outcome.fieldErrors).join('\n');
  const card = renderCard(outcome.reply);
  if (outcome.replace) {
    await replaceForEveryone(context, env.log, card);
    return card;
  }
  if (outcome.reply.visibility === 'ephemeral') {
    if (!outcome.reply.blocks?.length) return outcome.reply.text;
    await sendToAsker(context, actorOf(context.activity), outcome.reply);
    return DONE_TEXT;
  }
  await context.sendActivity(cardMessage(card));
  return DONE_TEXT;
}

/**
 * The invoke response to a submitted form. A form that is its own message (sent for a command) is
 * replaced by the result for everyone; a form drawn over another card in place is replaced only for
 * the person who filled it in, and the card underneath changes for everyone only on `replace`.
 */
export async function answerForm(
  context: TurnContext,
  env: OutcomeEnv,
  outcome: Outcome,
  own: boolean,
): Promise<AdaptiveCard | string> {
  if ('fieldErrors' in outcome) return `Please check: ${Object.values(outcome.fieldErrors).join(' · ')}`;
  if ('form' in outcome) return formCard(env, outcome.form, own);
  const reply: Reply = 'reply' in outcome ? outcome.reply : { visibility: 'ephemeral', text: DONE_TEXT };
  const card = renderCard(reply);
  const replace = 'reply' in outcome && outcome.replace === true;
  if (own || replace) await replaceForEveryone(context, env.log, card);
  else if (reply.visibility === 'in_channel') await context.sendActivity(cardMessage(card));
  return card;
}

async function replaceForEveryone(context: TurnContext, log: Logger, card: AdaptiveCard): Promise<void> {
  const id = context.activity.replyToId;
  if (!id) return;
  try {
    await context.updateActivity({ ...cardMessage(card), id });
  } catch (error) {
    // The clicker still gets the new card in the invoke response; the others see it on their next
    // refresh or the next update. Worth a warning, not a failed click.
    log.warn({ err: error, activityId: id }, 'could not update the card for everyone');
  }
}

/** The form as a card, with printed names for people it presets (the people picker shows them). */
export async function formCard(env: OutcomeEnv, form: Form, own: boolean): Promise<AdaptiveCard> {
  const names: Record<string, string> = {};
  for (const field of form.fields) {
    if (field.kind !== 'user' || !field.initial?.startsWith('teams:')) continue;
    names[field.initial] = (await displayName(env.db, field.initial)) ?? field.initial;
  }
  return renderForm(form, { own, names, drafts: env.drafts(form.id) });
}
