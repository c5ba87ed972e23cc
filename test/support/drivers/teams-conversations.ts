import type { Message } from '../../scenarios/driver.ts';
import type { ConnectorCall } from '../bot-connector.ts';
import { type Card, teamsFacts, teamsText } from './teams-facts.ts';

// The conversations as Teams users see them, rebuilt from what the bot sent the Bot Connector: new
// messages, replies in a channel message's thread (`<channel>;messageid=<root>`), and edits (PUT) that
// replace a message's card wherever it is shown.

/** A message the driver can click: its conversation as a click names it, its id and its card. */
export interface TeamsHandle {
  conversation: string;
  id: string;
  card: Card;
}

export function cardOf(call: ConnectorCall): Card | null {
  const content = call.activity.attachments?.[0]?.content;
  return content ? (content as Card) : null;
}

/** A card's facts; a plain-text activity (an apology) reads as its text. */
export function factsOf(card: Card | null, text: unknown) {
  if (card) return teamsFacts(card);
  return teamsFacts({ body: [{ type: 'TextBlock', text: teamsText(String(text ?? '')) }] });
}

const base = (conversation: string) => conversation.split(';messageid=')[0] ?? conversation;

/** The card a message shows now: its last edit, or what was first sent. */
export function currentCard(calls: ConnectorCall[], id: string, first: Card | null): Card | null {
  const edit = calls.filter((c) => c.kind === 'update' && c.activityId === id).at(-1);
  return edit ? cardOf(edit) : first;
}

export function messageFrom(calls: ConnectorCall[], call: ConnectorCall, clickable: string): Message {
  const card = currentCard(calls, call.id, cardOf(call));
  const handle: TeamsHandle = { conversation: clickable, id: call.id, card: card ?? { body: [] } };
  return { ...factsOf(card, call.activity.text), id: call.id, private: false, replaced: false, handle };
}

/** Top-level messages the bot posted in a conversation, as they stand now. */
export function topLevel(calls: ConnectorCall[], conversation: string): Message[] {
  const channel = !conversation.startsWith('a:');
  return calls
    .filter((c) => c.kind === 'send' && c.conversationId === conversation && c.activity.type === 'message')
    .map((c) => messageFrom(calls, c, channel ? `${conversation};messageid=${c.id}` : conversation));
}

/** The replies in a channel message's thread, as text. */
export function threadOf(calls: ConnectorCall[], handle: TeamsHandle): string[] {
  const thread = `${base(handle.conversation)};messageid=${handle.id}`;
  return calls
    .filter((c) => c.kind === 'send' && c.conversationId === thread && c.activity.type === 'message')
    .map((c) => factsOf(currentCard(calls, c.id, cardOf(c)), c.activity.text).all);
}
