import { refreshEveryHome } from '../core/messaging/home-refresh.ts';
import { type Firing, fire, type SweepContext } from './firing.ts';

// Homes are republished after each change that alters a queue, but a new day changes them too: a
// review falls overdue or due soon, a document nears its expiry. Once a day the sweep refreshes every
// Home there is; the trigger key makes it once, whatever the number of ticks that day.

export const homesKey = (day: string) => `homes:${day}`;

export async function runHomeTrigger(ctx: SweepContext): Promise<void> {
  const firing: Firing = { key: homesKey(ctx.today), late: false };
  const fired = await ctx.tx
    .selectFrom('fired_triggers')
    .select('key')
    .where('key', '=', firing.key)
    .executeTakeFirst();
  const anyHome = await ctx.tx.selectFrom('home_views').select('principal').limit(1).executeTakeFirst();
  if (fired || !anyHome) return;
  await fire(ctx, firing, async () => ({ homes: await refreshEveryHome(ctx.tx, ctx.deps.clock) }));
}
