import { z } from 'zod';

// The shapes of what Teams posts to /api/messages, as far as botbuilder, teams-ai and our turns read
// them. The envelope (who, where, which conversation) is checked before anything runs: botbuilder and
// teams-ai read `from.id`, `conversation.id` and `recipient.id` unguarded. Then each kind the bot
// serves is checked before its handler runs: an Action.Execute's verb and data. Mentions belong to
// the envelope, since botbuilder strips the bot's own mention before any handler. Fields nobody reads are let through untouched.

const id = z.string().min(1).max(1024);
const account = z
  .object({
    id,
    name: z.string().max(1024).nullable().optional(),
    aadObjectId: z.string().max(255).nullable().optional(),
  })
  .passthrough();

/** A mention entity as botbuilder (removing the bot's own mention) and refs.ts read it. */
const mentionSchema = z
  .object({ type: z.literal('mention'), text: z.string().max(1024), mentioned: account })
  .passthrough();
const entitySchema = z
  .object({ type: z.string().max(255) })
  .passthrough()
  .superRefine((entity, ctx) => {
    if (entity.type !== 'mention') return;
    const mention = mentionSchema.safeParse(entity);
    if (!mention.success) for (const issue of mention.error.issues) ctx.addIssue(issue);
  });

export const envelopeSchema = z
  .object({
    type: z.string().min(1).max(64),
    id: z.string().max(1024).optional(),
    name: z.string().max(255).optional(),
    channelId: z.string().min(1).max(64),
    serviceUrl: z.string().url().max(2048),
    from: account,
    recipient: account,
    conversation: z
      .object({
        id,
        conversationType: z.string().max(64).optional(),
        tenantId: z.string().max(255).optional(),
        // botbuilder refuses to serialize a reply whose conversation has a non-boolean isGroup.
        isGroup: z.boolean().optional(),
        name: z.string().max(1024).optional(),
      })
      .passthrough(),
    channelData: z
      .object({
        tenant: z
          .object({ id: z.string().max(255) })
          .passthrough()
          .optional(),
      })
      .passthrough()
      .optional(),
    text: z.string().max(100_000).optional(),
    replyToId: z.string().max(1024).optional(),
    entities: z.array(entitySchema).max(100).optional(),
    membersAdded: z.array(account).max(1000).optional(),
    membersRemoved: z.array(account).max(1000).optional(),
  })
  .passthrough();

/** An Action.Execute click or form submit: the verb names the action, the data carries the value or inputs. */
export const actionExecuteSchema = z
  .object({
    value: z
      .object({
        action: z
          .object({
            type: z.literal('Action.Execute'),
            verb: z.string().max(255),
            data: z.record(z.string().max(1024), z.unknown()).optional(),
          })
          .passthrough(),
      })
      .passthrough(),
  })
  .passthrough();
