import type { ActionId } from './actions.ts';

// The neutral message model. Commands and notification views build these; each platform has one
// renderer (Block Kit, Adaptive Cards, the playground). Text is light Markdown: **bold**, _italic_,
// `code`, [label](url), and mentions written <@principal|Printed Name>.

export interface Confirm {
  title: string;
  text: string;
  confirm: string;
  deny: string;
}

export interface Button {
  /** Routed to a command's action handler, e.g. `ACTIONS.findingAck`. */
  action: ActionId;
  label: string;
  /** Opaque to the platform; parsed by the handler (ids, page cursors). */
  value: string;
  style?: 'primary' | 'danger';
  confirm?: Confirm;
}

export interface Field {
  label: string;
  value: string;
}

export type Block =
  | { type: 'header'; text: string }
  | { type: 'text'; text: string }
  | { type: 'fields'; fields: Field[] }
  | { type: 'context'; text: string }
  | { type: 'divider' }
  | { type: 'actions'; buttons: Button[]; more?: Button[] };

export type Visibility = 'ephemeral' | 'in_channel';

export interface Reply {
  visibility: Visibility;
  /** Plain-text fallback: notifications, screen readers, and clients that cannot draw cards. */
  text: string;
  blocks?: Block[];
}

/** `secret`: a signing PIN; masked where the platform can (Teams), never echoed back as an initial value. */
export type FormFieldKind = 'text' | 'textarea' | 'select' | 'multiselect' | 'user' | 'date' | 'radio' | 'secret';

export interface FormField {
  id: string;
  label: string;
  kind: FormFieldKind;
  options?: { value: string; label: string }[];
  initial?: string;
  optional?: boolean;
  hint?: string;
  placeholder?: string;
}

/** A form a person fills in: a modal on Slack, a card or dialog on Teams. */
export interface Form {
  /** Routed to a command's form handler, e.g. `escalation.request`. */
  id: string;
  title: string;
  submitLabel: string;
  /** Opaque state carried through the platform and back on submit (ids, page numbers). */
  state: string;
  intro?: string;
  fields: FormField[];
}

export const ephemeral = (text: string, blocks?: Block[]): Reply => ({ visibility: 'ephemeral', text, blocks });
export const inChannel = (text: string, blocks?: Block[]): Reply => ({ visibility: 'in_channel', text, blocks });

/** A mention token the renderers turn into a platform mention or a printed name. */
export function mention(principal: string, name: string): string {
  return `<@${principal}|${name.replace(/[|<>\n]/g, ' ')}>`;
}
