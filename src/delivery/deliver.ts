import type { Logger } from 'pino';
import type { Reply } from '../chat/reply.ts';
import type { Clock } from '../core/common/clock.ts';
import { HOME_TEMPLATE } from '../core/messaging/home-refresh.ts';
import { platformOf } from '../core/messaging/outbox.ts';
import type { Db } from '../store/database.ts';
import type { OutboxRow } from '../store/tables.ts';
import { type BackoffPolicy, backoffDelay, MIN_RATE_LIMIT_WAIT_MS } from './backoff.ts';
import { reportDeadLetter } from './dead-letter.ts';
import {
  describeSendError,
  MessageGoneError,
  NotInstalledError,
  PermanentSendError,
  RateLimitedError,
  TransientSendError,
} from './errors.ts';
import { findMessageRef } from './message-refs.ts';
import { type ClaimedRow, markDead, recordRetry, reschedule } from './outbox-rows.ts';
import type { PlatformMessage, PostRequest, Sender } from './sender.ts';
import { settleNotInstalled } from './waiting.ts';

/** Turns an outbox row into the message to send now; null when there is nothing to say any more. */
export type RenderOutbox = (row: OutboxRow) => Promise<Reply | null>;

export interface DeliveryContext {
  db: Db;
  clock: Clock;
  senders: Partial<Record<string, Sender>>;
  render: RenderOutbox;
  maxAttempts: number;
  backoff: BackoffPolicy;
  random: () => number;
  logger: Logger;
  /** How long a message waits for the bot to be installed where it goes before it is dead (waiting.ts). */
  installWaitMs: number;
  /** Records a row as sent (batched into a shared commit) and returns the next row of its target, if leased for us. */
  recordSent: (row: OutboxRow, message: PlatformMessage | null) => Promise<ClaimedRow | null>;
}

/**
 * `lost_lease`: another relay took the row over after our lease ran out; its outcome stands.
 * `waiting`: the bot is not installed where the row goes yet; it waits for the install (waiting.ts).
 */
export type Outcome = 'sent' | 'skipped' | 'rate_limited' | 'retry' | 'waiting' | 'dead' | 'lost_lease';

/** The platforms there is a sender for (a key set to undefined, e.g. an unconfigured platform, is none). */
export function sendablePlatforms(senders: Partial<Record<string, Sender>>): string[] {
  return Object.entries(senders)
    .filter(([, sender]) => sender !== undefined)
    .map(([platform]) => platform);
}

export interface Delivered {
  outcome: Outcome;
  /** The next row of the same target, already leased for this relay. */
  next: ClaimedRow | null;
}

/** Sends one claimed row, outside any transaction, then records the outcome in one short transaction. */
export async function deliverRow(ctx: DeliveryContext, row: ClaimedRow): Promise<Delivered> {
  let message: PlatformMessage | null;
  try {
    message = await send(ctx, row);
  } catch (error) {
    return { outcome: await settleFailure(ctx, row, error), next: null };
  }
  // From here until the commit, a crash re-sends this row once after its lease expires: the documented window.
  const next = await ctx.recordSent(row, message);
  return { outcome: message ? 'sent' : 'skipped', next };
}

async function send(ctx: DeliveryContext, row: ClaimedRow): Promise<PlatformMessage | null> {
  const sender = ctx.senders[platformOf(row.target)];
  if (!sender) throw new PermanentSendError('no_sender', `no sender for ${platformOf(row.target)}`);
  const reply = await ctx.render(row);
  if (!reply) return null;
  if (row.template === HOME_TEMPLATE) return publishHome(sender, row, reply);
  if (row.subject) {
    const existing = await findMessageRef(ctx.db, row.subject, row.target);
    if (existing) {
      try {
        return await sender.update({ target: row.target, message: existing, reply });
      } catch (error) {
        if (!(error instanceof MessageGoneError)) throw error;
        ctx.logger.warn({ outboxId: row.id, subject: row.subject }, 'message to edit was deleted; posting it again');
      }
    }
  }
  const threadParent = row.thread_of ? await findMessageRef(ctx.db, row.thread_of, row.target) : null;
  const request = { key: row.idempotency_key, target: row.target, reply, threadParent };
  if (row.resumed && sender.findPosted) {
    const found = await findEarlierPost(ctx, sender, row, request);
    if (found) return found;
  }
  return sender.post(request);
}

/** A person's Home tab is replaced whole, never posted; a platform without one has nothing to do. */
async function publishHome(sender: Sender, row: OutboxRow, reply: Reply): Promise<PlatformMessage | null> {
  if (!sender.publishHome) return null;
  await sender.publishHome({ target: row.target, reply });
  return { conversation: row.target, id: HOME_TEMPLATE };
}

/**
 * After a crash or an unknown outcome: the copy an earlier attempt posted, if any. A check that fails
 * for now (rate limit, outage) fails the attempt, to be checked again later; one that can never work
 * (no permission to read the channel) means posting, at worst a second copy.
 */
async function findEarlierPost(
  ctx: DeliveryContext,
  sender: Sender,
  row: OutboxRow,
  request: PostRequest,
): Promise<PlatformMessage | null> {
  try {
    const found = (await sender.findPosted?.(request, new Date(row.created_at))) ?? null;
    if (found) ctx.logger.info({ outboxId: row.id }, 'found the message an interrupted attempt had posted');
    return found;
  } catch (error) {
    if (!(error instanceof PermanentSendError)) throw error;
    ctx.logger.warn({ outboxId: row.id, error: describeSendError(error) }, 'cannot check for an earlier post');
    return null;
  }
}

async function settleFailure(ctx: DeliveryContext, row: ClaimedRow, error: unknown): Promise<Outcome> {
  const text = describeSendError(error);
  const now = ctx.clock.now();
  const log = { outboxId: row.id, target: row.target, attempts: row.attempts, error: text };
  // Still unsure whether an earlier attempt posted: the next attempt looks before it posts.
  const maybePosted = row.resumed || (error instanceof TransientSendError && error.outcomeUnknown);
  if (error instanceof RateLimitedError) {
    const at = new Date(now.getTime() + Math.max(error.retryAfterMs, MIN_RATE_LIMIT_WAIT_MS));
    ctx.logger.debug(log, 'rate limited; rescheduled');
    return (await reschedule(ctx.db, row, { at, error: text, maybePosted, now })) ? 'rate_limited' : 'lost_lease';
  }
  if (error instanceof NotInstalledError) return settleNotInstalled(ctx, row, error, now);
  const failed = row.attempts + 1;
  if (error instanceof PermanentSendError || failed >= ctx.maxAttempts) {
    const platforms = sendablePlatforms(ctx.senders);
    const dead = await markDead(ctx.db, row, text, async (tx) => {
      await reportDeadLetter(tx, ctx.clock, row, text, platforms);
    });
    if (dead) ctx.logger.warn(log, 'message is dead; admins notified');
    return dead ? 'dead' : 'lost_lease';
  }
  // Anything that is not a platform answer we know (a rendering bug, say) is retried, but said loudly.
  if (!(error instanceof TransientSendError)) ctx.logger.error({ ...log, err: error }, 'unexpected delivery failure');
  else ctx.logger.info(log, 'send failed; will retry');
  const at = new Date(now.getTime() + backoffDelay(failed, ctx.backoff, ctx.random));
  return (await recordRetry(ctx.db, row, { at, error: text, maybePosted, now })) ? 'retry' : 'lost_lease';
}
