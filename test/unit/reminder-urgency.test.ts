import { describe, expect, it } from 'vitest';
import { needsActionNow } from '../../src/core/messaging/reminder-urgency.ts';
import { DEFAULT_POLICY, type Policy } from '../../src/core/policy/policy.ts';

// Which reminders ask for action now (the vendor's own message) and which are heads-ups (the daily
// "Coming up" digest): by how far the item's date is, against the policy's thresholds.

const today = '2026-06-15';

describe('reminder urgency', () => {
  it('by default, a review due today or overdue is for now; one due tomorrow or later is a heads-up', () => {
    expect(needsActionNow('review', '2026-06-01', today, DEFAULT_POLICY)).toBe(true);
    expect(needsActionNow('review', today, today, DEFAULT_POLICY)).toBe(true);
    expect(needsActionNow('review', '2026-06-16', today, DEFAULT_POLICY)).toBe(false);
    expect(needsActionNow('review', '2026-07-15', today, DEFAULT_POLICY)).toBe(false);
  });

  it('by default, a document expiring within its window and a finding SLA still ahead are heads-ups; past them, now', () => {
    expect(needsActionNow('evidence', '2026-07-15', today, DEFAULT_POLICY)).toBe(false);
    expect(needsActionNow('evidence', '2026-06-16', today, DEFAULT_POLICY)).toBe(false);
    expect(needsActionNow('evidence', '2026-06-10', today, DEFAULT_POLICY)).toBe(true);
    expect(needsActionNow('finding', '2026-06-18', today, DEFAULT_POLICY)).toBe(false);
    expect(needsActionNow('finding', '2026-06-14', today, DEFAULT_POLICY)).toBe(true);
  });

  it('takes its thresholds from the policy, per kind of item', () => {
    const policy: Policy = { ...DEFAULT_POLICY, reminderActNowDays: { review: 7, evidence: 0, finding: 3 } };
    expect(needsActionNow('review', '2026-06-22', today, policy)).toBe(true);
    expect(needsActionNow('review', '2026-06-23', today, policy)).toBe(false);
    expect(needsActionNow('evidence', '2026-06-22', today, policy)).toBe(false);
    expect(needsActionNow('finding', '2026-06-18', today, policy)).toBe(true);
  });
});
