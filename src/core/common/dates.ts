import { TZDate } from '@date-fns/tz';
// One function per module rather than the package index: the index loads some 300 modules, which
// every process that touches a date (the CLI, the scheduler, the benchmarks) would otherwise carry.
import { addMonths } from 'date-fns/addMonths';
import { format } from 'date-fns/format';
import { isValid } from 'date-fns/isValid';
import type { Clock } from './clock.ts';
import { invalidInput } from './errors.ts';

// Calendar dates are `YYYY-MM-DD` text everywhere. Arithmetic runs on UTC midnights so daylight-saving
// shifts in the server's zone can never move a due date; "today" is the one place a zone matters.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * One formatter per zone, made once: building a zoned date to format it cost 10 to 50 µs a call, and
 * every finding opened or escalation requested in a sweep asks for today.
 */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, f);
  }
  return f;
}

/** Today's calendar date where the organisation works, e.g. 2026-03-01 in Sydney while UTC is still Feb 28. */
export function todayIn(clock: Clock, timeZone: string): string {
  const now = clock.now();
  if (timeZone === 'UTC') return now.toISOString().slice(0, 10);
  let year = '';
  let month = '';
  let day = '';
  for (const part of dayFormat(timeZone).formatToParts(now)) {
    if (part.type === 'year') year = part.value.padStart(4, '0');
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return `${year}-${month}-${day}`;
}

/**
 * Today for a set of dependencies. The zone is optional so any `{ clock }` works; a deployment passes
 * BOT_TIMEZONE as `timeZone`, and without it the day turns at UTC midnight.
 */
export function todayOf(deps: { clock: Clock; timeZone?: string }): string {
  return todayIn(deps.clock, deps.timeZone ?? 'UTC');
}

export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = toUtcDate(value);
  return isValid(d) && d.getUTCDate() === Number(m[3]) && d.getUTCMonth() + 1 === Number(m[2]);
}

/** A user-typed date, checked: "2026-02-30" is refused, not rolled into March. */
export function requireIsoDate(value: string, label: string): string {
  const trimmed = value.trim();
  if (!isIsoDate(trimmed)) throw invalidInput(`${label} must be a date like 2026-03-31, not “${value}”.`);
  return trimmed;
}

function toUtcDate(iso: string): TZDate {
  const m = ISO_DATE.exec(iso);
  if (!m) throw new Error(`not a calendar date: ${iso}`);
  return new TZDate(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 'UTC');
}

function fromUtcDate(date: Date): string {
  return format(date, 'yyyy-MM-dd');
}

// Day arithmetic is plain integer math on UTC day numbers: exact, and fast enough for a sweep over
// every vendor or a posture lookup that runs on each request. Both conversions below avoid the regex
// and the Date object: a sweep makes several per vendor, and those were most of its planning time.
const DAY_MS = 86_400_000;
const DASH = 45;

/** The number in `iso` from `from` to `to` (exclusive), or -1 if any of it is not a digit. */
function digitsAt(iso: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const digit = iso.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

/**
 * Whole days since 1970-01-01 of a calendar date. Planners that step through many dates (the sweep's
 * reminder slots) compare and offset these integers and turn back into text only what they keep.
 */
export function dayNumber(iso: string): number {
  const year = digitsAt(iso, 0, 4);
  const month = digitsAt(iso, 5, 7);
  const day = digitsAt(iso, 8, 10);
  if (iso.length !== 10 || iso.charCodeAt(4) !== DASH || iso.charCodeAt(7) !== DASH || (year | month | day) < 0) {
    throw new Error(`not a calendar date: ${iso}`);
  }
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** The calendar date of a day number: the inverse of `dayNumber` (civil-from-days, proleptic Gregorian). */
export function isoOfDayNumber(days: number): string {
  const z = days + 719_468; // days since 0000-03-01, where 400-year eras begin
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const m = Math.floor((5 * dayOfYear + 2) / 153); // 0 is March
  const day = dayOfYear - Math.floor((153 * m + 2) / 5) + 1;
  const month = m < 10 ? m + 3 : m - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  // Four-digit years only; anything else is left to Date's own (expanded-year) formatting.
  if (year < 1000 || year > 9999) return new Date(days * DAY_MS).toISOString().slice(0, 10);
  return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

export function addDaysIso(iso: string, days: number): string {
  return isoOfDayNumber(dayNumber(iso) + days);
}

/**
 * Month arithmetic clamps to the month's end: Aug 31 + 6 months is Feb 28 (or 29). Integer math like
 * addDaysIso: a zoned Date per call was a tenth of a sweep's time (the posture schedule asks per document).
 */
export function addMonthsIso(iso: string, months: number): string {
  const year = digitsAt(iso, 0, 4);
  const month = digitsAt(iso, 5, 7);
  const day = digitsAt(iso, 8, 10);
  const valid = iso.length === 10 && iso.charCodeAt(4) === DASH && iso.charCodeAt(7) === DASH;
  const monthIndex = year * 12 + (month - 1) + months;
  const toYear = Math.floor(monthIndex / 12);
  const toMonth = monthIndex - toYear * 12;
  // Anything unusual (not a plain date, a fraction of a month, years Date.UTC reads as 19xx) the slow way.
  if (!valid || (year | month | day) < 0 || !Number.isInteger(months) || year < 1000 || toYear < 1000) {
    return fromUtcDate(addMonths(toUtcDate(iso), months));
  }
  // Day 0 of the next month is the last day of this one.
  const lastDay = new Date(Date.UTC(toYear, toMonth + 1, 0)).getUTCDate();
  return isoOfDayNumber(Date.UTC(toYear, toMonth, Math.min(day, lastDay)) / DAY_MS);
}

/** Whole days from `from` to `to`: positive when `to` is later. */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}
