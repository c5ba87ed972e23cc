import type { Logger } from 'pino';
import type { Actor } from '../core/common/actor.ts';
import type { CoreDeps } from '../core/common/deps.ts';
import type { Permission } from '../core/roles/permissions.ts';
import type { ActionId } from './actions.ts';
import type { Block, Form, Reply } from './reply.ts';

export type Platform = 'slack' | 'teams';

/** Everything a handler may use: the domain, who is acting, and where. */
export interface ChatContext {
  deps: CoreDeps;
  log: Logger;
  actor: Actor;
  platform: Platform;
  /** The conversation the request came from, as a target (`slack:C123`), when there is one. */
  channel: string | null;
}

/** What a handler asks the adapter to do next. */
export type Outcome =
  | { reply: Reply; replace?: boolean }
  | { form: Form }
  | { fieldErrors: Record<string, string> }
  | { done: true };

export const reply = (r: Reply, replace = false): Outcome => ({ reply: r, replace });
export const openForm = (form: Form): Outcome => ({ form });
export const done: Outcome = { done: true };

export interface Command<Args = unknown> {
  name: string;
  summary: string;
  /** One line, without the leading `/vendor`, e.g. `posture <vendor>`. */
  usage: string;
  examples: string[];
  /**
   * Who it is for, as the permissions it needs (any one will do; vendor owners hold the owner's ones).
   * Help lists it only to people who hold one; absent: everyone. The command still checks for itself.
   */
  permission?: Permission | readonly Permission[];
  /**
   * It only reads: running it twice changes nothing. Such a command needs no durable receipt against a
   * replay (src/slack/on-command.ts), which spares it a synchronous disk write per request.
   */
  readOnly?: true;
  /** Turns the words after the subcommand into arguments; throws UserError('bad_arguments'). */
  parse(words: string[]): Args;
  run(ctx: ChatContext, args: Args): Promise<Outcome>;
}

/** A button press, routed by the button's `action` id. */
export interface ActionHandler {
  action: ActionId;
  run(ctx: ChatContext, value: string): Promise<Outcome>;
}

export type FormValues = Record<string, string | string[] | undefined>;

/** A submitted (or closed) form, routed by the form's `id`. */
export interface FormHandler {
  form: string;
  submit(ctx: ChatContext, values: FormValues, state: string): Promise<Outcome>;
  /** Called when the person closes the form without submitting (drafts are kept here). */
  close?(ctx: ChatContext, values: FormValues, state: string): Promise<void>;
}

export interface Registry {
  // biome-ignore lint/suspicious/noExplicitAny: each command has its own argument type; parse and run agree per command.
  commands: Command<any>[];
  actions: ActionHandler[];
  forms: FormHandler[];
  /** The person's own overview (Slack's App Home tab), built when they open it; optional. */
  home?: (ctx: ChatContext) => Promise<Block[]>;
}

/** One file in commands/: a subcommand and/or the buttons and forms that belong to it. */
export interface CommandModule {
  // biome-ignore lint/suspicious/noExplicitAny: as in Registry.
  command?: Command<any>;
  actions?: ActionHandler[];
  forms?: FormHandler[];
}

/** Flattens command modules into a Registry; a duplicate name, action or form id is a programming error. */
export function buildRegistry(modules: CommandModule[], home?: Registry['home']): Registry {
  const registry: Registry = {
    commands: modules.flatMap((m) => (m.command ? [m.command] : [])),
    actions: modules.flatMap((m) => m.actions ?? []),
    forms: modules.flatMap((m) => m.forms ?? []),
    home,
  };
  const ids = [
    ...registry.commands.map((c) => `command ${c.name}`),
    ...registry.actions.map((a) => `action ${a.action}`),
    ...registry.forms.map((f) => `form ${f.form}`),
  ];
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new Error(`${duplicate} is registered twice`);
  return registry;
}
