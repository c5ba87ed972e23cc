// What one reminder message is about: the review, documents and findings of one vendor (and the
// reassessment a person asked for). The vendor's live message and the person's daily digest both
// carry these, merged as reminders arrive through the day.

export interface ReminderItems {
  /** The review due date the reminder is about; null when it is not about the review. */
  reviewDueOn: string | null;
  evidenceIds: number[];
  findingIds: number[];
  /** The reassessment a person asked for, when the live message began as its prompt. */
  assessmentId?: number;
}

export const NO_ITEMS: ReminderItems = { reviewDueOn: null, evidenceIds: [], findingIds: [] };

const union = (a: readonly number[], b: readonly number[] = []) => [...new Set([...a, ...b])].sort((x, y) => x - y);

export function mergeItems(a: ReminderItems, b: Partial<ReminderItems>): ReminderItems {
  const merged: ReminderItems = {
    reviewDueOn: b.reviewDueOn ?? a.reviewDueOn,
    evidenceIds: union(a.evidenceIds, b.evidenceIds),
    findingIds: union(a.findingIds, b.findingIds),
  };
  const assessmentId = b.assessmentId ?? a.assessmentId;
  return assessmentId === undefined ? merged : { ...merged, assessmentId };
}

/** Whether a set of items asks about anything at all. */
export const hasItems = (items: Partial<ReminderItems>): boolean =>
  (items.reviewDueOn ?? null) !== null ||
  (items.evidenceIds?.length ?? 0) > 0 ||
  (items.findingIds?.length ?? 0) > 0 ||
  items.assessmentId !== undefined;
