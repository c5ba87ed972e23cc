import type { Clock } from '../core/common/clock.ts';
import type { Db } from '../store/database.ts';
import type { OutboxRow } from '../store/tables.ts';
import { reportDeadLetter } from './dead-letter.ts';
import type { DeliveryContext, Outcome } from './deliver.ts';
import { describeSendError, type NotInstalledError } from './errors.ts';
import { type ClaimedRow, markDead, reschedule } from './outbox-rows.ts';

// A message for a Teams conversation the bot is not installed in yet is not dead at once: an admin
// often names the channels before someone adds the app there. The row stays pending, marked in
// `last_error`, looked at again every hour, for at most `installWaitMs` after it was queued (policy
// `teamsInstallWaitDays`). The install itself (a conversationUpdate or installationUpdate, whose
// conversation reference is stored) wakes the waiting rows of that target, and the relay sends them
// at once, in order. When the wait is over the row dies like any undeliverable message: audited,
// admins told. `vendor-risk list --waiting` shows what waits, `list --dead` what died.

export const WAITING_FOR_INSTALL = 'waiting for install:';
export const INSTALL_RECHECK_MS = 60 * 60_000;
export const DEFAULT_INSTALL_WAIT_MS = 7 * 86_400_000;

export function isWaitingForInstall(row: Pick<OutboxRow, 'status' | 'last_error'>): boolean {
  return row.status === 'pending' && (row.last_error ?? '').startsWith(WAITING_FOR_INSTALL);
}

/** When a row queued at `createdAt` stops waiting and dies. */
export function installDeadline(createdAt: string, installWaitMs: number): Date {
  return new Date(Date.parse(createdAt) + installWaitMs);
}

/** The relay's answer to NotInstalledError: wait (not an attempt) until the deadline, then dead. */
export async function settleNotInstalled(
  ctx: DeliveryContext,
  row: ClaimedRow,
  error: NotInstalledError,
  now: Date,
): Promise<Outcome> {
  const deadline = installDeadline(row.created_at, ctx.installWaitMs);
  const log = { outboxId: row.id, target: row.target, queuedAt: row.created_at, until: deadline.toISOString() };
  if (now >= deadline) {
    const days = Math.round(ctx.installWaitMs / 86_400_000);
    const text = `${describeSendError(error)}; the bot was not installed there within ${days} days`;
    const dead = await markDead(ctx.db, row, text, async (tx) => {
      await reportDeadLetter(tx, ctx.clock, row, text, sendable(ctx));
    });
    if (dead) ctx.logger.warn({ ...log, error: text }, 'message is dead: the bot was never installed there');
    return dead ? 'dead' : 'lost_lease';
  }
  const at = new Date(Math.min(now.getTime() + INSTALL_RECHECK_MS, deadline.getTime()));
  const reason = `${WAITING_FOR_INSTALL} ${error.message} (until ${deadline.toISOString()})`;
  if (!isWaitingForInstall(row)) {
    ctx.logger.warn(log, 'message waits for the bot to be installed where it goes; it is sent once it is');
  }
  return (await reschedule(ctx.db, row, { at, error: reason, maybePosted: false, now })) ? 'waiting' : 'lost_lease';
}

function sendable(ctx: DeliveryContext): string[] {
  return Object.entries(ctx.senders)
    .filter(([, sender]) => sender !== undefined)
    .map(([platform]) => platform);
}

/**
 * The bot was just installed where these targets point: their waiting messages are due now. Returns
 * how many rows were woken. Rows of other targets, and rows waiting for anything else, are untouched.
 */
export async function wakeWaitingFor(db: Db, clock: Clock, targets: string[]): Promise<number> {
  if (targets.length === 0) return 0;
  const now = clock.now().toISOString();
  const result = await db
    .updateTable('outbox')
    .set({ available_at: now })
    .where('status', '=', 'pending')
    .where('target', 'in', targets)
    .where('last_error', 'like', `${WAITING_FOR_INSTALL}%`)
    .where('available_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Messages waiting for an install (and those queued behind them, same target), oldest first: for `list --waiting`. */
export function listWaitingForInstall(db: Db): Promise<OutboxRow[]> {
  const waitingTargets = db
    .selectFrom('outbox')
    .select('target')
    .where('status', '=', 'pending')
    .where('last_error', 'like', `${WAITING_FOR_INSTALL}%`);
  return db
    .selectFrom('outbox')
    .selectAll()
    .where('status', '=', 'pending')
    .where('target', 'in', waitingTargets)
    .orderBy('id')
    .execute();
}

/** Messages the relay gave up on, newest first: for `list --dead`. */
export function listDeadMessages(db: Db, limit = 500): Promise<OutboxRow[]> {
  return db.selectFrom('outbox').selectAll().where('status', '=', 'dead').orderBy('id', 'desc').limit(limit).execute();
}
