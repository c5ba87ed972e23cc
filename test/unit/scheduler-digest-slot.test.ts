import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/core/policy/policy.ts';
import { digestSlot } from '../../src/scheduler/digest-trigger.ts';

// The weekly digest is due on Monday at 09:00 where the organisation works, across daylight-saving
// changes, and a sweep that runs before the hour still belongs to last week's digest.

const monday9 = DEFAULT_POLICY.digest;
const slot = (now: string, zone: string, digest = monday9) => {
  const s = digestSlot(new Date(now), zone, digest);
  return { weekOf: s.weekOf, at: s.at.toISOString(), late: s.late };
};

describe('digestSlot', () => {
  it('is Monday 09:00 local time, before and after the spring clock change in Berlin', () => {
    // 2026-03-23 is in winter time (UTC+1); 2026-03-30 is the day after the change (UTC+2).
    expect(slot('2026-03-23T08:00:00Z', 'Europe/Berlin')).toEqual({
      weekOf: '2026-03-23',
      at: '2026-03-23T08:00:00.000Z',
      late: false,
    });
    expect(slot('2026-03-30T07:00:00Z', 'Europe/Berlin')).toEqual({
      weekOf: '2026-03-30',
      at: '2026-03-30T07:00:00.000Z',
      late: false,
    });
  });

  it('belongs to last week until the hour strikes, and is late an hour after it', () => {
    expect(slot('2026-03-30T06:59:59Z', 'Europe/Berlin')).toMatchObject({ weekOf: '2026-03-23', late: true });
    expect(slot('2026-03-30T07:59:59Z', 'Europe/Berlin')).toMatchObject({ weekOf: '2026-03-30', late: false });
    expect(slot('2026-03-30T08:00:00Z', 'Europe/Berlin')).toMatchObject({ weekOf: '2026-03-30', late: true });
    // Sunday evening still belongs to the Monday before.
    expect(slot('2026-04-05T20:00:00Z', 'Europe/Berlin')).toMatchObject({ weekOf: '2026-03-30', late: true });
  });

  it('follows the local calendar when UTC is still on Sunday', () => {
    // 21:30 UTC on Sunday 14 June is 09:30 on Monday 15 June in Auckland (UTC+12).
    expect(slot('2026-06-14T21:30:00Z', 'Pacific/Auckland')).toEqual({
      weekOf: '2026-06-15',
      at: '2026-06-14T21:00:00.000Z',
      late: false,
    });
  });

  it('honours another weekday and hour from the policy, across a year end', () => {
    const friday5pm = { isoWeekday: 5, hour: 17 };
    expect(slot('2027-01-01T16:30:00Z', 'UTC', friday5pm)).toMatchObject({ weekOf: '2026-12-25', late: true });
    expect(slot('2027-01-01T17:00:00Z', 'UTC', friday5pm)).toMatchObject({ weekOf: '2027-01-01', late: false });
  });
});
