import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/common/clock.ts';
import {
  addDaysIso,
  addMonthsIso,
  daysBetween,
  isIsoDate,
  requireIsoDate,
  todayIn,
  todayOf,
} from '../../src/core/common/dates.ts';

describe('todayIn', () => {
  it('gives the local date where it differs from the UTC date', () => {
    // 20:00 UTC on 28 Feb is already 1 March (07:00) in Sydney.
    const evening = new ManualClock('2026-02-28T20:00:00Z');
    expect(todayIn(evening, 'UTC')).toBe('2026-02-28');
    expect(todayIn(evening, 'Australia/Sydney')).toBe('2026-03-01');
    // 02:00 UTC on 1 Jan is still New Year's Eve in Los Angeles: the year differs too.
    const early = new ManualClock('2027-01-01T02:00:00Z');
    expect(todayIn(early, 'America/Los_Angeles')).toBe('2026-12-31');
    expect(todayIn(early, 'Europe/Berlin')).toBe('2027-01-01');
  });

  it('turns the day at UTC midnight when no zone is configured', () => {
    expect(todayOf({ clock: new ManualClock('2026-06-30T23:59:59Z') })).toBe('2026-06-30');
    expect(todayOf({ clock: new ManualClock('2026-06-30T23:59:59Z'), timeZone: 'Asia/Tokyo' })).toBe('2026-07-01');
  });
});

describe('calendar arithmetic', () => {
  it('adds days across month, leap-day and year ends', () => {
    expect(addDaysIso('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDaysIso('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDaysIso('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDaysIso('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDaysIso('2027-01-01', -1)).toBe('2026-12-31');
  });

  it('clamps months to the end of a shorter month', () => {
    expect(addMonthsIso('2025-08-31', 6)).toBe('2026-02-28');
    expect(addMonthsIso('2023-08-31', 6)).toBe('2024-02-29');
    expect(addMonthsIso('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonthsIso('2024-02-29', 48)).toBe('2028-02-29');
    expect(addMonthsIso('2026-10-31', 1)).toBe('2026-11-30');
  });

  it('counts whole days, not hours, across a daylight-saving change', () => {
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2026-12-31', '2026-12-01')).toBe(-30);
    expect(daysBetween('2025-01-01', '2026-01-01')).toBe(365);
  });

  it('refuses dates that do not exist instead of rolling them over', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-04-31')).toBe(false);
    expect(isIsoDate('31/03/2026')).toBe(false);
    expect(requireIsoDate(' 2026-03-31 ', 'Contract end')).toBe('2026-03-31');
    expect(() => requireIsoDate('2026-02-30', 'Contract end')).toThrow(
      'Contract end must be a date like 2026-03-31, not “2026-02-30”.',
    );
  });
});
