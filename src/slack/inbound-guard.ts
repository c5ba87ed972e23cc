import type { NextFunction, Request, Response } from 'express';
import { BODY_LIMITS, declaredTooLarge } from '../http/body-limits.ts';

// Runs before Bolt on POST /slack/events. Bolt refuses stale requests, but not ones dated in the
// future, and a captured request dated ahead would stay replayable for as long as it claims; here
// both directions are held to five minutes, the window Slack's signing documentation allows. The
// body limit is checked against the declared length before a byte is read (Bolt cuts a streamed
// body off at the same limit).

export const MAX_CLOCK_SKEW_SECONDS = 300;

/** Express middleware: 401 for a missing or out-of-window timestamp, 413 for a declared body too large. */
export function slackInboundGuard(now: () => number = Date.now) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'POST') {
      next();
      return;
    }
    if (declaredTooLarge(req.headers['content-length'], BODY_LIMITS.slack)) {
      res.status(413).send();
      return;
    }
    const header = req.headers['x-slack-request-timestamp'];
    const timestamp = typeof header === 'string' && /^\d{1,12}$/.test(header) ? Number(header) : Number.NaN;
    if (!Number.isFinite(timestamp) || Math.abs(now() / 1000 - timestamp) > MAX_CLOCK_SKEW_SECONDS) {
      res.status(401).send();
      return;
    }
    next();
  };
}
