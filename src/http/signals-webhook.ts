import type { IncomingMessage } from 'node:http';
import express, { type Router } from 'express';
import type { Logger } from 'pino';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { z } from 'zod';
import type { Actor } from '../core/common/actor.ts';
import type { CoreDeps } from '../core/common/deps.ts';
import { isUserError } from '../core/common/errors.ts';
import { SEVERITIES, SIGNAL_KINDS } from '../core/common/vocabulary.ts';
import { claimReceipt } from '../core/messaging/inbound-receipts.ts';
import { recordSignal, type SignalResult } from '../core/signals/record.ts';
import { findVendorByExactName, getVendor } from '../core/vendors/lookup.ts';
import { inTransaction, type Tx } from '../store/database.ts';
import { BODY_LIMITS } from './body-limits.ts';

// POST /signals: monitoring tools report findings about vendors, signed the Standard Webhooks way
// (webhook-id, webhook-timestamp, webhook-signature: "v1,<base64 HMAC-SHA256 of id.timestamp.body>"),
// checked by the specification's own package: any matching v1 signature, timestamps within 5 minutes.
// The body is one signal or a batch { "signals": [...] } of up to 100, applied all or nothing. A
// repeated webhook-id, or a (source, externalId) seen before, changes nothing and answers duplicate.

export interface SignalsWebhookOptions {
  /** The shared secret, `whsec_<base64>` or raw text; without one every request is refused (503). */
  secret: string | undefined;
  log: Logger;
  /** After a commit that recorded something: nudge the relay so a finding card goes out now. */
  onCommitted?: () => void;
}

export const MAX_BODY_BYTES = BODY_LIMITS.signals;
export const TOLERANCE_SECONDS = 5 * 60;
const MAX_BATCH = 100;

const lowerEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.string().trim().toLowerCase().pipe(z.enum(values));

const signalSchema = z
  .object({
    source: z.string().trim().min(1).max(64),
    externalId: z.string().trim().min(1).max(200),
    vendor: z.string().trim().min(1).max(200).optional(),
    vendorId: z.number().int().positive().optional(),
    kind: lowerEnum(SIGNAL_KINDS),
    severity: lowerEnum(SEVERITIES),
    summary: z.string().trim().min(1).max(500),
    details: z.record(z.unknown()).optional(),
    observedAt: z.string().datetime({ offset: true }).optional(),
  })
  .refine((s) => (s.vendor === undefined) !== (s.vendorId === undefined), {
    message: 'name the vendor by exactly one of vendor (its name) or vendorId',
  });
type SignalBody = z.infer<typeof signalSchema>;

const batchSchema = z.object({ signals: z.array(signalSchema).min(1).max(MAX_BATCH) }).strict();

/** A batch when the body has `signals`, else one signal: each parsed on its own so errors name fields. */
function parseBody(json: unknown) {
  const isBatch = typeof json === 'object' && json !== null && 'signals' in json;
  if (isBatch) return batchSchema.safeParse(json);
  const one = signalSchema.safeParse(json);
  return one.success ? { success: true as const, data: { signals: [one.data] } } : one;
}

/**
 * `whsec_` secrets are base64 key bytes (the Standard Webhooks form); anything else is used as UTF-8
 * text. Freshness is judged against real time, not the domain clock: that one may be moved (the
 * playground, `sweep --now`), while senders sign with the time of day.
 */
function verifierFor(secret: string | undefined, log: Logger): Webhook | null {
  if (!secret) return null;
  try {
    return secret.startsWith('whsec_') ? new Webhook(secret) : new Webhook(Buffer.from(secret), { format: 'raw' });
  } catch {
    log.error('SIGNALS_WEBHOOK_SECRET starts with whsec_ but the rest is not base64 key bytes');
    return null;
  }
}

const STALE = new Set(['Invalid Signature Headers', 'Message timestamp too old', 'Message timestamp too new']);

/** The raw bytes, or null once they pass `limit` (the rest is drained, not kept). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.resume();
        resolve(null);
      } else chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const issuesText = (error: z.ZodError) =>
  error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');

/** The monitoring source is the actor the audit trail names: it proved itself with the secret. */
const sourceActor = (source: string): Actor => ({ id: `system:signals:${source}`, name: `${source} (monitoring)` });

class UnknownVendors extends Error {
  readonly names: string[];
  constructor(names: string[]) {
    super('unknown vendors');
    this.names = names;
  }
}

/** Every vendor the batch names, resolved before anything is written; all unknown ones are reported. */
async function resolveVendors(tx: Tx, signals: readonly SignalBody[]): Promise<number[]> {
  const ids: number[] = [];
  const unknown: string[] = [];
  for (const s of signals) {
    try {
      ids.push(
        s.vendorId !== undefined
          ? (await getVendor(tx, s.vendorId)).id
          : (await findVendorByExactName(tx, s.vendor ?? '')).id,
      );
    } catch (error) {
      if (!isUserError(error)) throw error;
      unknown.push(error.message);
    }
  }
  if (unknown.length) throw new UnknownVendors([...new Set(unknown)]);
  return ids;
}

export function signalsWebhook(deps: CoreDeps, options: SignalsWebhookOptions): Router {
  const { log } = options;
  const verifier = verifierFor(options.secret, log);
  if (!verifier) log.warn('SIGNALS_WEBHOOK_SECRET is not set: POST /signals refuses every request (503)');
  const router = express.Router();

  router.post('/signals', async (req, res) => {
    const refuse = (status: number, error: string, extra: Record<string, unknown> = {}) => {
      log.warn({ status, error, webhookId: req.get('webhook-id') }, 'signals webhook refused a request');
      res.status(status).json({ error, ...extra });
    };
    if (!verifier) return refuse(503, 'the signals webhook is not configured: set SIGNALS_WEBHOOK_SECRET');
    const id = req.get('webhook-id');
    const timestamp = req.get('webhook-timestamp');
    const signature = req.get('webhook-signature');
    if (!id || !timestamp || !signature) {
      return refuse(401, 'missing webhook-id, webhook-timestamp or webhook-signature header');
    }
    const declared = Number(req.get('content-length') ?? 0);
    const raw = declared > MAX_BODY_BYTES ? null : await readBody(req, MAX_BODY_BYTES);
    if (raw === null) {
      res.set('Connection', 'close');
      return refuse(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
    }
    try {
      verifier.verify(
        raw,
        { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature },
        { jsonParse: false },
      );
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      if (STALE.has(error.message)) return refuse(401, 'webhook-timestamp is more than 5 minutes away from now');
      return refuse(401, 'webhook-signature does not match');
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      return refuse(400, `the body is not valid JSON: ${(error as Error).message}`);
    }
    const parsed = parseBody(json);
    if (!parsed.success) return refuse(400, `the body does not match the signal schema: ${issuesText(parsed.error)}`);
    const signals = parsed.data.signals;

    let results: SignalResult[] | null;
    try {
      results = await inTransaction(deps.db, async (tx) => {
        if (!(await claimReceipt(tx, deps.clock, `signals:${id}`))) return null;
        const vendorIds = await resolveVendors(tx, signals);
        const out: SignalResult[] = [];
        for (const [i, { vendor: _name, vendorId: _id, ...s }] of signals.entries()) {
          const observedAt = s.observedAt ?? deps.clock.now().toISOString();
          out.push(
            await recordSignal(tx, deps, sourceActor(s.source), { ...s, vendorId: vendorIds[i] ?? 0, observedAt }),
          );
        }
        return out;
      });
    } catch (error) {
      if (error instanceof UnknownVendors) return refuse(422, 'unknown vendor', { vendors: error.names });
      if (isUserError(error)) return refuse(400, error.message);
      throw error;
    }
    if (results === null) {
      log.info({ webhookId: id }, 'signals webhook delivery repeated; nothing changed');
      return res.status(200).json({ ok: true, duplicate: true });
    }
    if (results.some((r) => !r.duplicate)) options.onCommitted?.();
    const summary = results.map((r) => ({
      externalId: r.signal.external_id,
      duplicate: r.duplicate,
      signalId: r.signal.id,
      findingId: r.duplicate ? r.signal.finding_id : (r.finding?.id ?? null),
    }));
    log.info({ webhookId: id, signals: summary.length }, 'signals webhook recorded');
    const body = 'signals' in (json as object) ? { ok: true, results: summary } : { ok: true, ...summary[0] };
    return res.status(200).json(body);
  });
  return router;
}
