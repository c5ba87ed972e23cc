import { LIMITS, truncate } from './limits.ts';

// Slack refuses a message whose elements share an action_id, but a list of findings has one
// "Acknowledge" per finding. The renderer numbers repeats (`finding.ack#2`) and the app strips the
// number again before routing. Overflow menus carry the neutral action inside each option's value.

export const OVERFLOW_ACTION = '_more';
const SUFFIX = /#\d+$/;
const SEPARATOR = '|';

/** Hands out action ids that are unique within one message or view. */
export class ActionIds {
  #seen = new Map<string, number>();

  next(action: string): string {
    const base = truncate(action, LIMITS.actionId - 4);
    const count = (this.#seen.get(base) ?? 0) + 1;
    this.#seen.set(base, count);
    return count === 1 ? base : `${base}#${count}`;
  }
}

export function decodeActionId(actionId: string): string {
  return actionId.replace(SUFFIX, '');
}

/** An overflow option value naming its action, or null when the pair does not fit in one option. */
export function encodeOverflowValue(action: string, value: string): string | null {
  const encoded = `${action}${SEPARATOR}${value}`;
  return encoded.length <= LIMITS.optionValue ? encoded : null;
}

export function decodeOverflowValue(encoded: string): { action: string; value: string } {
  const at = encoded.indexOf(SEPARATOR);
  return at < 0 ? { action: encoded, value: '' } : { action: encoded.slice(0, at), value: encoded.slice(at + 1) };
}
