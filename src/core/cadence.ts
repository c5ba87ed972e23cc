import { addDaysIso, addMonthsIso } from './dates.ts';
import type { Policy } from './policy.ts';
import type { Severity, Tier } from './vocabulary.ts';

// When things fall due and when people are reminded. Pure: the scheduler asks these functions what is
// due on a day and records each fired slot by its key, so one reminder goes out per slot, ever.

/** One planned reminder. `key` is stable for a due date, so it can name a fired trigger. */
export interface ReminderSlot {
  key: string;
  on: string;
  /** Days from this slot to the due date: 30, 7, 1, 0 before; negative once overdue. */
  daysBefore: number;
}

export interface EvidenceSlot extends ReminderSlot {
  /** The expiry day itself: the evidence lapses and a finding opens. */
  opensFinding: boolean;
}

/** The next reassessment counts from the last completed review, by tier. */
export function nextReviewOn(lastReviewOn: string, tier: Tier, policy: Policy): string {
  return addMonthsIso(lastReviewOn, policy.reassessmentMonths[tier]);
}

/** A vendor with no completed review yet gets a first review soon after it is added. */
export function initialReviewOn(today: string, policy: Policy): string {
  return addDaysIso(today, policy.initialReviewDays);
}

function beforeSlots(dueOn: string, offsets: readonly number[], dueKey: string): ReminderSlot[] {
  return [...new Set(offsets)]
    .filter((d) => d >= 0)
    .sort((a, b) => b - a)
    .map((d) => ({ key: d === 0 ? dueKey : `before-${d}`, on: addDaysIso(dueOn, -d), daysBefore: d }));
}

/**
 * Review reminders for one due date: 30, 7 and 1 days before, the due day, then weekly while overdue
 * (`overdue-7`, `overdue-14`, ...). Overdue slots are listed up to `through` (usually today), since
 * they go on for as long as the review is not done. Sorted by date.
 */
export function reviewReminderSlots(dueOn: string, policy: Policy, through: string): ReminderSlot[] {
  const slots = beforeSlots(dueOn, policy.reminderOffsetsDays, 'due');
  const every = policy.overdueReminderEveryDays;
  if (every > 0) {
    for (let late = every; ; late += every) {
      const on = addDaysIso(dueOn, late);
      if (on > through) break;
      slots.push({ key: `overdue-${late}`, on, daysBefore: -late });
    }
  }
  return slots;
}

/**
 * The one slot to fire today, if any: the latest slot on or before today. After downtime, earlier
 * missed slots are skipped (nobody wants three stale reminders at once); `late` says it is not on time.
 */
export function latestDueSlot<S extends ReminderSlot>(
  slots: readonly S[],
  today: string,
): (S & { late: boolean }) | null {
  let latest: S | null = null;
  for (const slot of slots) {
    if (slot.on <= today && (latest === null || slot.on >= latest.on)) latest = slot;
  }
  return latest === null ? null : { ...latest, late: latest.on < today };
}

/** The day an overdue review asks for an escalation by itself. */
export function autoEscalationOn(dueOn: string, policy: Policy): string {
  return addDaysIso(dueOn, policy.autoEscalateAfterOverdueDays);
}

/** Evidence reminders 30, 7 and 1 days before expiry, then the expiry day, which opens a finding. */
export function evidenceReminderSlots(expiresOn: string, policy: Policy): EvidenceSlot[] {
  return [
    ...beforeSlots(
      expiresOn,
      policy.evidenceReminderDays.filter((d) => d > 0),
      'expired',
    ).map((s) => ({ ...s, opensFinding: false })),
    { key: 'expired', on: expiresOn, daysBefore: 0, opensFinding: true },
  ];
}

/** A finding's remediation due date, counted from the day it opened. */
export function slaDueOn(openedOn: string, severity: Severity, policy: Policy): string {
  return addDaysIso(openedOn, policy.findingSlaDays[severity]);
}

/** The day the assignee is reminded that the SLA is about to lapse. */
export function slaReminderOn(dueOn: string, policy: Policy): string {
  return addDaysIso(dueOn, -policy.slaReminderDays);
}
