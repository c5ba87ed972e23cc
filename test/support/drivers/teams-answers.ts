import { FORM_DRAFT_VERB } from '../../../src/teams/forms.ts';
import type { Answer, FieldInput, Persona } from '../../scenarios/driver.ts';
import type { ConnectorCall } from '../bot-connector.ts';
import type { Activity } from '../teams-requests.ts';
import { cardOf, factsOf, messageFrom, type TeamsHandle } from './teams-conversations.ts';
import { type Card, cardActions, type Element, isForm, submitAction, teamsFormFacts } from './teams-facts.ts';

// Reading what a Teams user sees after typing or clicking, and building what their client sends back.

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
/** How the bot answers a click whose result it posted as a new message for everyone. */
const DONE = '✓ Done';
/** How the bot answers a form submission it refused field by field. */
const CHECK = 'Please check: ';

/** The reply to a typed command: a form, or a message (private only in the 1:1 chat). */
export function answerFromCall(calls: ConnectorCall[], reply: ConnectorCall, personal: boolean): Answer {
  const card = cardOf(reply);
  const clickable = reply.conversationId;
  if (card && isForm(card)) {
    return { kind: 'form', form: teamsFormFacts(card, { conversation: clickable, id: reply.id, card }) };
  }
  return { kind: 'message', message: { ...messageFrom(calls, reply, clickable), private: personal } };
}

type InvokeBody = { statusCode?: number; type?: string; value?: unknown };

/** The answer to a click or a submission: the invoke response, or a card posted for everyone. */
export function answerFromInvoke(
  calls: ConnectorCall[],
  during: ConnectorCall[],
  activity: Activity,
  clicked: TeamsHandle,
  raw: unknown,
): Answer {
  const body = raw as InvokeBody;
  if (body?.type === ADAPTIVE_CARD) {
    const card = body.value as Card;
    const handle: TeamsHandle = { ...clicked, card };
    if (isForm(card)) return { kind: 'form', form: teamsFormFacts(card, handle) };
    const forEveryone = during.some((c) => c.kind === 'update' && c.activityId === clicked.id);
    const message = { ...factsOf(card, ''), id: clicked.id, private: !forEveryone, replaced: true, handle };
    return { kind: 'message', message };
  }
  const text = typeof body?.value === 'string' ? body.value : JSON.stringify(raw);
  if (text.startsWith(CHECK)) return { kind: 'errors', errors: text.slice(CHECK.length).split(' · ') };
  const posted = during.find(
    (c) => c.kind === 'reply' && c.activityId === activity.id && c.activity.type === 'message',
  );
  if (text === DONE && posted) {
    const personal = posted.conversationId.startsWith('a:');
    return { kind: 'message', message: { ...messageFrom(calls, posted, posted.conversationId), private: personal } };
  }
  // A short message only the clicker sees; the card they clicked stays as it was.
  const message = {
    ...factsOf(null, text),
    id: `${activity.id}:answer`,
    private: true,
    replaced: false,
    handle: clicked,
  };
  return { kind: 'message', message };
}

/** The button with this label; behind a confirmation card, the confirming action (the person confirms). */
export function pickAction(card: Card, label: string): { verb: string; data: Record<string, unknown> } {
  const action = cardActions(card).find((a) => a.title === label);
  if (!action) throw new Error(`no button labelled “${label}” on ${JSON.stringify(card)}`);
  const execute =
    action.type === 'Action.ShowCard'
      ? (((action.card as Card & { actions?: Element[] }).actions ?? [])[0] ?? {})
      : action;
  if (execute.type !== 'Action.Execute')
    throw new Error(`“${label}” is not an Action.Execute: ${JSON.stringify(action)}`);
  return { verb: String(execute.verb), data: (execute.data ?? {}) as Record<string, unknown> };
}

/**
 * What Teams sends when a form card's submit is pressed: the action's data merged with every input's
 * value (`associatedInputs: auto`), preset values kept unless changed. People are Entra object ids,
 * several choices one comma-separated string.
 */
export function formData(
  card: Card,
  values: Record<string, FieldInput>,
  aad: (persona: Persona) => string,
  action: Element | undefined = submitAction(card),
): { verb: string; data: Record<string, unknown> } {
  const submit = action;
  if (!submit) throw new Error(`not a form, or no such button on it: ${JSON.stringify(card)}`);
  const data: Record<string, unknown> = { ...(submit.data as Record<string, unknown>) };
  for (const element of card.body ?? []) {
    const id = typeof element.id === 'string' ? /^field:([a-z]+):(.+)$/.exec(element.id) : null;
    if (!id) continue;
    const given = values[id[2] ?? ''];
    let value: string;
    if (given === undefined) value = typeof element.value === 'string' ? element.value : '';
    else if (Array.isArray(given)) value = given.join(',');
    else if (typeof given === 'object') value = aad(given.person);
    else value = given;
    data[String(element.id)] = value;
  }
  return { verb: String(submit.verb), data };
}

/** The same, for the form's "Save draft" button (Teams' stand-in for closing a form). */
export function draftData(card: Card, values: Record<string, FieldInput>, aad: (persona: Persona) => string) {
  const draft = cardActions(card).find((a) => a.type === 'Action.Execute' && a.verb === FORM_DRAFT_VERB);
  return formData(card, values, aad, draft);
}
