import type { App } from '@slack/bolt';
import { dispatchHome } from '../chat/dispatch.ts';
import { noteHomeOpened } from '../core/messaging/home-refresh.ts';
import { chatContext, firstDelivery, type SlackEnv } from './context.ts';
import { receiptKeys } from './receipts.ts';
import { renderHome } from './render.ts';
import { describeSlackError } from './slack-errors.ts';

/**
 * Opening the App Home tab republishes the person's overview, when the registry has one, and marks the
 * person as having a Home to keep current after changes to their queue.
 */
export function onHomeOpened(app: App, env: SlackEnv): void {
  if (!env.registry.home) return;
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    // Slack retries events it thinks timed out (X-Slack-Retry-Num); the event_id stays the same.
    if (!(await firstDelivery(env, receiptKeys.event(body.event_id)))) return;
    const ctx = await chatContext(env, { client, userId: event.user, channelId: null });
    // From now on, changes to this person's queue republish their Home (src/core/messaging/home-refresh.ts).
    try {
      await noteHomeOpened(ctx.deps.db, ctx.deps.clock, ctx.actor.id);
    } catch (error) {
      env.log.error({ err: error, user: event.user }, 'could not note that the Home tab was opened');
    }
    const blocks = await dispatchHome(env.registry, ctx);
    if (!blocks) return;
    try {
      await client.views.publish({ user_id: event.user, view: renderHome(blocks) });
    } catch (error) {
      env.log.error({ err: describeSlackError(error), user: event.user }, 'could not publish the Home tab');
    }
  });
}
