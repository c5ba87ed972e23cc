import type { Choices } from '../core/common/errors.ts';
import { ACTIONS } from './actions.ts';
import type { Block, Button, Reply } from './reply.ts';

// "Did you mean …?" with a button: the command the person typed, run again with the name (or the
// subcommand) they probably meant. The button carries the whole corrected command text, and pressing
// it runs it as if typed by whoever presses, with their own permissions.

/** The action of a suggestion button; its value is the command text to run. */
export const SUGGESTED_COMMAND_ACTION = ACTIONS.suggestedCommand;

/** A platform caps button labels (Slack: 75 characters); long names are cut with an ellipsis. */
const LABEL_MAX = 60;

const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A name as a command word: quoted when it has spaces (with curly quotes when it holds a straight one). */
export function quotedName(name: string): string {
  if (!/[\s"'“”‘’]/.test(name)) return name;
  return name.includes('"') ? `“${name}”` : `"${name}"`;
}

/** The command text with what was typed (quoted or not) replaced by `name`; null when it cannot be found. */
export function withName(text: string, typed: string, name: string): string | null {
  const words = typed.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  const pattern = new RegExp(`["'“‘]?${words.map(literal).join('\\s+')}["'”’]?`);
  const match = pattern.exec(text);
  if (!match) return null;
  return `${text.slice(0, match.index)}${quotedName(name)}${text.slice(match.index + match[0].length)}`;
}

function label(text: string): string {
  return text.length > LABEL_MAX ? `${text.slice(0, LABEL_MAX - 1)}…` : text;
}

/** One button per name that fits back into the command text. */
export function choiceButtons(text: string, choices: Choices): Button[] {
  const buttons: Button[] = [];
  for (const name of choices.names) {
    const corrected = withName(text, choices.typed, name);
    if (corrected) buttons.push({ action: SUGGESTED_COMMAND_ACTION, label: label(name), value: corrected });
  }
  return buttons;
}

/** The command text with its first word (a mistyped subcommand) replaced. */
export function withSubcommand(text: string, subcommand: string): string {
  return text.trim().replace(/^\S+/, subcommand);
}

export function subcommandButton(text: string, subcommand: string, prefix: string): Button {
  const corrected = withSubcommand(text, subcommand);
  return {
    action: SUGGESTED_COMMAND_ACTION,
    label: label(`${prefix} ${corrected}`),
    value: corrected,
    style: 'primary',
  };
}

/** The refusal, private, with its buttons under it. */
export function suggestionReply(message: string, buttons: Button[]): Reply {
  const blocks: Block[] = [{ type: 'text', text: message }];
  if (buttons.length > 0) blocks.push({ type: 'actions', buttons });
  return { visibility: 'ephemeral', text: message, blocks };
}
