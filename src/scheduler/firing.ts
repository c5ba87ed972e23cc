import { TZDate } from '@date-fns/tz';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { appendAudit, forgetAuditHead } from '../core/audit/log.ts';
import { SYSTEM_ACTOR } from '../core/common/actor.ts';
import type { CoreDeps } from '../core/common/deps.ts';
import { findingTargets } from '../core/findings/routing.ts';
import { type ReminderItems, remindAboutVendor } from '../core/messaging/live-reminders.ts';
import { enqueue, type NotificationContent } from '../core/messaging/outbox.ts';
import type { Tx } from '../store/database.ts';

// The one way a trigger fires: claim its key in fired_triggers and do the work, inside a savepoint of
// the sweep's transaction; the sweep then audits everything it fired in one entry. The claim is an
// insert that does nothing on conflict, so two sweeps racing (two processes on PostgreSQL, a CLI sweep
// beside the bot) still fire once. A failing item rolls back to its savepoint alone: it is logged and
// retried on the next sweep, and one bad row never holds back every other reminder.

export interface SweepContext {
  tx: Tx;
  /** The caller's dependencies with the clock frozen at the sweep's instant. */
  deps: CoreDeps;
  /** Today's calendar date in deps.timeZone. */
  today: string;
  log: Logger;
  /** What this sweep fired, in order, with what each did (targets, the finding it opened). */
  fired: FiredItem[];
  /** Keys whose work threw this sweep; they stay unfired. */
  failed: string[];
  /** When the sweep before this one ran; null (or absent) on a database never swept. */
  lastSweepAt?: Date | null;
}

export interface FiredItem {
  key: string;
  late: boolean;
  outcome: Record<string, unknown>;
}

export interface Firing {
  /** Names the (item, slot) for ever, e.g. `review:12:2026-07-01:before-7`. */
  key: string;
  late: boolean;
}

/** Printed on the audit entry of a sweep that fired late items, so the trail explains the gap. */
export const LATE_REASON = 'Some items fired after downtime; earlier missed slots of those items were skipped.';

const CHUNK = 500;

/**
 * Whether an item planned for `plannedAt` is late because the bot was down: a sweep ran before, and
 * none has run since that moment, so the item's time passed while nothing was sweeping. The first
 * sweep of a fresh database (or a freshly seeded one) is never late: nothing was delayed, the data
 * was just entered. Items that only became due by what people did since the last sweep are not late.
 */
export function missedWhileDown(ctx: Pick<SweepContext, 'lastSweepAt'>, plannedAt: Date): boolean {
  const last = ctx.lastSweepAt;
  return last !== null && last !== undefined && last.getTime() < plannedAt.getTime();
}

/**
 * Day starts already worked out, per zone: a sweep asks for the same few days once per overdue slot
 * (tens of thousands at scale), and a zoned date costs tens of microseconds to build.
 */
const dayStarts = new Map<string, number>();

/** The first instant of a calendar day where the organisation works: when a day's slot comes due. */
export function startOfDay(day: string, timeZone: string): Date {
  const key = `${timeZone} ${day}`;
  let start = dayStarts.get(key);
  if (start === undefined) {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    start = new TZDate(y, m - 1, d, 0, 0, 0, timeZone).getTime();
    // Bounded: a long-running bot sees a new day a day; a cleared map only costs the next sweep a rebuild.
    if (dayStarts.size >= 10_000) dayStarts.clear();
    dayStarts.set(key, start);
  }
  return new Date(start);
}

/** A slot planned for a calendar day, fired on a later one: late only if no sweep ran since it came due. */
export function dayLate(ctx: Pick<SweepContext, 'lastSweepAt' | 'today' | 'deps'>, on: string): boolean {
  return on < ctx.today && missedWhileDown(ctx, startOfDay(on, ctx.deps.timeZone));
}

/** Which of `keys` have not fired yet: one primary-key lookup per chunk, not one per item. */
export async function unfiredKeys(tx: Tx, keys: readonly string[]): Promise<Set<string>> {
  const open = new Set(keys);
  for (let i = 0; i < keys.length; i += CHUNK) {
    const chunk = keys.slice(i, i + CHUNK);
    const fired = await tx.selectFrom('fired_triggers').select('key').where('key', 'in', chunk).execute();
    for (const row of fired) open.delete(row.key);
  }
  return open;
}

/**
 * One audit entry per sweep that fired anything: every key, whether it was late and what it did. The
 * domain steps a trigger takes (a finding opened, an escalation requested) are audited on their own.
 * One entry rather than one per reminder keeps a 10,000-vendor sweep's writes proportionate.
 */
export async function auditSweep(ctx: SweepContext): Promise<void> {
  if (ctx.fired.length === 0) return;
  const late = ctx.fired.filter((f) => f.late).length;
  await appendAudit(ctx.tx, ctx.deps.clock, {
    actor: SYSTEM_ACTOR,
    action: 'scheduler.sweep',
    entityType: 'scheduler',
    entityId: ctx.today,
    after: { fired: ctx.fired.map((f) => ({ key: f.key, late: f.late, ...f.outcome })), late },
    reason: late > 0 ? LATE_REASON : null,
  });
}

/**
 * Fires one item unless its key fired before. `work` returns what the sweep's audit entry records for
 * it (targets, the finding it opened). Returns whether the item fired now.
 */
export async function fire(
  ctx: SweepContext,
  firing: Firing,
  work: () => Promise<Record<string, unknown>>,
): Promise<boolean> {
  const { tx, deps } = ctx;
  await sql`savepoint sweep_item`.execute(tx);
  try {
    const claimed = await tx
      .insertInto('fired_triggers')
      .values({ key: firing.key, fired_at: deps.clock.now().toISOString(), late: firing.late ? 1 : 0 })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    const fresh = Number(claimed.numInsertedOrUpdatedRows ?? 0) > 0;
    if (fresh) {
      const outcome = await work();
      ctx.fired.push({ key: firing.key, late: firing.late, outcome });
    }
    await sql`release savepoint sweep_item`.execute(tx);
    return fresh;
  } catch (error) {
    await sql`rollback to savepoint sweep_item`.execute(tx);
    await sql`release savepoint sweep_item`.execute(tx);
    forgetAuditHead(tx);
    ctx.failed.push(firing.key);
    ctx.log.error({ err: error, key: firing.key }, 'scheduled trigger failed; it stays due and is retried next sweep');
    return false;
  }
}

/** A reminder goes to the vendor's owner; without one, to where the vendor's finding cards go. */
export async function ownerOrRouting(
  ctx: SweepContext,
  vendor: { owner_id: string | null; channel: string | null; tier: string },
): Promise<string[]> {
  if (vendor.owner_id) return [vendor.owner_id];
  return findingTargets(ctx.tx, ctx.deps.routing, vendor);
}

/**
 * A reminder about a vendor to each target, through the vendor's one live message per target
 * (src/core/messaging/live-reminders.ts): the day's message is edited, or a new one replaces the last.
 */
export async function remindAll(
  ctx: SweepContext,
  firing: Firing,
  targets: readonly string[],
  vendorId: number,
  add: Partial<ReminderItems>,
): Promise<{ targets: string[] }> {
  if (targets.length === 0)
    ctx.log.warn({ key: firing.key }, 'scheduled reminder has nowhere to go: no owner or channel');
  for (const target of targets) {
    await remindAboutVendor(ctx.tx, ctx.deps, {
      vendorId,
      target,
      key: `${firing.key}@${target}`,
      add,
      late: firing.late,
    });
  }
  return { targets: [...targets] };
}

/** Queues one message per target, keyed by the trigger key so a retried sweep cannot double it. */
export async function enqueueAll(
  ctx: SweepContext,
  firing: Firing,
  targets: readonly string[],
  content: NotificationContent,
): Promise<{ targets: string[] }> {
  if (targets.length === 0)
    ctx.log.warn({ key: firing.key }, 'scheduled reminder has nowhere to go: no owner or channel');
  for (const target of targets) {
    await enqueue(ctx.tx, ctx.deps.clock, { ...content, key: `${firing.key}@${target}`, target, late: firing.late });
  }
  return { targets: [...targets] };
}
