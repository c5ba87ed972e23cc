import { ESCAPE_SOURCE, slackLiteral, undisguise } from '../chat/inert.ts';

// The neutral light Markdown (see src/chat/reply.ts) in Slack's two text flavours: mrkdwn for
// sections, fields and context, and plain text for headers, buttons, titles and labels.

// Every repetition is bounded or stops at the next opening character, so a hostile run of `[` or `<@`
// costs linear time; the last alternative is the escape `inert` writes (src/chat/inert.ts).
const TOKEN = new RegExp(
  [
    '`([^`\\n]{1,500})`',
    '<@([^|<>\\s]{1,100})\\|([^<>\\n]{0,200})>',
    '<#([^|<>\\s]{1,100})\\|([^<>\\n]{0,200})>',
    '\\[([^[\\]\\n]{1,300})\\]\\(([^()\\s]{1,1000})\\)',
    '\\*\\*([^\\n]{1,1000}?)\\*\\*',
    ESCAPE_SOURCE,
  ].join('|'),
  'g',
);
const SLACK_USER = /^slack:([UW][A-Z0-9]+)$/;
const SLACK_CHANNEL = /^slack:([CGD][A-Z0-9]+)$/;
const LINKABLE = /^(https?:\/\/|mailto:)/i;

/** Slack treats &, < and > as control characters in mrkdwn; everything that is not a token escapes them. */
export function escapeMrkdwn(text: string): string {
  return slackLiteral(undisguise(text));
}

/** `**bold**` -> `*bold*`, `[label](url)` -> `<url|label>`, `<@slack:U1|Dana>` -> `<@U1>`, rest escaped. */
export function toMrkdwn(text: string): string {
  return convert(text, (m) => {
    if (m[9] !== undefined) return escapeMrkdwn(m[9]);
    if (m[1] !== undefined) return `\`${escapeMrkdwn(m[1])}\``;
    if (m[2] !== undefined) {
      const user = SLACK_USER.exec(m[2]);
      return user ? `<@${user[1]}>` : escapeMrkdwn(m[3] ?? '');
    }
    if (m[4] !== undefined) {
      const channel = SLACK_CHANNEL.exec(m[4]);
      return channel ? `<#${channel[1]}>` : escapeMrkdwn(`#${m[5] ?? ''}`);
    }
    if (m[6] !== undefined) {
      const url = m[7] ?? '';
      if (!LINKABLE.test(url)) return escapeMrkdwn(m[0]);
      return `<${escapeMrkdwn(url).replace(/\|/g, '%7C')}|${escapeMrkdwn(m[6])}>`;
    }
    return `*${toMrkdwn(m[8] ?? '')}*`;
  });
}

/** For plain_text objects: mentions become printed names, links their labels, bold markers go. */
export function toPlain(text: string): string {
  return convert(
    text,
    (m) => {
      if (m[9] !== undefined) return m[9];
      if (m[1] !== undefined) return m[1];
      if (m[2] !== undefined) return m[3] || m[2];
      if (m[4] !== undefined) return `#${m[5] || m[4]}`;
      if (m[6] !== undefined) return m[6];
      return toPlain(m[8] ?? '');
    },
    undisguise,
  );
}

function convert(
  text: string,
  token: (match: RegExpMatchArray) => string,
  plain: (text: string) => string = escapeMrkdwn,
): string {
  let out = '';
  let consumed = 0;
  for (const match of text.matchAll(TOKEN)) {
    out += plain(text.slice(consumed, match.index)) + token(match);
    consumed = (match.index ?? 0) + match[0].length;
  }
  return out + plain(text.slice(consumed));
}
