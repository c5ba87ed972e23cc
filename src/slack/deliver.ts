import type { Outcome } from '../chat/command.ts';
import { ephemeral, type Form, type Reply } from '../chat/reply.ts';
import type { Origin, SlackEnv } from './context.ts';
import { renderModal } from './forms.ts';
import { renderMessage } from './render.ts';
import { describeSlackError } from './slack-errors.ts';

// What a handler's Outcome becomes in Slack. Every Web API failure is logged with what we were
// doing (never a token) and the person hears a short apology through whatever way is still open.

const TRIGGER_ERRORS = new Set(['invalid_trigger_id', 'expired_trigger_id', 'trigger_exchanged']);
const FORM_APOLOGY = 'Sorry, Slack would not open that form just now. Please try again.';

export async function deliverOutcome(env: SlackEnv, origin: Origin, outcome: Outcome): Promise<void> {
  if ('reply' in outcome) return sendReply(env, origin, outcome.reply, outcome.replace === true);
  if ('form' in outcome) return openForm(env, origin, outcome.form);
  if ('fieldErrors' in outcome) {
    // Field errors outside a modal (a command that validates its words this way): list them.
    const lines = Object.entries(outcome.fieldErrors).map(([field, message]) => `• ${field}: ${message}`);
    return sendReply(env, origin, ephemeral(lines.join('\n')), false);
  }
}

/** Through the response_url when there is one (it can replace the clicked message), else posted. */
export async function sendReply(env: SlackEnv, origin: Origin, reply: Reply, replace: boolean): Promise<void> {
  if (origin.respond) {
    try {
      await origin.respond({ response_type: reply.visibility, replace_original: replace, ...renderMessage(reply) });
      return;
    } catch (error) {
      env.log.warn({ err: describeSlackError(error), user: origin.userId }, 'response_url failed; posting instead');
    }
  }
  await postReply(env, origin, reply);
}

/** Without a response_url: in the originating channel (ephemeral unless meant for all), else a DM. */
export async function postReply(env: SlackEnv, origin: Origin, reply: Reply): Promise<void> {
  const message = renderMessage(reply);
  const { client, userId, channelId } = origin;
  if (channelId) {
    try {
      if (reply.visibility === 'in_channel') await client.chat.postMessage({ channel: channelId, ...message });
      else await client.chat.postEphemeral({ channel: channelId, user: userId, ...message });
      return;
    } catch (error) {
      // Typically the bot is not in that channel (`not_in_channel`, `user_not_in_channel`).
      env.log.warn({ err: describeSlackError(error), user: userId, channel: channelId }, 'reply in channel failed');
    }
  }
  try {
    await client.chat.postMessage({ channel: userId, ...message });
  } catch (error) {
    const err = describeSlackError(error);
    // A person Slack does not know (any more) cannot be reached; anything else is ours to look into.
    if (UNREACHABLE_PERSON.has(String(err.slackError))) env.log.warn({ err, user: userId }, 'person unreachable');
    else env.log.error({ err, user: userId }, 'could not reach the person with a reply');
  }
}

const UNREACHABLE_PERSON = new Set(['channel_not_found', 'user_not_found', 'user_disabled', 'cannot_dm_bot']);

async function openForm(env: SlackEnv, origin: Origin, form: Form): Promise<void> {
  const channel = origin.channelId ? `slack:${origin.channelId}` : null;
  const key = env.forms.start(form, channel);
  try {
    if (!origin.triggerId) throw new Error('no trigger_id to open a form with');
    const view = renderModal(form, { channel, key });
    const args = { trigger_id: origin.triggerId, view };
    await (origin.inModal ? origin.client.views.push(args) : origin.client.views.open(args));
  } catch (error) {
    env.forms.finish(key);
    const err = describeSlackError(error);
    // A trigger_id lives three seconds: one Slack calls expired or unknown is the request's age, not our fault.
    const level = TRIGGER_ERRORS.has(String(err.slackError)) ? 'warn' : 'error';
    env.log[level]({ err, user: origin.userId, form: form.id }, 'could not open a form');
    await sendReply(env, origin, ephemeral(FORM_APOLOGY), false);
  }
}
