import { SYSTEM_ACTOR } from '../../core/common/actor.ts';
import { daysBetween } from '../../core/common/dates.ts';
import { formatUtc } from '../../core/findings/text.ts';
import { mention } from '../reply.ts';

// Small pieces of wording every notification view shares, so a due date or a person reads the same
// on a card, in a reminder and on the Home tab.

export { formatUtc };

/** `high` -> `High`. */
export function capitalize(word: string): string {
  return word ? `${word[0]?.toUpperCase()}${word.slice(1)}` : word;
}

/** How far a due date is from today: "due in 7 days", "due today", "overdue by 14 days". */
export function dueWording(today: string, dueOn: string): string {
  const days = daysBetween(today, dueOn);
  if (days === 0) return 'due today';
  if (days > 0) return `due in ${days} ${days === 1 ? 'day' : 'days'}`;
  return `overdue by ${-days} ${days === -1 ? 'day' : 'days'}`;
}

/** The note on a reminder that fires after downtime, later than it was planned. */
export const LATE_NOTE = 'This reminder is late: it was delayed while the bot was offline.';

/**
 * A person as a mention (platforms draw their current name) carrying the printed name we know, so
 * renderers without mentions still show a name. The bot itself is never a mention.
 */
export function person(principal: string | null, name: string | null): string {
  if (!principal) return 'nobody';
  if (principal === SYSTEM_ACTOR.id) return SYSTEM_ACTOR.name;
  return mention(principal, name ?? principal);
}

/** A printed name for plain-text fallbacks and signatures: never a mention token. */
export function printedName(principal: string | null, name: string | null): string {
  if (principal === SYSTEM_ACTOR.id) return SYSTEM_ACTOR.name;
  return name ?? principal ?? 'nobody';
}
