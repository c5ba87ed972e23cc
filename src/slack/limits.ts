// Block Kit limits (Slack's reference and @slack/types). Slack rejects a whole message when one
// string is a character too long, so the renderers cut to these instead of failing.

export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  messageText: 40_000,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  overflowOptions: 5,
  optionText: 75,
  // @slack/types says 75 and Slack's web page says 150: design for the smaller.
  optionValue: 75,
  selectOptions: 100,
  radioOptions: 10,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  plainTextInput: 3000,
} as const;

const ELLIPSIS = '…';

/**
 * Cuts `text` to at most `max` characters ending in an ellipsis. Never leaves half a Slack token
 * (`<@U1>`, `<url|label>`), half an entity (`&amp;`) or half a surrogate pair behind.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${safeCut(text, max - ELLIPSIS.length)}${ELLIPSIS}`;
}

/** Splits mrkdwn into pieces of at most `max` characters, at line ends or spaces when it can. */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let piece = safeCut(rest, max);
    const breakAt = Math.max(piece.lastIndexOf('\n'), piece.lastIndexOf(' '));
    if (breakAt > max / 2) piece = piece.slice(0, breakAt);
    pieces.push(piece);
    rest = rest.slice(piece.length).replace(/^[\n ]/, '');
  }
  if (rest.length > 0 || pieces.length === 0) pieces.push(rest);
  return pieces;
}

function safeCut(text: string, length: number): string {
  let cut = text.slice(0, Math.max(0, length));
  const open = cut.lastIndexOf('<');
  if (open > cut.lastIndexOf('>')) cut = cut.slice(0, open);
  const amp = cut.lastIndexOf('&');
  if (amp > cut.lastIndexOf(';') && cut.length - amp < 6) cut = cut.slice(0, amp);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut;
}
