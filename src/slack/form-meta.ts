import { z } from 'zod';
import { LIMITS } from './limits.ts';

/** Option lists kept out of Slack, by field id (`o`); anything else in their place is ignored. */
const LONG_OPTIONS = z.record(z.array(z.string()));

/** What a modal carries through Slack and back (private_metadata, at most 3000 characters). */
export interface ModalMeta {
  /** The form's own opaque state. */
  state: string;
  /** Where the person opened the form (`slack:C123`): replies after submit go there, else to a DM. */
  channel: string | null;
  /** 0-based page of a multi-page form, and how many pages it has. */
  page: number;
  pages: number;
  /** Names the pending multi-page form this page belongs to (see form-pages.ts). */
  key: string | null;
  /** Option lists whose values were too long for Slack, by field id; options then carry their index. */
  long: Record<string, string[]>;
}

export function encodeMeta(meta: ModalMeta): string {
  const compact = {
    s: meta.state,
    ...(meta.channel ? { c: meta.channel } : {}),
    ...(meta.pages > 1 ? { p: meta.page, n: meta.pages, k: meta.key } : {}),
    ...(Object.keys(meta.long).length ? { o: meta.long } : {}),
  };
  const encoded = JSON.stringify(compact);
  // The state is the handler's: cutting it would corrupt it, so an oversized one is our bug, loudly.
  if (encoded.length > LIMITS.privateMetadata) {
    throw new Error(`form state too large for a Slack modal (${encoded.length} > ${LIMITS.privateMetadata})`);
  }
  return encoded;
}

export function readModalMeta(view: { private_metadata?: string }): ModalMeta {
  let raw: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(view.private_metadata || '{}');
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      raw = parsed as Record<string, unknown>;
  } catch {
    // A view we did not build (or an old format): treat as empty state rather than fail the person.
  }
  const long = LONG_OPTIONS.safeParse(raw.o);
  return {
    state: typeof raw.s === 'string' ? raw.s : '',
    channel: typeof raw.c === 'string' ? raw.c : null,
    page: typeof raw.p === 'number' && Number.isInteger(raw.p) && raw.p >= 0 ? raw.p : 0,
    pages: typeof raw.n === 'number' && Number.isInteger(raw.n) && raw.n >= 1 ? raw.n : 1,
    key: typeof raw.k === 'string' ? raw.k : null,
    long: long.success ? long.data : {},
  };
}
