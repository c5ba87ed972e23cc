import { TZDate } from '@date-fns/tz';
import { addBusinessDays } from 'date-fns/addBusinessDays';
import { addDays } from 'date-fns/addDays';
import { addMonths } from 'date-fns/addMonths';

// Deadline arithmetic for regulatory clocks. Hours are elapsed time (72 h is 72 h even across a DST
// change). Days, business days and months are calendar steps on the wall clock where the organisation
// works (BOT_TIMEZONE): "60 days after 10:00" ends at 10:00 local on the 60th day, whatever the offset
// did in between, and "one month after 31 January" is the last day of February (date-fns clamps).
// Business days skip Saturdays and Sundays; public holidays are not known to the bot.

const HOUR_MS = 3_600_000;

export function addHoursIso(iso: string, hours: number): string {
  return new Date(new Date(iso).getTime() + hours * HOUR_MS).toISOString();
}

export function addCalendarDaysIso(iso: string, days: number, timeZone: string): string {
  return new Date(addDays(new TZDate(new Date(iso).getTime(), timeZone), days).getTime()).toISOString();
}

export function addMonthsIso(iso: string, months: number, timeZone: string): string {
  return new Date(addMonths(new TZDate(new Date(iso).getTime(), timeZone), months).getTime()).toISOString();
}

export function addBusinessDaysIso(iso: string, days: number, timeZone: string): string {
  return new Date(addBusinessDays(new TZDate(new Date(iso).getTime(), timeZone), days).getTime()).toISOString();
}

/** Midnight starting 1 January of the year after the one `iso` falls in, in the zone. */
export function startOfNextYearIso(iso: string, timeZone: string): string {
  const local = new TZDate(new Date(iso).getTime(), timeZone);
  return new Date(new TZDate(local.getFullYear() + 1, 0, 1, timeZone).getTime()).toISOString();
}

/** "2 d 4 h", "3 h 20 min", "12 min": what is left (or how late), for cards and reminders. */
export function durationText(ms: number): string {
  const minutes = Math.max(0, Math.floor(Math.abs(ms) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return mins > 0 ? `${hours} h ${mins} min` : `${hours} h`;
  return `${mins} min`;
}
