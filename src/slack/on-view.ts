import { createHash } from 'node:crypto';
import type { App, ViewOutput } from '@slack/bolt';
import { dispatchForm, dispatchFormClosed } from '../chat/dispatch.ts';
import { ephemeral } from '../chat/reply.ts';
import { releaseReceipt } from '../core/messaging/inbound-receipts.ts';
import { chatContext, firstDelivery, type Origin, type SlackEnv, slackChannelId } from './context.ts';
import { postReply } from './deliver.ts';
import { fieldErrorsResponse, readFormValues, readModalMeta, renderModal } from './forms.ts';
import { receiptKeys } from './receipts.ts';
import { describeSlackError } from './slack-errors.ts';

const EXPIRED = 'This form expired while it was open. Close it and run the command again.';

/**
 * Modal submissions are the one place the answer rides on the acknowledgement (field errors, the
 * next page or form), so the handler runs before `ack()`; a reply is posted after it.
 */
export function onViewSubmission(app: App, env: SlackEnv): void {
  app.view({ type: 'view_submission' }, async ({ ack, body, view, client }) => {
    const receipt = receiptKeys.submission(view.id, `${view.hash}:${digest(view.state?.values ?? {})}`);
    if (!(await firstDelivery(env, receipt))) return ack();
    const meta = readModalMeta(view);
    const pending = env.forms.get(meta.key);
    if (meta.pages > 1 && (!pending || !meta.key)) {
      await releaseReceipt(env.deps.db, receipt);
      return ack(fieldErrorsResponse({ _: EXPIRED }, view));
    }
    let values = readFormValues(view);
    if (pending && meta.key) {
      values = env.forms.add(meta.key, values);
      if (meta.page < meta.pages - 1) {
        const next = renderModal(pending.form, { channel: meta.channel, page: meta.page + 1, key: meta.key });
        return ack({ response_action: 'update', view: next });
      }
    }
    const origin: Origin = { client, userId: body.user.id, channelId: slackChannelId(meta.channel) };
    const ctx = await chatContext(env, origin);
    const outcome = await dispatchForm(env.registry, ctx, view.callback_id, values, meta.state);
    if ('fieldErrors' in outcome) {
      // The person will correct and send the same view again: that must not count as a duplicate.
      await releaseReceipt(env.deps.db, receipt);
      const response = fieldErrorsResponse(outcome.fieldErrors, view, pending?.form);
      if (Object.keys(response.errors).length > 0) return ack(response);
      // A modal without inputs has nowhere to show errors: close it and tell the person directly.
      await ack();
      return postReply(env, origin, ephemeral(Object.values(outcome.fieldErrors).join('\n')));
    }
    env.forms.finish(meta.key);
    if ('form' in outcome) {
      const key = env.forms.start(outcome.form, meta.channel);
      return ack({ response_action: 'update', view: renderModal(outcome.form, { channel: meta.channel, key }) });
    }
    try {
      await ack();
    } catch (error) {
      // Past Slack's 3 seconds Bolt has answered already (the person saw an error in the modal), but
      // the change committed: the reply below is how they learn what actually happened.
      env.log.warn({ err: describeSlackError(error), form: view.callback_id }, 'a form was acknowledged too late');
    }
    if ('reply' in outcome) await postReply(env, origin, outcome.reply);
  });
}

/** Closing a modal without submitting: the form's handler may keep a draft. */
export function onViewClosed(app: App, env: SlackEnv): void {
  app.view({ type: 'view_closed' }, async ({ ack, body, view, client }) => {
    await ack();
    if (!(await firstDelivery(env, receiptKeys.closed(view.id)))) return;
    const meta = readModalMeta(view);
    const earlier = env.forms.get(meta.key)?.values ?? {};
    env.forms.finish(meta.key);
    const origin: Origin = { client, userId: body.user.id, channelId: slackChannelId(meta.channel) };
    const ctx = await chatContext(env, origin);
    await dispatchFormClosed(env.registry, ctx, view.callback_id, { ...earlier, ...readFormValues(view) }, meta.state);
  });
}

function digest(values: ViewOutput['state']['values']): string {
  return createHash('sha256').update(JSON.stringify(values)).digest('hex').slice(0, 16);
}
