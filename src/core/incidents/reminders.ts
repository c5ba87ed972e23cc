import type { IncidentPolicy } from '../policy/policy.ts';

// When a running clock's reminders are due: at fractions of its window (50 %, 75 %, 90 % by default)
// and an hour before the deadline. Each slot has a name that goes into its trigger key, so a slot fires
// once for ever; after downtime only the latest due slot fires (the others were overtaken).

export interface ReminderSlot {
  /** `p50`, `p75`, `p90`, `h1`: part of the trigger key. */
  name: string;
  at: string;
}

export function reminderSlots(startsAt: string, deadline: string, policy: IncidentPolicy): ReminderSlot[] {
  const start = new Date(startsAt).getTime();
  const end = new Date(deadline).getTime();
  if (!(end > start)) return [];
  const slots = policy.reminderFractions
    .filter((f) => f > 0 && f < 1)
    .map((f) => ({ name: `p${Math.round(f * 100)}`, ms: start + (end - start) * f }));
  const hours = policy.reminderHoursBeforeDeadline;
  if (hours > 0) {
    const ms = end - hours * 3_600_000;
    if (ms > start) slots.push({ name: `h${hours}`, ms });
  }
  return slots
    .sort((a, b) => a.ms - b.ms)
    .filter((s, i, all) => i === 0 || s.name !== all[i - 1]?.name)
    .map((s) => ({ name: s.name, at: new Date(s.ms).toISOString() }));
}

/** The latest slot due at `now` (before the deadline), and whether earlier unfired slots were overtaken. */
export function dueSlot(
  slots: readonly ReminderSlot[],
  now: string,
  deadline: string,
): { slot: ReminderSlot; skipped: number } | null {
  if (now >= deadline) return null;
  const due = slots.filter((s) => s.at <= now);
  const slot = due.at(-1);
  return slot ? { slot, skipped: due.length - 1 } : null;
}
