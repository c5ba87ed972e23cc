import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { envelopeSchema } from './activity-schemas.ts';

// Runs on POST /api/messages once the JSON is parsed, before botbuilder: an activity without the
// envelope botbuilder and teams-ai read unguarded (a type, the sender, the recipient, the conversation,
// a service URL) is answered 400 here. Nothing about the request is trusted or stored by this check;
// a well-formed activity goes on to authentication as before.

export const issuesText = (error: z.ZodError) =>
  error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
    .join('; ');

export function teamsActivityGuard(log: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const parsed = envelopeSchema.safeParse(req.body);
    if (parsed.success) {
      next();
      return;
    }
    log.warn({ reason: issuesText(parsed.error) }, 'Teams request refused: the activity is malformed');
    res.status(400).json({ error: 'malformed_activity' });
  };
}
