import { describe, expect, it } from 'vitest';
import { addDaysIso, dayNumber, isoOfDayNumber } from '../../src/core/common/dates.ts';

// Day numbers are what the scheduler plans with; they must agree with the calendar for every day.

const viaDate = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

describe('day numbers', () => {
  it('count from 1970-01-01', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('1969-12-31')).toBe(-1);
    expect(dayNumber('2000-03-01')).toBe(11_017);
  });

  it('turn back into the same date for every day from 1800 to 2400, leap and century years included', () => {
    for (let day = dayNumber('1800-01-01'); day <= dayNumber('2400-12-31'); day++) {
      const iso = isoOfDayNumber(day);
      if (iso !== viaDate(day)) expect(iso).toBe(viaDate(day));
      if (dayNumber(iso) !== day) expect(dayNumber(iso)).toBe(day);
    }
    expect(isoOfDayNumber(dayNumber('2100-02-28') + 1)).toBe('2100-03-01');
    expect(isoOfDayNumber(dayNumber('2000-02-28') + 1)).toBe('2000-02-29');
  });

  it('format years outside four digits as Date does', () => {
    expect(isoOfDayNumber(dayNumber('1000-01-01') - 1)).toBe('0999-12-31');
    expect(addDaysIso('0500-06-15', 1)).toBe('0500-06-16');
  });

  it('refuse text that is not a calendar date', () => {
    for (const bad of ['2026-3-01', '2026/03/01', '2026-03-01T00:00', 'abcd-ef-gh', '', '20260301', ' 2026-03-01']) {
      expect(() => dayNumber(bad), bad).toThrow(/not a calendar date/);
    }
  });
});
