// With `should_escape`, Slack rewrites what people type in a slash command: `@dana` arrives as
// `<@U123|dana>` (or `<@U123>`), `#risk` as `<#C123|risk>`, user groups as `<!subteam^S1|@sec>`,
// links as `<https://x|x>`, and & < > as HTML entities. Commands see neutral text instead.

const SLACK_REF = /<([@#!])?([^>|]*)(?:\|([^>]*))?>/g;

/** Turns Slack's escaped references into neutral tokens and plain text, then unescapes entities. */
export function neutralizeSlackRefs(text: string): string {
  let out = '';
  let consumed = 0;
  for (const match of text.matchAll(SLACK_REF)) {
    out += unescapeEntities(text.slice(consumed, match.index)) + neutral(match[1], match[2] ?? '', match[3]);
    consumed = match.index + match[0].length;
  }
  return out + unescapeEntities(text.slice(consumed));
}

function neutral(sigil: string | undefined, id: string, label: string | undefined): string {
  if (sigil === '@') return `<@slack:${id}|${clean(label) || id}>`;
  if (sigil === '#') return `<#slack:${id}|${clean(label) || id}>`;
  // `<!subteam^S1|@sec>`, `<!here>`, `<!channel>`: not a person we can act for; keep what was typed.
  if (sigil === '!') return unescapeEntities(label ?? `@${id.split('^')[0]}`);
  // A link: the command wants the address itself (evidence URLs), not Slack's display label.
  return unescapeEntities(id.startsWith('mailto:') ? id.slice('mailto:'.length) : id);
}

function clean(label: string | undefined): string {
  return unescapeEntities(label ?? '').replace(/[|>]/g, ' ');
}

function unescapeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
