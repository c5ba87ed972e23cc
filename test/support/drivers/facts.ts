import type { CardFacts } from '../../scenarios/driver.ts';

// What both platforms' readers share: plain text without emphasis, and the facts summed up into one
// searchable text. Each platform's own markup is undone in its reader before this.

/** Drops emphasis and code marks, which read the same on both platforms once drawn. */
export function withoutEmphasis(text: string): string {
  return text
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/\*([^*\n]+)\*/g, '$1')
    .replace(/(^|\W)_([^_\n]+)_(?=\W|$)/g, '$1$2')
    .replace(/`/g, '');
}

export function emptyFacts(): CardFacts {
  return { title: null, lines: [], fields: {}, buttons: [], context: [], all: '' };
}

/** Fills in `all`: title, lines, fields as "Label: value", context and buttons, one per line. */
export function summed(facts: CardFacts): CardFacts {
  const fields = Object.entries(facts.fields).map(([label, value]) => `${label}: ${value}`);
  const all = [facts.title ?? '', ...facts.lines, ...fields, ...facts.context, ...facts.buttons]
    .filter((line) => line !== '')
    .join('\n');
  return { ...facts, all };
}
