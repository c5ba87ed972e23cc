import type { Logger } from 'pino';
import type { Reply } from '../chat/reply.ts';
import type { Clock } from '../core/clock.ts';
import { platformOf } from '../core/outbox.ts';
import type { Db } from '../store/database.ts';
import type { OutboxRow } from '../store/tables.ts';
import { type BackoffPolicy, backoffDelay, MIN_RATE_LIMIT_WAIT_MS } from './backoff.ts';
import { reportDeadLetter } from './dead-letter.ts';
import {
  describeSendError,
  MessageGoneError,
  PermanentSendError,
  RateLimitedError,
  TransientSendError,
} from './errors.ts';
import { findMessageRef } from './message-refs.ts';
import { markDead, markSent, recordRetry, reschedule } from './outbox-rows.ts';
import type { PlatformMessage, Sender } from './sender.ts';

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
}

/** `lost_lease`: another relay took the row over after our lease ran out; its outcome stands. */
export type Outcome = 'sent' | 'skipped' | 'rate_limited' | 'retry' | 'dead' | 'lost_lease';

/** Sends one claimed row, outside any transaction, then records the outcome in one short transaction. */
export async function deliverRow(ctx: DeliveryContext, row: OutboxRow): Promise<Outcome> {
  let message: PlatformMessage | null;
  try {
    message = await send(ctx, row);
  } catch (error) {
    return settleFailure(ctx, row, error);
  }
  // From here a crash re-sends this row once after its lease expires: the documented window.
  await markSent(ctx.db, ctx.clock, row, message);
  return message ? 'sent' : 'skipped';
}

async function send(ctx: DeliveryContext, row: OutboxRow): Promise<PlatformMessage | null> {
  const sender = ctx.senders[platformOf(row.target)];
  if (!sender) throw new PermanentSendError('no_sender', `no sender for ${platformOf(row.target)}`);
  const reply = await ctx.render(row);
  if (!reply) return null;
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
  const threadOf = threadOfRow(row);
  const threadParent = threadOf ? await findMessageRef(ctx.db, threadOf, row.target) : null;
  return sender.post({ target: row.target, reply, threadParent });
}

function threadOfRow(row: OutboxRow): string | null {
  try {
    const data = JSON.parse(row.data) as { threadOf?: unknown };
    return typeof data.threadOf === 'string' ? data.threadOf : null;
  } catch {
    return null;
  }
}

async function settleFailure(ctx: DeliveryContext, row: OutboxRow, error: unknown): Promise<Outcome> {
  const text = describeSendError(error);
  const now = ctx.clock.now().getTime();
  const log = { outboxId: row.id, target: row.target, attempts: row.attempts, error: text };
  if (error instanceof RateLimitedError) {
    const at = new Date(now + Math.max(error.retryAfterMs, MIN_RATE_LIMIT_WAIT_MS));
    ctx.logger.debug(log, 'rate limited; rescheduled');
    return (await reschedule(ctx.db, row, at, text)) ? 'rate_limited' : 'lost_lease';
  }
  const failed = row.attempts + 1;
  if (error instanceof PermanentSendError || failed >= ctx.maxAttempts) {
    const platforms = Object.keys(ctx.senders);
    const dead = await markDead(ctx.db, row, text, async (tx) => {
      await reportDeadLetter(tx, ctx.clock, row, text, platforms);
    });
    if (dead) ctx.logger.warn(log, 'message is dead; admins notified');
    return dead ? 'dead' : 'lost_lease';
  }
  // Anything that is not a platform answer we know (a rendering bug, say) is retried, but said loudly.
  if (!(error instanceof TransientSendError)) ctx.logger.error({ ...log, err: error }, 'unexpected delivery failure');
  else ctx.logger.info(log, 'send failed; will retry');
  const at = new Date(now + backoffDelay(failed, ctx.backoff, ctx.random));
  return (await recordRetry(ctx.db, row, at, text)) ? 'retry' : 'lost_lease';
}
