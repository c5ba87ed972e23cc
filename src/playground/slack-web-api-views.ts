import { viewProblems, viewTooLarge } from './slack-web-api-blocks.ts';

// Modals, Home tabs and trigger ids in the Slack Web API stand-in. A trigger id is issued by a test
// (standing in for a click or a slash command), works once and expires after 3 seconds; a modal
// stack holds at most 3 views; updates may carry the view's hash and fail on a stale one.

export type Json = Record<string, unknown>;
export type Answer = Json & { ok: boolean };

export interface OpenView {
  id: string;
  hash: string;
  user: string;
  view: Json;
}

const TRIGGER_LIFETIME_MS = 3_000;
const MODAL_STACK_LIMIT = 3;
export const TEAM_ID = 'T0STANDIN';

export const fail = (error: string, extra: Json = {}): Answer => ({ ok: false, error, ...extra });
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

export class Views {
  /** Per user, the open modal stack, bottom first. */
  readonly #modals = new Map<string, OpenView[]>();
  readonly homes = new Map<string, OpenView>();
  readonly #triggers = new Map<string, { user: string; issuedAt: number; used: boolean }>();
  readonly #now: () => number;
  readonly #userExists: (user: string) => boolean;
  #seq = 0;

  constructor(now: () => number, userExists: (user: string) => boolean) {
    this.#now = now;
    this.#userExists = userExists;
  }

  issueTrigger(user: string): string {
    this.#seq += 1;
    const id = `${this.#seq}.${Math.floor(this.#now() / 1000)}.${Math.random().toString(16).slice(2, 10)}`;
    this.#triggers.set(id, { user, issuedAt: this.#now(), used: false });
    return id;
  }

  /** The modal on top of the user's stack. */
  top(user: string): OpenView | undefined {
    return this.#modals.get(user)?.at(-1);
  }

  #nextId(prefix: string): string {
    this.#seq += 1;
    return `${prefix}${String(this.#seq).padStart(8, '0')}`;
  }

  #useTrigger(args: Json): string | Answer {
    const trigger = this.#triggers.get(str(args.trigger_id) ?? '');
    if (!trigger) return fail('invalid_trigger_id');
    if (trigger.used) return fail('exchanged_trigger_id');
    if (this.#now() - trigger.issuedAt > TRIGGER_LIFETIME_MS) return fail('expired_trigger_id');
    trigger.used = true;
    return trigger.user;
  }

  #checkView(view: unknown, kind: 'modal' | 'home'): Answer | null {
    if (view === undefined) return fail('invalid_arguments', { errors: ['view: is required'] });
    if (viewTooLarge(view)) return fail('view_too_large');
    const problems = viewProblems(view, kind);
    return problems.length > 0 ? fail('invalid_blocks', { errors: problems }) : null;
  }

  #stored(user: string, view: Json, id = this.#nextId('V')): OpenView {
    return { id, hash: this.#nextId('h'), user, view };
  }

  #answer(open: OpenView): Answer {
    return {
      ok: true,
      view: { ...open.view, id: open.id, hash: open.hash, team_id: TEAM_ID, state: { values: {} } },
    };
  }

  open(args: Json): Answer {
    const problem = this.#checkView(args.view, 'modal');
    if (problem) return problem;
    const user = this.#useTrigger(args);
    if (typeof user !== 'string') return user;
    const open = this.#stored(user, args.view as Json);
    this.#modals.set(user, [open]);
    return this.#answer(open);
  }

  push(args: Json): Answer {
    const problem = this.#checkView(args.view, 'modal');
    if (problem) return problem;
    const user = this.#useTrigger(args);
    if (typeof user !== 'string') return user;
    const stack = this.#modals.get(user) ?? [];
    if (stack.length === 0) return fail('view_not_found');
    if (stack.length >= MODAL_STACK_LIMIT) return fail('push_limit_reached');
    const open = this.#stored(user, args.view as Json);
    stack.push(open);
    return this.#answer(open);
  }

  update(args: Json): Answer {
    const problem = this.#checkView(args.view, 'modal');
    if (problem) return problem;
    const id = str(args.view_id);
    const externalId = str(args.external_id);
    for (const stack of this.#modals.values()) {
      const index = stack.findIndex((v) => v.id === id || (externalId && v.view.external_id === externalId));
      if (index < 0) continue;
      const current = stack[index]!;
      if (str(args.hash) && args.hash !== current.hash) return fail('hash_conflict');
      stack[index] = this.#stored(current.user, args.view as Json, current.id);
      return this.#answer(stack[index]!);
    }
    return fail('view_not_found');
  }

  /** Slack's client closing the modal on top (Cancel, or a submission acknowledged without an action). */
  close(user: string, viewId: string): boolean {
    const stack = this.#modals.get(user);
    if (!stack || stack.at(-1)?.id !== viewId) return false;
    stack.pop();
    if (stack.length === 0) this.#modals.delete(user);
    return true;
  }

  /**
   * What Slack does with the acknowledgement of a view_submission: `errors` keeps the view open, `update`
   * replaces it (same id, new hash), `push` adds a view on top, `clear` closes every view, and anything
   * else closes the submitted view.
   */
  applySubmissionAck(user: string, viewId: string, ack: Json): Answer {
    const stack = this.#modals.get(user) ?? [];
    const index = stack.findIndex((v) => v.id === viewId);
    if (index < 0) return fail('view_not_found');
    const action = ack.response_action;
    if (action === 'errors') return { ok: true };
    if (action === 'clear') {
      this.#modals.delete(user);
      return { ok: true };
    }
    if (action === 'update' || action === 'push') {
      const problem = this.#checkView(ack.view, 'modal');
      if (problem) return problem;
      if (action === 'push' && stack.length >= MODAL_STACK_LIMIT) return fail('push_limit_reached');
      const open = this.#stored(user, ack.view as Json, action === 'update' ? viewId : undefined);
      if (action === 'update') stack[index] = open;
      else stack.push(open);
      return this.#answer(open);
    }
    stack.splice(index, 1);
    if (stack.length === 0) this.#modals.delete(user);
    return { ok: true };
  }

  publish(args: Json): Answer {
    const user = str(args.user_id);
    if (!user || !this.#userExists(user)) return fail('user_not_found');
    const problem = this.#checkView(args.view, 'home');
    if (problem) return problem;
    const current = this.homes.get(user);
    if (current && str(args.hash) && args.hash !== current.hash) return fail('hash_conflict');
    const open = this.#stored(user, args.view as Json, current?.id);
    this.homes.set(user, open);
    return this.#answer(open);
  }
}
