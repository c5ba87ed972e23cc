import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from 'pino';
import type { z } from 'zod';
import {
  blockActionsSchema,
  eventCallbackSchema,
  slashCommandSchema,
  UNSERVED_INTERACTIONS,
  urlVerificationSchema,
  viewClosedSchema,
  viewSubmissionSchema,
} from './payload-schemas.ts';

// Decides, from a parsed body, whether Bolt may route it: a kind we serve in the shape we read, or
// a refusal saying what to answer. Bolt classifies a body by which keys it has (an `event` key makes
// anything an event, `command` a slash command, `actions` a block action), so a body whose keys make
// Bolt see another kind than its `type` says is refused as well.

export type PayloadKind =
  | 'command'
  | 'block_actions'
  | 'view_submission'
  | 'view_closed'
  | 'event'
  | 'url_verification';

/** What to answer instead of running a listener: 200 with this body (or none), or 400. */
export interface Refusal {
  status: 200 | 400;
  body?: Record<string, unknown>;
  kind: PayloadKind | 'unknown' | 'unserved';
  reason: string;
}

export type Verdict = { ok: true; kind: PayloadKind } | { ok: false; refusal: Refusal };

const COMMAND_REFUSED = {
  response_type: 'ephemeral',
  text: 'Sorry, I could not read that command, so nothing was changed. Try `/vendor help`.',
};

/** Replaces a modal whose submission could not be read with one that says so. */
const FORM_REFUSED = {
  response_action: 'update',
  view: {
    type: 'modal',
    title: { type: 'plain_text', text: 'Not saved' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: 'Sorry, this form could not be read, so nothing was changed. Run the command again.',
        },
      },
    ],
  },
};

/** The kind Bolt will take a body for (mirrors its routing by keys). */
function boltKind(body: Record<string, unknown>): string {
  if (body.event !== undefined) return 'event';
  if (body.command !== undefined) return 'command';
  if (body.name !== undefined || body.type === 'block_suggestion') return 'options';
  if (body.actions !== undefined || body.type === 'dialog_submission') return 'action';
  if (body.type === 'view_submission' || body.type === 'view_closed') return 'view';
  return String(body.type ?? '');
}

const issues = (error: z.ZodError) =>
  error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
    .join('; ');

function check(
  kind: PayloadKind,
  schema: z.ZodTypeAny,
  body: Record<string, unknown>,
  expected: string,
  refused: Omit<Refusal, 'kind' | 'reason'>,
): Verdict {
  if (boltKind(body) !== expected) {
    return { ok: false, refusal: { ...refused, kind, reason: `keys make it a ${boltKind(body) || 'nothing'}` } };
  }
  const parsed = schema.safeParse(body);
  return parsed.success
    ? { ok: true, kind }
    : { ok: false, refusal: { ...refused, kind, reason: issues(parsed.error) } };
}

/**
 * `form`: the body came as form fields without a `payload` (a slash command); else parsed JSON.
 * `command`: the one slash command served (`/vendor`); Bolt would leave any other unanswered.
 */
export function checkSlackBody(body: unknown, form: boolean, command: string): Verdict {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, refusal: { status: 400, kind: 'unknown', reason: 'the body is not an object' } };
  }
  const b = body as Record<string, unknown>;
  if (form) return check('command', slashCommandSchema(command), b, 'command', { status: 200, body: COMMAND_REFUSED });
  switch (b.type) {
    case 'block_actions':
      return check('block_actions', blockActionsSchema, b, 'action', { status: 200 });
    case 'view_submission':
      return check('view_submission', viewSubmissionSchema, b, 'view', { status: 200, body: FORM_REFUSED });
    case 'view_closed':
      return check('view_closed', viewClosedSchema, b, 'view', { status: 200 });
    case 'event_callback':
      return check('event', eventCallbackSchema, b, 'event', { status: 200 });
    case 'url_verification':
      return check('url_verification', urlVerificationSchema, b, 'url_verification', { status: 400 });
  }
  if (typeof b.type === 'string' && (UNSERVED_INTERACTIONS as readonly string[]).includes(b.type)) {
    // Nothing here asked Slack for these; answering at once spares Slack a retry and Bolt a 3-second wait.
    return { ok: false, refusal: { status: 200, kind: 'unserved', reason: `${b.type} is not served` } };
  }
  return { ok: false, refusal: { status: 400, kind: 'unknown', reason: 'unknown payload type' } };
}

/** The same check as Bolt's first middleware (Socket Mode, where no HTTP guard stands in front of Bolt). */
export function payloadCheckMiddleware(log: Logger, command: string): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as unknown as Record<string, unknown>;
    const verdict = checkSlackBody(body, body.command !== undefined && body.type === undefined, command);
    if (verdict.ok) return args.next();
    log.warn(
      { kind: verdict.refusal.kind, reason: verdict.refusal.reason },
      'Slack request refused: the payload is malformed',
    );
    const ack = (args as { ack?: (response?: unknown) => Promise<void> }).ack;
    if (ack) await ack(verdict.refusal.body);
  };
}
