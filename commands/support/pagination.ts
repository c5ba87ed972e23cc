import type { ActionId } from '../../src/chat/actions.ts';
import type { Block, Button, Reply } from '../../src/chat/reply.ts';
import { ephemeral } from '../../src/chat/reply.ts';
import { badArguments } from './args.ts';

// Long lists come a page at a time. The Next/Previous buttons carry the whole query and the page in
// their value, so a click re-runs the query as it stands now and replaces the message in place: no
// server-side cursor to expire, and a list that changed in between is simply shown as it is.
// Lines of a page share a few text blocks, so a page stays far below Slack's 50 blocks per message.

export const PAGE_SIZE = 15;

export type PageParams = Record<string, string | undefined>;

/** The query and page as a button value, e.g. `tier=high&overdue=1&page=2`. */
export function encodePage(params: PageParams, page: number): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, value);
  search.set('page', String(page));
  return search.toString();
}

/** A button value back into the query; `page` is null when the value names none (a first look). */
export function decodePage(value: string): { params: URLSearchParams; page: number | null } {
  const params = new URLSearchParams(value);
  const raw = params.get('page');
  params.delete('page');
  if (raw === null) return { params, page: null };
  const page = Number(raw);
  if (!Number.isInteger(page) || page < 0) throw badArguments('That page no longer exists. Run the command again.');
  return { params, page };
}

/** The page to show: a page past the end (the list shrank since) becomes the last one. */
export function clampPage(page: number, total: number): number {
  const last = Math.max(0, Math.ceil(total / PAGE_SIZE) - 1);
  return Math.min(Math.max(0, page), last);
}

export const offsetOf = (page: number) => page * PAGE_SIZE;

export interface PageView {
  title: string;
  /** One line per item on this page, already formatted. */
  lines: string[];
  total: number;
  page: number;
  /** The action id the Next/Previous buttons route to. */
  action: ActionId;
  params: PageParams;
  /** What to say when nothing matches. */
  empty: string;
  /** A line under the title, e.g. the filters in force. */
  note?: string;
}

export function pageReply(view: PageView): Reply {
  if (view.total === 0) {
    const text = view.note ? `${view.empty}\n${view.note}` : view.empty;
    return ephemeral(text, [{ type: 'text', text }]);
  }
  const first = offsetOf(view.page) + 1;
  const last = offsetOf(view.page) + view.lines.length;
  const range = view.total > view.lines.length ? `${first}–${last} of ${view.total}` : `${view.total}`;
  const summary = [`Showing ${range}`, view.note].filter(Boolean).join(' · ');
  const blocks: Block[] = [
    { type: 'header', text: view.title },
    { type: 'context', text: summary },
    { type: 'text', text: view.lines.join('\n') },
  ];
  const buttons: Button[] = [];
  if (view.page > 0) {
    buttons.push({ action: view.action, label: 'Previous', value: encodePage(view.params, view.page - 1) });
  }
  if (last < view.total) {
    buttons.push({ action: view.action, label: 'Next', value: encodePage(view.params, view.page + 1) });
  }
  if (buttons.length > 0) blocks.push({ type: 'actions', buttons });
  return ephemeral(`${view.title} (${range})\n${view.lines.join('\n')}`, blocks);
}
