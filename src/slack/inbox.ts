import type { BlockAction, BlockElementAction, RespondFn, webApi } from '@slack/bolt';
import type { Outcome } from '../chat/command.ts';
import { dispatchAction } from '../chat/dispatch.ts';
import { ephemeral, type Reply } from '../chat/reply.ts';
import { formatUtc } from '../core/findings/text.ts';
import { type InboxEntry, markInboxDone, takeUnfinished } from '../core/messaging/inbox.ts';
import { withCommitHook } from '../store/commit-hook.ts';
import { chatContext, type Origin, type SlackEnv, slackChannelId } from './context.ts';
import { deliverOutcome } from './deliver.ts';
import { readModalMeta } from './forms.ts';
import { readAction } from './read-action.ts';
import { describeSlackError } from './slack-errors.ts';

// A click (block action) is acknowledged to Slack at once, and Slack never sends it again; so it is
// stored first (on-action.ts), run here, and marked done in the transaction of the change it makes
// (core/messaging/inbox.ts explains the rows and leases). A process that dies after the
// acknowledgement leaves the click unfinished; once its lease runs out, the sweep below (in every
// process, every few seconds, and at start) runs it again as the person who clicked. The answer goes
// through the click's response_url while Slack still honours it (30 minutes), else as a direct
// message, and says the click was carried out after a restart. The change is made, and audited, at
// the time of the re-run: the audit trail's time only moves forward. A click that opens a form
// cannot be re-run (its trigger_id lasted 3 seconds), so the person is asked to click again.

/** How long Slack accepts posts to a response_url. */
const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;

export interface Click {
  key: string;
  body: BlockAction;
  action: BlockElementAction;
  client: webApi.WebClient;
  respond: RespondFn | undefined;
  /** Set for a re-run: when Slack delivered the click. */
  receivedAt?: Date;
}

/** Runs a stored click; marks it done with its change, or after the handler when it changed nothing. */
export async function runClick(env: SlackEnv, click: Click): Promise<void> {
  const { body, action, key } = click;
  const fromView = body.view ? slackChannelId(readModalMeta(body.view).channel) : null;
  const stale =
    click.receivedAt && env.deps.clock.now().getTime() - click.receivedAt.getTime() > RESPONSE_URL_LIFETIME_MS;
  const origin: Origin = {
    client: click.client,
    userId: body.user.id,
    // Long after the click, the answer goes to the person directly rather than into the channel.
    channelId: stale ? null : (body.channel?.id ?? (body.container?.channel_id as string | undefined) ?? fromView),
    ...(click.respond && !stale ? { respond: click.respond } : {}),
    ...(click.receivedAt ? {} : { triggerId: body.trigger_id }),
    inModal: body.view?.type === 'modal',
  };
  const { name, value } = readAction(action);
  const ctx = await chatContext(env, origin);
  const { db, clock } = env.deps;
  let outcome: Outcome = await withCommitHook(
    (tx) => markInboxDone(tx, clock, key, true),
    () => dispatchAction(env.registry, ctx, name, value),
  );
  await markInboxDone(db, clock, key, false);
  if (click.receivedAt) outcome = { reply: afterRestart(outcome, click.receivedAt) };
  await deliverOutcome(env, origin, outcome);
}

function afterRestart(outcome: Outcome, receivedAt: Date): Reply {
  const when = formatUtc(receivedAt.toISOString());
  if (!('reply' in outcome)) {
    return ephemeral(`Your click at ${when} reached us while the bot was restarting. Please click the button again.`);
  }
  const note = `Your click at ${when} was carried out after the bot restarted.`;
  const { reply } = outcome;
  return {
    ...reply,
    text: `${note}\n${reply.text}`,
    ...(reply.blocks ? { blocks: [{ type: 'context', text: note }, ...reply.blocks] } : {}),
  };
}

/** A response_url answer without Bolt's per-request respond(): the same JSON post. */
function respondVia(url: string): RespondFn {
  return (async (message) => {
    const body = typeof message === 'string' ? { text: message } : message;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`response_url answered ${response.status}`);
    return response;
  }) as RespondFn;
}

async function rerun(env: SlackEnv, client: webApi.WebClient, entry: InboxEntry): Promise<void> {
  const body = JSON.parse(entry.payload) as BlockAction;
  const action = body.actions?.[0];
  if (!action) throw new Error('a stored click without an action');
  env.log.warn({ key: entry.key, attempt: entry.attempts, user: body.user.id }, 're-running a click left unfinished');
  await runClick(env, {
    key: entry.key,
    body,
    action,
    client,
    respond: body.response_url ? respondVia(body.response_url) : undefined,
    receivedAt: entry.receivedAt,
  });
}

/** Re-runs every unfinished click whose lease has run out; returns how many it took. */
export async function replayUnfinished(env: SlackEnv, client: webApi.WebClient): Promise<number> {
  const entries = await takeUnfinished(env.deps.db, env.deps.clock, env.inboxLeaseMs);
  for (const entry of entries) {
    try {
      await rerun(env, client, entry);
    } catch (error) {
      env.log.error(
        { err: describeSlackError(error), key: entry.key, attempt: entry.attempts },
        'could not re-run a click',
      );
    }
  }
  return entries.length;
}

/** Sweeps for unfinished clicks now and then every `everyMs`, one sweep at a time. */
export function startInboxSweep(env: SlackEnv, client: webApi.WebClient, everyMs: number): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const sweep = () => {
    running = running
      .then(() => replayUnfinished(env, client))
      .catch((error) => env.log.error({ err: error }, 'inbox sweep failed'));
  };
  sweep();
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
