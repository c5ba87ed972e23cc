import { UserError } from '../core/common/errors.ts';

/**
 * Splits command text into words, keeping quoted phrases whole ("Acme CRO", 'Acme CRO', “Acme CRO”),
 * so vendor names with spaces work the way people type them in Slack and Teams.
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  // Platform references (<@U1|dana>, <#C1|risk>, <@teams:abc|Dana Lee>) stay one word even with spaces.
  const pattern = /"([^"]*)"|'([^']*)'|“([^”]*)”|‘([^’]*)’|(<[^>]*>|\S+)/g;
  let consumed = 0;
  for (const match of text.matchAll(pattern)) {
    const between = text.slice(consumed, match.index);
    if (/["“”]/.test(between)) throw new UserError('bad_arguments', 'A quotation mark is not closed.');
    tokens.push(match[1] ?? match[2] ?? match[3] ?? match[4] ?? match[5] ?? '');
    consumed = (match.index ?? 0) + match[0].length;
  }
  if (/["“”]/.test(text.slice(consumed))) throw new UserError('bad_arguments', 'A quotation mark is not closed.');
  return tokens;
}

/** Splits `key:value` options from positional words; keys are lower-cased, values kept as typed. */
export function splitOptions(
  tokens: string[],
  keys: readonly string[],
): { words: string[]; options: Map<string, string> } {
  const words: string[] = [];
  const options = new Map<string, string>();
  for (const token of tokens) {
    const colon = token.indexOf(':');
    const key = colon > 0 ? token.slice(0, colon).toLowerCase() : '';
    if (keys.includes(key)) {
      if (options.has(key)) throw new UserError('bad_arguments', `\`${key}:\` is given twice.`);
      options.set(key, token.slice(colon + 1));
    } else {
      words.push(token);
    }
  }
  return { words, options };
}
