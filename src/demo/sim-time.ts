import { TZDate } from '@date-fns/tz';
import type { Clock } from '../core/common/clock.ts';
import { addDaysIso, todayIn } from '../core/common/dates.ts';

// When each replayed step happens: within office hours of its day in the organisation's time zone,
// evenly spread in plan order, and never after the real "now" (today's steps fall between the start of
// the day and now). Calendar days are reckoned in the same zone as the core's "today", so a step
// planned for N days ago lands on exactly that date whatever the hour of seeding.

const OPEN_HOUR = 8;
const CLOSE_HOUR = 18;

function localTime(date: string, hour: number, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new TZDate(y, m - 1, d, hour, 0, timeZone).getTime();
}

/** The instants for `count` steps on `day` (relative to the anchor's today), in order. */
export function stepInstants(anchor: Clock, timeZone: string, day: number, count: number): Date[] {
  const now = anchor.now().getTime();
  const date = addDaysIso(todayIn(anchor, timeZone), day);
  let start = localTime(date, OPEN_HOUR, timeZone);
  let end = day === 0 ? Math.min(now, localTime(date, CLOSE_HOUR, timeZone)) : localTime(date, CLOSE_HOUR, timeZone);
  if (end <= start) {
    // Seeded before opening hours: today's steps happen between midnight and now.
    start = localTime(date, 0, timeZone);
    end = now;
  }
  return Array.from({ length: count }, (_, k) => new Date(start + Math.floor(((end - start) * (k + 1)) / (count + 1))));
}
