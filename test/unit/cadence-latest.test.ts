import { describe, expect, it } from 'vitest';
import { addDaysIso } from '../../src/core/common/dates.ts';
import {
  autoEscalationOn,
  latestDueSlot,
  latestReviewSlot,
  reviewEscalationDue,
  reviewReminderSlots,
} from '../../src/core/policy/cadence.ts';
import { DEFAULT_POLICY, type Policy } from '../../src/core/policy/policy.ts';

// The sweep asks latestReviewSlot for the one reminder due today instead of listing every slot; it
// must pick exactly what the listed plan picks, for any policy a deployment may configure.

const policies: [string, Policy][] = [
  ['the default policy', DEFAULT_POLICY],
  [
    'offsets unsorted, repeated, negative, without the due day',
    { ...DEFAULT_POLICY, reminderOffsetsDays: [7, 45, -3, 7, 2], overdueReminderEveryDays: 10 },
  ],
  ['no overdue reminders', { ...DEFAULT_POLICY, overdueReminderEveryDays: 0 }],
  ['daily overdue reminders', { ...DEFAULT_POLICY, overdueReminderEveryDays: 1, autoEscalateAfterOverdueDays: 0 }],
  ['no reminders before the due date', { ...DEFAULT_POLICY, reminderOffsetsDays: [] }],
];

// Due dates across a leap day and a year end; "today" from well before to well after each.
const dueDates = ['2024-02-29', '2026-12-31', '2027-03-01'];

describe('latest review slot', () => {
  for (const [name, policy] of policies) {
    it(`picks what the full slot list picks, day by day, under ${name}`, () => {
      for (const dueOn of dueDates) {
        for (let offset = -60; offset <= 120; offset++) {
          const today = addDaysIso(dueOn, offset);
          const listed = latestDueSlot(reviewReminderSlots(dueOn, policy, today), today);
          expect(latestReviewSlot(dueOn, policy, today), `${dueOn} seen on ${today}`).toEqual(listed);
        }
      }
    });
  }

  it('names the weekly slot a long-overdue review is on, late after downtime', () => {
    expect(latestReviewSlot('2026-01-01', DEFAULT_POLICY, '2026-03-30')).toEqual({
      key: 'overdue-84',
      on: '2026-03-26',
      daysBefore: -84,
      late: true,
    });
  });
});

describe('review escalation due', () => {
  it('is due from the escalation day on, late only after it', () => {
    for (const dueOn of dueDates) {
      for (let offset = -5; offset <= 30; offset++) {
        const today = addDaysIso(dueOn, offset);
        const on = autoEscalationOn(dueOn, DEFAULT_POLICY);
        const expected = on <= today ? { late: on < today } : null;
        expect(reviewEscalationDue(dueOn, DEFAULT_POLICY, today), `${dueOn} seen on ${today}`).toEqual(expected);
      }
    }
  });
});
