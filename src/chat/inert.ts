// Untrusted text is inert. Values that come from people or signals (vendor names, titles, summaries,
// answers, reasons, details) are written into the neutral light Markdown with `inert`, so only tokens
// the code builds can mention, link or broadcast. Both renderers read the escapes back as literal
// characters, made literal again for their platform (`slackLiteral`, `teamsLiteral`). Every pattern
// here is bounded or single-character, so matching stays linear in the input.

/** Bidirectional overrides and isolates, and other invisible format characters that disguise text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes.
const DISGUISE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** The characters that can open a neutral token (code, mention, channel, link, bold, italic). */
const MARKUP = /[\\`*_<[]/g;

/** The neutral escape, as every renderer's token list reads it (a backslash and one character). */
export const ESCAPE_SOURCE = String.raw`\\([\\\x60*_<>[\]()#|~{}&])`;

/** One untrusted value as neutral text that renders exactly as written, and never as markup. */
export function inert(value: string | null | undefined): string {
  if (!value) return '';
  return value.replace(DISGUISE, '').replace(MARKUP, (c) => `\\${c}`);
}

/** An untrusted value for a title or a one-line list entry: inert, on one line, cut at `max` characters. */
export function inertTitle(value: string | null | undefined, max = 120): string {
  const line = (value ?? '').replace(DISGUISE, '').replace(/\s+/g, ' ').trim();
  return inert(line.length > max ? `${line.slice(0, max - 1)}…` : line);
}

/** Removes the disguising characters from text already rendered (fallbacks, plain-text titles). */
export function undisguise(text: string): string {
  return text.replace(DISGUISE, '');
}

/** A character that must stay literal in Slack mrkdwn (&, < and > are Slack's control characters). */
export function slackLiteral(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const WORD_JOINER = '\u2060';

/**
 * Text that must stay literal in Teams' Adaptive Card Markdown, which has no reliable escape. A word
 * joiner (invisible) splits each pair that would open markup: `](` of a link or image, `<` of a tag
 * such as `<at>` or an autolink, `**` of bold, `_` opening italics, `{{` of a DATE/TIME function.
 * Each pattern looks at one or two characters, so this is linear too.
 */
export function teamsLiteral(text: string): string {
  return undisguise(text)
    .replace(/\](?=\()/g, `]${WORD_JOINER}`)
    .replace(/<(?=[A-Za-z/!@?])/g, `<${WORD_JOINER}`)
    .replace(/\*(?=\*)/g, `*${WORD_JOINER}`)
    .replace(/(?<![A-Za-z0-9])_(?=\S)/g, `_${WORD_JOINER}`)
    .replace(/\{(?=\{)/g, `{${WORD_JOINER}`);
}
