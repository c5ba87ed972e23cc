import type { App } from '@slack/bolt';
import { acceptIntoInbox } from '../core/messaging/inbox.ts';
import type { SlackEnv } from './context.ts';
import { runClick } from './inbox.ts';
import { actionTs } from './read-action.ts';
import { receiptKeys } from './receipts.ts';
import { describeSlackError } from './slack-errors.ts';

export { readAction } from './read-action.ts';

/**
 * Every block action (buttons, overflow menus, selects), routed by its neutral action name. The click
 * is stored before Slack is answered, so a process dying after the answer leaves it to be re-run
 * (inbox.ts); a redelivery finds it stored and is only acknowledged.
 */
export function onAction(app: App, env: SlackEnv): void {
  app.action({ type: 'block_actions' }, async ({ ack, body, action, respond, client }) => {
    const key = receiptKeys.action(body.user.id, actionTs(action), action.action_id);
    const { db, clock } = env.deps;
    const fresh = await acceptIntoInbox(db, clock, key, JSON.stringify(body), env.inboxLeaseMs);
    try {
      await ack();
    } catch (error) {
      // Past Slack's 3 seconds Bolt has already answered for us; the click is stored, so it is still
      // carried out now rather than left for the sweep after its lease.
      env.log.warn({ err: describeSlackError(error), key }, 'a click was acknowledged too late');
    }
    if (!fresh) return;
    // Home tab and modal clicks carry no response_url.
    await runClick(env, { key, body, action, client, respond: body.response_url ? respond : undefined });
  });
}
