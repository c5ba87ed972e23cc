import { parse as parseQuery } from 'node:querystring';
import { isValidSlackRequest } from '@slack/bolt';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { BODY_LIMITS } from '../http/body-limits.ts';
import { checkSlackBody } from './payload-check.ts';

// Runs before Bolt on POST /slack/events, after the inbound guard. A validly signed body that is
// malformed (a null where Bolt or a listener reads an object, a kind we never asked for) is answered
// here, 200 with a refusal or 400, and reaches no listener: Bolt would otherwise crash on it with a
// 500, or leave it unanswered for three seconds. A body that is not validly signed goes on to Bolt,
// which answers 401; the raw bytes read here are handed to it (`rawBody`), so they are read once.

const FORM = 'application/x-www-form-urlencoded';

/** The raw bytes, or null once they pass `limit`. */
function readBody(req: Request, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Parsed as Bolt parses it: form fields (with a JSON `payload` for interactions), else JSON. */
function parseBody(raw: string, contentType: string | undefined): { body: unknown; form: boolean } {
  if (contentType === FORM) {
    const fields = parseQuery(raw);
    if (typeof fields.payload === 'string') return { body: JSON.parse(fields.payload), form: false };
    return { body: { ...fields }, form: true };
  }
  return { body: JSON.parse(raw), form: false };
}

export function slackPayloadGuard(signingSecret: string, command: string, log: Logger) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (req.method !== 'POST') return next();
    let raw: Buffer | null;
    try {
      raw = await readBody(req, BODY_LIMITS.slack);
    } catch {
      res.status(400).send();
      return;
    }
    if (raw === null) {
      res.status(413).send();
      return;
    }
    (req as Request & { rawBody?: Buffer }).rawBody = raw;
    const text = raw.toString('utf8');
    const signature = req.headers['x-slack-signature'];
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    const signed =
      typeof signature === 'string' &&
      isValidSlackRequest({
        signingSecret,
        body: text,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      });
    // Unsigned or wrongly signed: Bolt refuses it (401) without reading it.
    if (!signed) return next();
    let parsed: { body: unknown; form: boolean };
    try {
      parsed = parseBody(text, req.headers['content-type']);
    } catch {
      log.warn('Slack request refused: the body could not be parsed');
      res.status(400).send();
      return;
    }
    const verdict = checkSlackBody(parsed.body, parsed.form, command);
    if (verdict.ok) return next();
    const { refusal } = verdict;
    log.warn({ kind: refusal.kind, reason: refusal.reason }, 'Slack request refused: the payload is malformed');
    if (refusal.body) res.status(refusal.status).json(refusal.body);
    else res.status(refusal.status).send();
  };
}
