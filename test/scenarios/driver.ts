import type { FormFieldKind } from '../../src/chat/reply.ts';
import type { CoreDeps } from '../../src/core/common/deps.ts';

// The neutral way a scenario talks to a chat platform. A scenario is written once against this
// interface; a Slack driver and a Teams driver carry it out over real HTTP (signed Slack requests,
// Bot Framework activities) and read what the bot sent back into the neutral facts below, so the same
// assertion holds on both platforms or the difference shows up as a failing scenario.

export const PERSONAS = ['dana', 'pat', 'quinn', 'olive', 'vic', 'ada', 'sam'] as const;
export type Persona = (typeof PERSONAS)[number];

/** What a person reads on a message, card or form reply, with platform formatting removed. */
export interface CardFacts {
  /** The heading, when the message has one. */
  title: string | null;
  /** Body text, one entry per section or text block. */
  lines: string[];
  /** Label -> value pairs (Slack section fields, Teams FactSet). */
  fields: Record<string, string>;
  /** Button labels, the overflow menu's choices included, in order. */
  buttons: string[];
  /** The small print (Slack context blocks, Teams subtle text). */
  context: string[];
  /** All of the above as one text, for "does it say ...". */
  all: string;
}

/** A message as one person sees it. */
export interface Message extends CardFacts {
  /** The message's id on its platform (a Slack ts, a Teams activity id): the same id is the same message. */
  id: string;
  /** Only this person sees it (Slack ephemeral, a Teams invoke answer or 1:1 chat). */
  private: boolean;
  /** It replaced the message the person clicked. */
  replaced: boolean;
  /** The platform's own reference, used by `click`; scenarios never look inside. */
  readonly handle: unknown;
}

export interface FormFieldFacts {
  id: string;
  label: string;
  kind: FormFieldKind;
}

/** A form in front of a person (a Slack modal, a Teams card with inputs). */
export interface FormFacts {
  title: string;
  intro: string;
  fields: FormFieldFacts[];
  submitLabel: string;
  readonly handle: unknown;
}

/** What happened after a person typed, clicked or submitted. */
export type Answer =
  | { kind: 'message'; message: Message }
  | { kind: 'form'; form: FormFacts }
  /** The form stayed open with these problems shown. */
  | { kind: 'errors'; errors: string[] };

/** A form value: text, a choice's value, several values, or a person picked in a people picker. */
export type FieldInput = string | string[] | { person: Persona };

/** The conversations notifications go to. */
export type Place = 'findings' | 'approvals' | 'security';

export interface ChatDriver {
  readonly platform: 'slack' | 'teams';
  /** A fresh store for the next scenario, routed to this platform's conversations; the bot is installed there. */
  reset(): Promise<CoreDeps>;
  /** How the core knows this person on this platform (`slack:U…`, `teams:<Entra object id>`). */
  principal(persona: Persona): string;
  /** The conversation target of a place (`slack:C…`, `teams:conv:…`), as routing and subscriptions name it. */
  target(place: Place): string;
  /**
   * The person types a command (without `/vendor`). `@{olive}` mentions a person and `#{security}` a
   * channel, written the way each platform delivers them.
   */
  run(persona: Persona, text: string): Promise<Answer>;
  /** The person presses the button (or overflow choice) with this label; a confirmation is accepted. */
  click(persona: Persona, message: Message, label: string): Promise<Answer>;
  /** The person fills in the form with these values (by field id) and submits it. */
  submit(persona: Persona, form: FormFacts, values: Record<string, FieldInput>): Promise<Answer>;
  /**
   * The person puts the form away without submitting, keeping what they filled in: Slack keeps a
   * draft when the modal is closed; Teams has no such event, so such a form offers "Save draft".
   */
  closeForm(persona: Persona, form: FormFacts, values: Record<string, FieldInput>): Promise<void>;
  /** The platform delivers the last request again (Slack's retry, Teams' resend after 15 seconds). */
  redeliverLast(): Promise<void>;
  /** Sends everything the outbox holds, as the relay would. */
  drain(): Promise<void>;
  /** Top-level messages in a place as everyone sees them now, oldest first (after draining). */
  channelMessages(place: Place): Promise<Message[]>;
  /** The thread under a message, as text, oldest first. */
  thread(message: Message): Promise<string[]>;
  /** Messages the bot sent to a person unprompted (direct messages), oldest first. */
  dmsTo(persona: Persona): Promise<Message[]>;
  close(): Promise<void>;
}

export function messageOf(answer: Answer): Message {
  if (answer.kind !== 'message') throw new Error(`expected a message, got ${JSON.stringify(answer)}`);
  return answer.message;
}

export function formOf(answer: Answer): FormFacts {
  if (answer.kind !== 'form') throw new Error(`expected a form, got ${JSON.stringify(answer)}`);
  return answer.form;
}

export function errorsOf(answer: Answer): string[] {
  if (answer.kind !== 'errors') throw new Error(`expected field errors, got ${JSON.stringify(answer)}`);
  return answer.errors;
}
