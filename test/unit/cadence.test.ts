import { describe, expect, it } from 'vitest';
import {
  autoEscalationOn,
  evidenceReminderSlots,
  initialReviewOn,
  latestDueSlot,
  nextReviewOn,
  reviewReminderSlots,
  slaDueOn,
  slaReminderOn,
} from '../../src/core/policy/cadence.ts';
import { DEFAULT_POLICY as policy } from '../../src/core/policy/policy.ts';

describe('next review date', () => {
  it('follows the tier cadence from the last completed review', () => {
    expect(nextReviewOn('2026-01-15', 'critical', policy)).toBe('2026-07-15');
    expect(nextReviewOn('2026-01-15', 'high', policy)).toBe('2027-01-15');
    expect(nextReviewOn('2026-01-15', 'medium', policy)).toBe('2028-01-15');
    expect(nextReviewOn('2026-01-15', 'low', policy)).toBe('2029-01-15');
  });

  it('lands on the last day of February from the end of August and from a leap day', () => {
    expect(nextReviewOn('2025-08-31', 'critical', policy)).toBe('2026-02-28');
    expect(nextReviewOn('2027-08-31', 'critical', policy)).toBe('2028-02-29');
    expect(nextReviewOn('2024-02-29', 'high', policy)).toBe('2025-02-28');
  });

  it('gives a new vendor its first review 30 days after it is added', () => {
    expect(initialReviewOn('2026-12-15', policy)).toBe('2027-01-14');
  });
});

describe('review reminder slots', () => {
  it('plans 30, 7, 1 days before and the due day, across a month end', () => {
    expect(reviewReminderSlots('2026-03-01', policy, '2026-01-01')).toEqual([
      { key: 'before-30', on: '2026-01-30', daysBefore: 30 },
      { key: 'before-7', on: '2026-02-22', daysBefore: 7 },
      { key: 'before-1', on: '2026-02-28', daysBefore: 1 },
      { key: 'due', on: '2026-03-01', daysBefore: 0 },
    ]);
  });

  it('adds a weekly slot while overdue, up to today', () => {
    const slots = reviewReminderSlots('2024-02-29', policy, '2024-03-21');
    expect(slots.slice(4)).toEqual([
      { key: 'overdue-7', on: '2024-03-07', daysBefore: -7 },
      { key: 'overdue-14', on: '2024-03-14', daysBefore: -14 },
      { key: 'overdue-21', on: '2024-03-21', daysBefore: -21 },
    ]);
  });

  it('fires only the latest missed slot after downtime, marked late', () => {
    const slots = reviewReminderSlots('2026-12-31', policy, '2027-01-10');
    expect(latestDueSlot(slots, '2026-12-01')).toEqual({
      key: 'before-30',
      on: '2026-12-01',
      daysBefore: 30,
      late: false,
    });
    expect(latestDueSlot(slots, '2026-11-30')).toBeNull();
    // Down from 1 Dec to 10 Jan: before-7, before-1, due and overdue-7 were all missed; only overdue-7 fires.
    expect(latestDueSlot(slots, '2027-01-10')).toEqual({
      key: 'overdue-7',
      on: '2027-01-07',
      daysBefore: -7,
      late: true,
    });
  });

  it('asks for an escalation 14 days after the due date', () => {
    expect(autoEscalationOn('2026-12-20', policy)).toBe('2027-01-03');
  });
});

describe('evidence reminder slots', () => {
  it('reminds 30, 7 and 1 days before expiry and opens a finding on the expiry day', () => {
    expect(evidenceReminderSlots('2028-03-01', policy)).toEqual([
      { key: 'before-30', on: '2028-01-31', daysBefore: 30, opensFinding: false },
      { key: 'before-7', on: '2028-02-23', daysBefore: 7, opensFinding: false },
      { key: 'before-1', on: '2028-02-29', daysBefore: 1, opensFinding: false },
      { key: 'expired', on: '2028-03-01', daysBefore: 0, opensFinding: true },
    ]);
  });

  it('after downtime past expiry, only the expiry slot fires', () => {
    const slots = evidenceReminderSlots('2026-05-01', policy);
    expect(latestDueSlot(slots, '2026-05-20')).toMatchObject({ key: 'expired', late: true, opensFinding: true });
  });
});

describe('finding SLA', () => {
  it('counts 7/30/90/180 days by severity and reminds 3 days before', () => {
    expect(slaDueOn('2026-12-28', 'critical', policy)).toBe('2027-01-04');
    expect(slaDueOn('2024-02-01', 'high', policy)).toBe('2024-03-02');
    expect(slaDueOn('2026-01-01', 'medium', policy)).toBe('2026-04-01');
    expect(slaDueOn('2026-01-01', 'low', policy)).toBe('2026-06-30');
    expect(slaReminderOn('2026-03-02', policy)).toBe('2026-02-27');
  });
});
