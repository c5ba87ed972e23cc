import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';
import { addDaysIso } from '../core/common/dates.ts';
import type { Policy } from '../core/policy/policy.ts';
import { enqueueAll, type Firing, fire, missedWhileDown, type SweepContext } from './firing.ts';

// The weekly digest, e.g. Monday 09:00 where the organisation works. The notification carries only
// the week it is for; the view builds the numbers from the store when it is sent. After downtime the
// latest missed week is sent once, marked late; older weeks are not worth reading any more.

/** A digest sent within this long of its hour is on time; the ticker runs every minute. */
const ON_TIME_MS = 60 * 60 * 1000;

export interface DigestSlot {
  /** The calendar date of the digest day, in the zone: names the week. */
  weekOf: string;
  /** The instant the digest was planned for. */
  at: Date;
  late: boolean;
}

export const digestKey = (weekOf: string) => `digest:${weekOf}`;

/** Pure: the latest digest moment at or before `now`, in `timeZone` (DST shifts included). */
export function digestSlot(now: Date, timeZone: string, digest: Policy['digest']): DigestSlot {
  const local = new TZDate(now.getTime(), timeZone);
  const isoWeekday = local.getDay() === 0 ? 7 : local.getDay();
  const today = format(local, 'yyyy-MM-dd');
  const planned = (day: string) => {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    return new Date(new TZDate(y, m - 1, d, digest.hour, 0, 0, timeZone).getTime());
  };
  let weekOf = addDaysIso(today, -((isoWeekday - digest.isoWeekday + 7) % 7));
  if (planned(weekOf).getTime() > now.getTime()) weekOf = addDaysIso(weekOf, -7);
  const at = planned(weekOf);
  return { weekOf, at, late: now.getTime() - at.getTime() >= ON_TIME_MS };
}

/** Where the digest goes: the deployment's findings channels and every subscribed channel. */
async function digestTargets(ctx: SweepContext): Promise<string[]> {
  const subscribed = await ctx.tx.selectFrom('subscriptions').select('channel').orderBy('id').execute();
  return [...new Set([...ctx.deps.routing.findingsChannels, ...subscribed.map((s) => s.channel)])];
}

export async function runDigestTrigger(ctx: SweepContext): Promise<void> {
  const slot = digestSlot(ctx.deps.clock.now(), ctx.deps.timeZone, ctx.deps.policy.digest);
  const firing: Firing = { key: digestKey(slot.weekOf), late: slot.late && missedWhileDown(ctx, slot.at) };
  const fired = await ctx.tx
    .selectFrom('fired_triggers')
    .select('key')
    .where('key', '=', firing.key)
    .executeTakeFirst();
  if (fired) return;
  await fire(ctx, firing, async () =>
    enqueueAll(ctx, firing, await digestTargets(ctx), { template: 'digest', data: { weekOf: slot.weekOf } }),
  );
}
