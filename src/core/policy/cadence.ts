import { addDaysIso, addMonthsIso, dayNumber, isoOfDayNumber } from '../common/dates.ts';
import type { Severity, Tier } from '../common/vocabulary.ts';
import type { Policy } from './policy.ts';

// When things fall due and when people are reminded. Pure: the scheduler asks these functions what is
// due on a day and records each fired slot by its key, so one reminder goes out per slot, ever.
// Month steps (the review cadence) go through date-fns for its month-end and leap-day rules; offsets
// in days are integer arithmetic on day numbers, turned back into dates only for the slots returned.

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

function beforeSlots(due: number, offsets: readonly number[], dueKey: string): ReminderSlot[] {
  return [...new Set(offsets)]
    .filter((d) => d >= 0)
    .sort((a, b) => b - a)
    .map((d) => ({ key: d === 0 ? dueKey : `before-${d}`, on: isoOfDayNumber(due - d), daysBefore: d }));
}

/**
 * Review reminders for one due date: 30, 7 and 1 days before, the due day, then weekly while overdue
 * (`overdue-7`, `overdue-14`, ...). Overdue slots are listed up to `through` (usually today), since
 * they go on for as long as the review is not done. Sorted by date.
 */
export function reviewReminderSlots(dueOn: string, policy: Policy, through: string): ReminderSlot[] {
  const due = dayNumber(dueOn);
  const slots = beforeSlots(due, policy.reminderOffsetsDays, 'due');
  const every = policy.overdueReminderEveryDays;
  if (every > 0) {
    const lastLate = dayNumber(through) - due;
    for (let late = every; late <= lastLate; late += every) {
      slots.push({ key: `overdue-${late}`, on: isoOfDayNumber(due + late), daysBefore: -late });
    }
  }
  return slots;
}

/**
 * The review reminder to fire today: exactly `latestDueSlot(reviewReminderSlots(dueOn, policy, today),
 * today)`, worked out directly. The sweep asks this for every vendor near or past its due date, so it
 * builds one slot instead of listing each one (a long-overdue review has dozens of weekly slots).
 */
export function latestReviewSlot(
  dueOn: string,
  policy: Policy,
  today: string,
): (ReminderSlot & { late: boolean }) | null {
  const due = dayNumber(dueOn);
  const daysLate = dayNumber(today) - due;
  const every = policy.overdueReminderEveryDays;
  // Overdue by a week or more: the latest weekly slot, later than any slot before the due date.
  if (every > 0 && daysLate >= every) {
    const late = daysLate - (daysLate % every);
    return { key: `overdue-${late}`, on: isoOfDayNumber(due + late), daysBefore: -late, late: late < daysLate };
  }
  // Otherwise the slot before (or on) the due date nearest to it that has come: the smallest offset
  // whose day is not after today.
  let nearest: number | null = null;
  for (const d of policy.reminderOffsetsDays) {
    if (d >= 0 && d >= -daysLate && (nearest === null || d < nearest)) nearest = d;
  }
  if (nearest === null) return null;
  return {
    key: nearest === 0 ? 'due' : `before-${nearest}`,
    on: isoOfDayNumber(due - nearest),
    daysBefore: nearest,
    late: nearest > -daysLate,
  };
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

/**
 * Whether a review due on `dueOn` has reached its automatic escalation by `today` (on or after
 * `autoEscalationOn`), and whether `today` is past that day; null before it. Counted in days.
 */
export function reviewEscalationDue(dueOn: string, policy: Policy, today: string): { late: boolean } | null {
  const pastEscalationDay = dayNumber(today) - dayNumber(dueOn) - policy.autoEscalateAfterOverdueDays;
  return pastEscalationDay >= 0 ? { late: pastEscalationDay > 0 } : null;
}

/** Evidence reminders 30, 7 and 1 days before expiry, then the expiry day, which opens a finding. */
export function evidenceReminderSlots(expiresOn: string, policy: Policy): EvidenceSlot[] {
  return [
    ...beforeSlots(
      dayNumber(expiresOn),
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
