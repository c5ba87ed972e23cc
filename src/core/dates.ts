import { TZDate, tz } from '@date-fns/tz';
import { addMonths, format, isValid } from 'date-fns';
import type { Clock } from './clock.ts';
import { invalidInput } from './errors.ts';

// Calendar dates are `YYYY-MM-DD` text everywhere. Arithmetic runs on UTC midnights so daylight-saving
// shifts in the server's zone can never move a due date; "today" is the one place a zone matters.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Today's calendar date where the organisation works, e.g. 2026-03-01 in Sydney while UTC is still Feb 28. */
export function todayIn(clock: Clock, timeZone: string): string {
  return format(clock.now(), 'yyyy-MM-dd', { in: tz(timeZone) });
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
// every vendor or a posture lookup that runs on each request.
const DAY_MS = 86_400_000;

function dayNumber(iso: string): number {
  const m = ISO_DATE.exec(iso);
  if (!m) throw new Error(`not a calendar date: ${iso}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

export function addDaysIso(iso: string, days: number): string {
  return new Date((dayNumber(iso) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** Month arithmetic clamps to the month's end: Aug 31 + 6 months is Feb 28 (or 29). */
export function addMonthsIso(iso: string, months: number): string {
  return fromUtcDate(addMonths(toUtcDate(iso), months));
}

/** Whole days from `from` to `to`: positive when `to` is later. */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** The calendar date (UTC) of an ISO timestamp, for comparing stored instants with due dates. */
export function isoDateOf(timestamp: string): string {
  return timestamp.slice(0, 10);
}
