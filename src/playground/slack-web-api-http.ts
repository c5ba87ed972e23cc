import type { IncomingMessage } from 'node:http';
import type { Json } from './slack-web-api-views.ts';

// How the Slack Web API stand-in reads a request, as Slack does: arguments from the query string, a
// form body (with blocks and views JSON-encoded inside it) or a JSON body; the token from the
// Authorization header, or from a form body (never from a JSON body).

/** Arguments Slack accepts JSON-encoded inside a form body. */
const JSON_FIELDS = ['blocks', 'view', 'attachments', 'metadata'];

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

export const stringArg = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** Slack takes query strings, form bodies (JSON-encoded blocks/view inside) and JSON bodies. */
export function parseArgs(req: IncomingMessage, url: URL, raw: string): { args: Json; json: boolean; error?: string } {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const json = type === 'application/json';
  const args: Json = Object.fromEntries(url.searchParams);
  if (json) {
    try {
      const body = JSON.parse(raw || '{}') as unknown;
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        return { args, json, error: 'invalid_json' };
      Object.assign(args, body);
    } catch {
      return { args, json, error: 'invalid_json' };
    }
  } else if (raw && type !== 'application/x-www-form-urlencoded') {
    return { args, json, error: 'invalid_form_data' };
  } else Object.assign(args, Object.fromEntries(new URLSearchParams(raw)));
  for (const field of JSON_FIELDS) {
    if (typeof args[field] !== 'string') continue;
    try {
      args[field] = JSON.parse(args[field] as string);
    } catch {
      return { args, json, error: field === 'blocks' ? 'invalid_blocks_format' : 'invalid_arguments' };
    }
  }
  return { args, json };
}
