import { parseUserRef } from '../../src/chat/refs.ts';
import { splitOptions } from '../../src/chat/tokenize.ts';
import { UserError } from '../../src/core/common/errors.ts';

// What every subcommand's parser needs beyond the tokenizer: options written the way people type
// them (`reason:"too broad"`, `owner: @dana`, a Teams mention with a space in the printed name),
// and one way to say "those words do not fit", which dispatch turns into the usage line.

export const badArguments = (message: string) => new UserError('bad_arguments', message);

// Double quotes only: an apostrophe inside a word (O'Brien) must not start a phrase.
const OPEN_QUOTES: Record<string, string> = { '"': '"', '“': '”' };

/** The key of a `key:value` token when it is one of `keys`, else null. */
function optionKey(token: string, keys: readonly string[]): string | null {
  const colon = token.indexOf(':');
  const key = colon > 0 ? token.slice(0, colon).toLowerCase() : '';
  return keys.includes(key) ? key : null;
}

/**
 * Re-joins what the tokenizer split but a person meant as one option: `reason:"a b c"` (a quote that
 * starts inside a word), `owner: @dana` (a space after the colon) and `<@teams:1|Dana Lee>` (a
 * mention whose printed name holds a space).
 */
export function joinOptionWords(words: readonly string[], keys: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    let word = words[i] ?? '';
    const key = optionKey(word, keys);
    if (key && word.length === key.length + 1 && i + 1 < words.length) word += words[++i];
    const value = key ? word.slice(key.length + 1) : word;
    const close = OPEN_QUOTES[value[0] ?? ''];
    if (close && !(value.length > 1 && value.endsWith(close))) {
      while (i + 1 < words.length && !word.endsWith(close)) word += ` ${words[++i]}`;
      if (!word.endsWith(close) || word.length - (key ? key.length + 1 : 0) < 2) {
        throw badArguments('A quotation mark is not closed.');
      }
    }
    while (/<[@#][^>]*$/.test(word) && i + 1 < words.length) word += ` ${words[++i]}`;
    out.push(unquote(word, key));
  }
  return out;
}

function unquote(word: string, key: string | null): string {
  const prefix = key ? word.slice(0, key.length + 1) : '';
  const value = word.slice(prefix.length);
  const close = OPEN_QUOTES[value[0] ?? ''];
  return close && value.length > 1 && value.endsWith(close) ? prefix + value.slice(1, -1) : word;
}

/** Positional words and `key:value` options; an empty option value is a mistake worth naming. */
export function readOptions(
  words: readonly string[],
  keys: readonly string[],
): { words: string[]; options: Map<string, string> } {
  const split = splitOptions(joinOptionWords(words, keys), keys);
  for (const [key, value] of split.options) {
    if (!value.trim()) throw badArguments(`\`${key}:\` needs a value.`);
  }
  return split;
}

/** Positional words as one vendor name: `posture Acme Health` and `posture "Acme Health"` agree. */
export function nameFrom(words: readonly string[], what = 'vendor'): string {
  const name = words.join(' ').trim();
  if (!name) throw badArguments(`Which ${what}? Please give its name.`);
  return name;
}

/** A comma-separated option value as a list: `data:PHI,PII`. */
export function listOption(value: string | undefined): string[] | undefined {
  return value === undefined
    ? undefined
    : value
        .split(/[,;]/)
        .map((v) => v.trim())
        .filter(Boolean);
}

/** A neutral person token (`<@slack:U1|dana>`) as its principal and the name it was typed with. */
export function personToken(token: string): { id: string; name: string } | null {
  const id = parseUserRef(token);
  if (!id) return null;
  const label = /\|([^>]*)>$/.exec(token.trim())?.[1]?.trim();
  return { id, name: label || id };
}
