// The neutral light Markdown (see src/chat/reply.ts) as Teams' Adaptive Card Markdown. Teams already
// reads **bold**, _italic_ and [label](url) the same way, so those pass through; inline code has no
// Teams form and keeps only its text; mentions of Teams people become real `<at>` mentions (with an
// entity on the card, which Teams needs to draw and notify them), anyone else their printed name.

const TOKEN = /`([^`\n]+)`|<@([^|>]+)\|([^>]*)>|<#([^|>]+)\|([^>]*)>|\[([^\]\n]+)\]\(([^)\s]+)\)/g;
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
  return convert(text, (m) => {
    if (m[1] !== undefined) return m[1];
    if (m[2] !== undefined) {
      const name = (m[3] ?? '').trim() || m[2];
      const person = TEAMS_PERSON.exec(m[2]);
      return person?.[1] && mentions ? mentions.add(person[1], name) : `**${name}**`;
    }
    if (m[4] !== undefined) return `#${m[5] || m[4]}`;
    const url = m[7] ?? '';
    return LINKABLE.test(url) ? `[${m[6]}](${url})` : (m[6] ?? '');
  });
}

/** For titles, labels and button text, which Teams shows without Markdown. */
export function toPlain(text: string): string {
  const tokens = convert(text, (m) => {
    if (m[1] !== undefined) return m[1];
    if (m[2] !== undefined) return (m[3] ?? '').trim() || m[2];
    if (m[4] !== undefined) return `#${m[5] || m[4]}`;
    return m[6] ?? '';
  });
  return tokens.replace(/\*\*(.+?)\*\*/g, '$1').replace(/(^|\W)_([^_\n]+)_(?=\W|$)/g, '$1$2');
}

function convert(text: string, token: (match: RegExpMatchArray) => string): string {
  let out = '';
  let consumed = 0;
  for (const match of text.matchAll(TOKEN)) {
    out += text.slice(consumed, match.index) + token(match);
    consumed = (match.index ?? 0) + match[0].length;
  }
  return out + text.slice(consumed);
}
