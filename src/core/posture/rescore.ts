import type { EvidenceRow } from '../../store/tables.ts';
import type { Questionnaire } from '../assessments/questionnaire.ts';
import { canonicalJson, sha256 } from '../common/canonical.ts';
import { addDaysIso, addMonthsIso } from '../common/dates.ts';
import type { Policy, RequiredEvidenceRule } from '../policy/policy.ts';

// When a vendor's score can change with none of its inputs changing: the score reads the calendar
// only through dates (a review falling overdue the day after it was due, a document expiring on its
// expiry day, a required document growing older than the policy allows). Until the earliest of those
// days, scoring the same inputs again gives the same score, so the daily sweep can carry yesterday's
// snapshot forward instead of scoring the vendor again.

/** Scored again at the next sweep: an input changed. Database triggers write it (migration 0024). */
export const RESCORE_NOW = '0000-00-00';
/** As RESCORE_NOW, once a sweep's dated triggers have looked at the change. */
export const RESCORE_SEEN = '0000-00-01';
/** Never scored again by the calendar alone: out of service, or no date in its inputs lies ahead. */
export const RESCORE_NEVER = '9999-12-31';

/** The first day after `today` on which a document issued on `issuedOn` is older than `months`. */
function firstDayTooOld(issuedOn: string, months: number, today: string): string {
  const tomorrow = addDaysIso(today, 1);
  const near = addDaysIso(addMonthsIso(issuedOn, months), -4);
  // Month arithmetic clamps at month ends, so step day by day from just before the anniversary.
  let day = tomorrow;
  if (near > day) day = near;
  while (!(issuedOn < addMonthsIso(day, -months))) day = addDaysIso(day, 1);
  return day;
}

/**
 * Pure: the first day after `today` on which the score of a vendor with these dated inputs may differ
 * from today's although nothing was recorded; RESCORE_NEVER when no such day lies ahead.
 */
export function nextDatedChange(
  today: string,
  nextReviewOn: string | null,
  evidence: readonly Pick<EvidenceRow, 'type' | 'issued_on' | 'expires_on'>[],
  rules: readonly RequiredEvidenceRule[],
): string {
  let first = RESCORE_NEVER;
  const consider = (day: string) => {
    if (day > today && day < first) first = day;
  };
  // Overdue from the day after the due date.
  if (nextReviewOn) consider(addDaysIso(nextReviewOn, 1));
  for (const doc of evidence) {
    // Expired on its expiry day, for the evidence status and the required-evidence rules alike.
    consider(doc.expires_on);
    if (doc.issued_on === null || doc.expires_on <= today) continue;
    for (const rule of rules) {
      if (rule.maxAgeMonths === null || !(rule.anyOf as readonly string[]).includes(doc.type)) continue;
      if (doc.issued_on < addMonthsIso(today, -rule.maxAgeMonths)) continue;
      consider(firstDayTooOld(doc.issued_on, rule.maxAgeMonths, today));
    }
  }
  return first;
}

/**
 * What the scores were computed under: a changed policy or questionnaire (a new deployment setting)
 * makes every stored score stale, and the next sweep scores every vendor again.
 */
export function scoringFingerprint(policy: Policy, questionnaire: Questionnaire): string {
  return sha256(canonicalJson({ policy, questionnaire }));
}
