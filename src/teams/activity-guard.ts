import type { z } from 'zod';
import { envelopeSchema } from './activity-schemas.ts';

// Checked on POST /api/messages once the request is authenticated (endpoint.ts), before botbuilder:
// an activity without the envelope botbuilder and teams-ai read unguarded (a type, the sender, the
// recipient, the conversation, a service URL) is answered 400. An unauthenticated request is refused
// with 401 first, so a stranger learns nothing about what a well-formed activity looks like.

export const issuesText = (error: z.ZodError) =>
  error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
    .join('; ');

/** What is wrong with an activity's envelope, or null when botbuilder can read it. */
export function envelopeProblem(body: unknown): string | null {
  const parsed = envelopeSchema.safeParse(body);
  return parsed.success ? null : issuesText(parsed.error);
}
