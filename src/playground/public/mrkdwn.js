import { h } from './dom.js';

// Slack's mrkdwn as DOM nodes: *bold*, _italic_, ~strike~, `code`, ```preformatted```, > quotes,
// <@U1> mentions, <#C1> channels, <!here>, <https://x|links>, and the &amp; &lt; &gt; escapes. Links are
// only followed when they are http(s) or mailto. Everything else is text.

const INLINE = [
  { kind: 'code', re: /`([^`\n]+)`/ },
  { kind: 'ref', re: /<([^<>\n]+)>/ },
  { kind: 'b', re: /(?<![\p{L}\p{N}*])\*(?=\S)([^*\n]*?\S)\*(?![\p{L}\p{N}*])/u },
  { kind: 'i', re: /(?<![\p{L}\p{N}_])_(?=\S)([^_\n]*?\S)_(?![\p{L}\p{N}_])/u },
  { kind: 's', re: /(?<![\p{L}\p{N}~])~(?=\S)([^~\n]*?\S)~(?![\p{L}\p{N}~])/u },
];

const SAFE_LINK = /^(https?:\/\/|mailto:)/i;

export function unescapeEntities(text) {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** `names` resolves ids: { user(id) -> name, channel(id) -> name }. */
export function mrkdwn(text, names) {
  const out = document.createDocumentFragment();
  const parts = String(text).split(/```/);
  parts.forEach((part, i) => {
    if (i % 2 === 1) out.append(h('pre', { class: 'mk-pre' }, unescapeEntities(part.replace(/^\n/, ''))));
    else out.append(lines(part, names));
  });
  return out;
}

function lines(text, names) {
  const out = document.createDocumentFragment();
  const rows = text.split('\n');
  let quote = null;
  rows.forEach((row, i) => {
    const quoted = /^(>|&gt;)\s?/.exec(row);
    if (quoted) {
      if (!quote) {
        quote = h('blockquote', { class: 'mk-quote' });
        out.append(quote);
      } else quote.append(h('br'));
      quote.append(inline(row.slice(quoted[0].length), names));
      return;
    }
    quote = null;
    out.append(inline(row, names));
    if (i < rows.length - 1 && !/^(>|&gt;)/.test(rows[i + 1] ?? '')) out.append(h('br'));
  });
  return out;
}

export function inline(text, names) {
  const out = document.createDocumentFragment();
  let rest = text;
  while (rest) {
    let best = null;
    for (const pattern of INLINE) {
      const m = pattern.re.exec(rest);
      if (m && (best === null || m.index < best.m.index)) best = { kind: pattern.kind, m };
    }
    if (!best) break;
    out.append(unescapeEntities(rest.slice(0, best.m.index)));
    out.append(token(best.kind, best.m[1], names));
    rest = rest.slice(best.m.index + best.m[0].length);
  }
  out.append(unescapeEntities(rest));
  return out;
}

function token(kind, inner, names) {
  if (kind === 'code') return h('code', { class: 'mk-code' }, unescapeEntities(inner));
  if (kind === 'b') return h('strong', {}, inline(inner, names));
  if (kind === 'i') return h('em', {}, inline(inner, names));
  if (kind === 's') return h('s', {}, inline(inner, names));
  return reference(inner, names);
}

function reference(inner, names) {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? '' : unescapeEntities(inner.slice(bar + 1));
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return h('span', { class: 'mk-mention', dataset: { user: id } }, `@${names.user(id) ?? (label || id)}`);
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    return h('span', { class: 'mk-channel' }, `#${names.channel(id) ?? (label || id)}`);
  }
  if (target.startsWith('!')) {
    const special = target.slice(1).split('^')[0];
    return h('span', { class: 'mk-mention' }, label || `@${special}`);
  }
  const url = unescapeEntities(target);
  if (!SAFE_LINK.test(url)) return document.createTextNode(label || url);
  return h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, label || url);
}
