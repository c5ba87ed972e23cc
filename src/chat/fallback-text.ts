import type { Reply } from './reply.ts';

/**
 * The words a notification, a screen reader or an old client shows instead of the blocks: the reply's
 * own text, else its first header or text block, else a generic line. Neutral markup: each platform's
 * renderer converts it to its own format and cuts it to its own limit.
 */
export function fallbackText(reply: Reply): string {
  const first = reply.blocks?.find((b) => b.type === 'header' || b.type === 'text');
  return reply.text.trim() || (first && 'text' in first ? first.text : '') || 'Vendor risk update';
}
