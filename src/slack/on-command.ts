import type { App } from '@slack/bolt';
import { commandNamed, dispatchCommand } from '../chat/dispatch.ts';
import { claimReceipt } from '../core/messaging/inbound-receipts.ts';
import { chatContext, type Origin, type SlackEnv } from './context.ts';
import { deliverOutcome } from './deliver.ts';
import { receiptKeys } from './receipts.ts';
import { neutralizeSlackRefs } from './refs.ts';

/** `/vendor <words>`: acknowledged at once, answered through the response_url or a modal. */
export function onCommand(app: App, env: SlackEnv, name: string): void {
  app.command(name, async ({ ack, command, respond, client }) => {
    await ack();
    // No trigger_id is no real Slack command; a replayed one that may change state is refused even after a restart.
    if (typeof command.trigger_id !== 'string' || !command.trigger_id) return;
    if (!env.commands.claim(command.trigger_id)) return;
    const text = neutralizeSlackRefs(command.text ?? '');
    // A replay of a read-only command changes nothing, and its answer goes to the response_url signed into
    // the captured request, the person who asked. Its durable receipt (a synchronous disk write, most of
    // such a request's cost) would guard nothing; every command that may change state still claims one.
    const durable = !commandNamed(env.registry, text)?.readOnly;
    if (durable && !(await claimReceipt(env.deps.db, env.deps.clock, receiptKeys.command(command.trigger_id)))) {
      return;
    }
    const origin: Origin = {
      client,
      userId: command.user_id,
      channelId: command.channel_id || null,
      respond,
      triggerId: command.trigger_id,
    };
    const ctx = await chatContext(env, origin);
    const outcome = await dispatchCommand(env.registry, ctx, text);
    await deliverOutcome(env, origin, outcome);
  });
}
