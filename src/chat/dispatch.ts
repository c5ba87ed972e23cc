import { randomUUID } from 'node:crypto';
import { isUserError, UserError } from '../core/common/errors.ts';
import { typoDistance } from '../core/vendors/lookup.ts';
import { isActionId } from './actions.ts';
import type { ChatContext, FormValues, Outcome, Registry } from './command.ts';
import { type Block, ephemeral, type Reply } from './reply.ts';
import { choiceButtons, SUGGESTED_COMMAND_ACTION, subcommandButton, suggestionReply } from './suggestions.ts';
import { tokenize } from './tokenize.ts';

// The one catch. A UserError becomes a friendly ephemeral message and nothing changed (its
// transaction rolled back). Anything else is ours: logged with context and a reference, and the
// person sees a short apology with that reference, never the error text, a stack trace or a secret.

async function guarded(
  ctx: ChatContext,
  what: Record<string, unknown>,
  work: () => Promise<Outcome>,
): Promise<Outcome> {
  try {
    return await work();
  } catch (error) {
    if (isUserError(error)) return { reply: ephemeral(error.message) };
    const ref = randomUUID().slice(0, 8);
    ctx.log.error({ err: error, ref, actor: ctx.actor.id, platform: ctx.platform, ...what }, 'handler failed');
    return { reply: ephemeral(`Sorry, something went wrong on our side and nothing was changed. (ref ${ref})`) };
  }
}

/** A mistyped subcommand: the one command within two typos, or the only one starting with what was typed. */
function nearestCommand(registry: Registry, name: string) {
  const scored = registry.commands
    .map((c) => ({ c, d: c.name.startsWith(name) && name.length >= 3 ? 0 : typoDistance(name, c.name, 2) }))
    .filter((x) => x.d <= (name.length <= 4 ? 1 : 2))
    .sort((a, b) => a.d - b.d);
  if (scored.length === 0 || (scored.length > 1 && scored[0]!.d === scored[1]!.d)) return null;
  return scored[0]!.c;
}

/**
 * The registered command the text names (its first word), as dispatchCommand reads it; undefined for
 * none, and for text that does not split into words (dispatchCommand answers that one).
 */
export function commandNamed(registry: Registry, text: string) {
  let first: string | undefined;
  try {
    first = tokenize(text.trim())[0];
  } catch {
    return undefined;
  }
  const name = (first ?? 'help').toLowerCase();
  return registry.commands.find((c) => c.name === name);
}

export function dispatchCommand(registry: Registry, ctx: ChatContext, text: string): Promise<Outcome> {
  return guarded(ctx, { command: text.split(/\s/, 1)[0] }, async () => {
    const [first, ...words] = tokenize(text.trim());
    const name = (first ?? 'help').toLowerCase();
    const command = registry.commands.find((c) => c.name === name);
    if (!command) {
      const near = nearestCommand(registry, name);
      if (near) {
        const rest = words.length > 0 ? ` ${words.join(' ')}` : '';
        const message = `I don't know \`${name}\`. Did you mean \`${near.name}\`? Try \`/vendor ${near.name}${rest}\`\nUsage: \`${near.usage}\``;
        return { reply: suggestionReply(message, [subcommandButton(text, near.name, '/vendor')]) };
      }
      const help = registry.commands.find((c) => c.name === 'help');
      if (!help) throw new UserError('bad_arguments', `Unknown command \`${name}\`.`);
      const outcome = await help.run(ctx, help.parse([]));
      if ('reply' in outcome) {
        const notice = `I don't know \`${name}\`. Here is what I can do:`;
        const blocks: Block[] | undefined = outcome.reply.blocks && [
          { type: 'text', text: notice },
          ...outcome.reply.blocks,
        ];
        return { reply: { visibility: 'ephemeral', text: `${notice}\n${outcome.reply.text}`, blocks } };
      }
      return outcome;
    }
    let args: unknown;
    try {
      args = command.parse(words);
    } catch (error) {
      if (isUserError(error) && error.code === 'bad_arguments') {
        const example = command.examples[0] ? `\nExample: \`${command.examples[0]}\`` : '';
        throw new UserError('bad_arguments', `${error.message}\nUsage: \`${command.usage}\`${example}`);
      }
      throw error;
    }
    try {
      return await command.run(ctx, args);
    } catch (error) {
      // "Did you mean …?": the same command on each name offered, one button each.
      if (!isUserError(error) || !error.choices) throw error;
      return { reply: suggestionReply(error.message, choiceButtons(text.trim(), error.choices)) };
    }
  });
}

export function dispatchAction(registry: Registry, ctx: ChatContext, action: string, value: string): Promise<Outcome> {
  return guarded(ctx, { action }, async () => {
    // A "Did you mean" button: its value is the corrected command, run as if the presser typed it.
    if (action === SUGGESTED_COMMAND_ACTION) return dispatchCommand(registry, ctx, value);
    // The id comes back from the platform as any string: only one of ours reaches a handler.
    const handler = isActionId(action) ? registry.actions.find((a) => a.action === action) : undefined;
    if (!handler) throw new UserError('bad_arguments', 'That button is no longer supported. Try the command again.');
    return handler.run(ctx, value);
  });
}

export function dispatchForm(
  registry: Registry,
  ctx: ChatContext,
  form: string,
  values: FormValues,
  state: string,
): Promise<Outcome> {
  return guarded(ctx, { form }, async () => {
    const handler = registry.forms.find((f) => f.form === form);
    if (!handler) throw new UserError('bad_arguments', 'That form is no longer supported. Try the command again.');
    return handler.submit(ctx, values, state);
  });
}

/**
 * The person put a form away without submitting (drafts are kept here). Returns the refusal or apology
 * when keeping it failed, so a platform that can still answer (a Teams "Save draft") says so; null when kept.
 */
export async function dispatchFormClosed(
  registry: Registry,
  ctx: ChatContext,
  form: string,
  values: FormValues,
  state: string,
): Promise<Reply | null> {
  const outcome = await guarded(ctx, { form, closed: true }, async () => {
    await registry.forms.find((f) => f.form === form)?.close?.(ctx, values, state);
    return { done: true };
  });
  return 'reply' in outcome ? outcome.reply : null;
}

/**
 * Builds the person's Home overview; on our error it logs with a reference and shows an apology
 * in place of the overview rather than a blank tab.
 */
export async function dispatchHome(registry: Registry, ctx: ChatContext): Promise<Block[] | null> {
  const home = registry.home;
  if (!home) return null;
  let blocks: Block[] = [];
  const outcome = await guarded(ctx, { home: true }, async () => {
    blocks = await home(ctx);
    return { done: true };
  });
  return 'reply' in outcome ? [{ type: 'text', text: outcome.reply.text }] : blocks;
}
