// Teams rejects a message over about 100 KB with 413 MessageSizeTooBig and advises staying under
// 80 KB; Adaptive Cards have no per-field limits of their own, so the ones here keep single texts
// readable and leave room for the rest of the card.

export type Json = Record<string, unknown>;

export const LIMITS = {
  cardBytes: 80_000,
  textBlock: 20_000,
  headerText: 200,
  factTitle: 200,
  factValue: 4_000,
  buttonTitle: 80,
  summary: 500,
  inputLabel: 500,
  choiceTitle: 200,
} as const;

/** The size Teams counts: the serialized card, in bytes. */
export function cardBytes(card: unknown): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

const ELLIPSIS = '…';

/** Cuts `text` to at most `max` characters ending in an ellipsis, never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - ELLIPSIS.length;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}${ELLIPSIS}`;
}
