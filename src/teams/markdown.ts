import { ESCAPE_SOURCE, teamsLiteral, undisguise } from '../chat/inert.ts';

// The neutral light Markdown (see src/chat/reply.ts) as Teams' Adaptive Card Markdown. Teams already
// reads **bold**, _italic_ and [label](url) the same way, so those pass through; inline code has no
// Teams form and keeps only its text; mentions of Teams people become real `<at>` mentions (with an
// entity on the card, which Teams needs to draw and notify them), anyone else their printed name.

// Bounded like Slack's (src/slack/mrkdwn.ts). Bold and italic are tokens here too, so that everything
// else can be made literal: Teams would otherwise read Markdown in any text, a signal's included.
const TOKEN = new RegExp(
  [
    '`([^`\\n]{1,500})`',
    '<@([^|<>\\s]{1,100})\\|([^<>\\n]{0,200})>',
    '<#([^|<>\\s]{1,100})\\|([^<>\\n]{0,200})>',
    '\\[([^[\\]\\n]{1,300})\\]\\(([^()\\s]{1,1000})\\)',
    '\\*\\*([^\\n]{1,1000}?)\\*\\*',
    '(?<![\\w\\\\])_([^_\\n]{1,300})_(?!\\w)',
    ESCAPE_SOURCE,
  ].join('|'),
  'g',
);
const TEAMS_PERSON = /^teams:([0-9a-fA-F-]{36})$/;
const LINKABLE = /^(https?:\/\/|mailto:)/i;

/** An Adaptive Card mention entity; Teams accepts an Entra object id as `mentioned.id` on cards. */
export interface MentionEntity {
  type: 'mention';
  text: string;
  mentioned: { id: string; name: string };
}

/** Collects the mentions used on one card so each `<at>Name</at>` has its entity once. */
export class Mentions {
  readonly #entities = new Map<string, MentionEntity>();

  add(aadObjectId: string, name: string): string {
    const text = `<at>${name}</at>`;
    const key = `${aadObjectId}\u0000${text}`;
    if (!this.#entities.has(key)) {
      this.#entities.set(key, { type: 'mention', text, mentioned: { id: aadObjectId, name } });
    }
    return text;
  }

  list(): MentionEntity[] {
    return [...this.#entities.values()];
  }
}

/** Neutral text as Teams Markdown; `mentions` receives the people it mentions (null: printed names). */
export function toTeamsMarkdown(text: string, mentions: Mentions | null): string {
  return convert(
    text,
    (m) => {
      if (m[1] !== undefined) return teamsLiteral(m[1]);
      if (m[2] !== undefined) {
        const name = teamsLiteral((m[3] ?? '').trim() || m[2]);
        const person = TEAMS_PERSON.exec(m[2]);
        return person?.[1] && mentions ? mentions.add(person[1], name) : `**${name}**`;
      }
      if (m[4] !== undefined) return teamsLiteral(`#${m[5] || m[4]}`);
      if (m[8] !== undefined) return `**${toTeamsMarkdown(m[8], mentions)}**`;
      if (m[9] !== undefined) return `_${toTeamsMarkdown(m[9], mentions)}_`;
      const url = m[7] ?? '';
      return LINKABLE.test(url) ? `[${teamsLiteral(m[6] ?? '')}](${url})` : teamsLiteral(m[6] ?? '');
    },
    teamsLiteral,
  );
}

/** For titles, labels and button text: no markup at all, and nothing Teams could read as markup. */
export function toPlain(text: string): string {
  return convert(
    text,
    (m) => {
      if (m[1] !== undefined) return m[1];
      if (m[2] !== undefined) return (m[3] ?? '').trim() || m[2];
      if (m[4] !== undefined) return `#${m[5] || m[4]}`;
      if (m[8] !== undefined) return toPlain(m[8]);
      if (m[9] !== undefined) return toPlain(m[9]);
      return m[6] ?? '';
    },
    undisguise,
  );
}

/** Plain text and escaped characters gather into one literal run, so `plain` sees pairs like `](` whole. */
function convert(text: string, token: (match: RegExpMatchArray) => string, plain: (text: string) => string): string {
  let out = '';
  let literal = '';
  let consumed = 0;
  for (const match of text.matchAll(TOKEN)) {
    literal += text.slice(consumed, match.index);
    consumed = (match.index ?? 0) + match[0].length;
    if (match[10] !== undefined) {
      literal += match[10];
      continue;
    }
    out += plain(literal) + token(match);
    literal = '';
  }
  return out + plain(literal + text.slice(consumed));
}
