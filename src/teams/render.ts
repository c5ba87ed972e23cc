import { teamsLiteral } from '../chat/inert.ts';
import { fallbackText } from '../chat/fallback-text.ts';
import type { Block, Button, Field, Reply } from '../chat/reply.ts';
import { cardBytes, type Json, LIMITS, truncate } from './limits.ts';
import { type MentionEntity, Mentions, toPlain, toTeamsMarkdown } from './markdown.ts';

// The neutral Reply as an Adaptive Card (schema 1.5, the version Teams needs for Universal Actions).
// Buttons are Action.Execute with `verb` = the action id and `data` = { value }, so a click comes back as
// an `adaptiveCard/action` invoke routed like a Slack button; `more` buttons go to the card's overflow
// menu (`mode: secondary`); a button with a confirmation opens an inline card that asks first.

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: Json[];
  fallbackText?: string;
  msteams: { width: 'Full'; entities?: MentionEntity[] };
}

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export interface CardMessage {
  type: 'message';
  summary: string;
  attachments: { contentType: string; content: AdaptiveCard }[];
}

/** A message activity carrying the reply as one card; `summary` is what notifications show. */
export function renderMessage(reply: Reply): CardMessage {
  return cardMessage(renderCard(reply));
}

export function cardMessage(card: AdaptiveCard): CardMessage {
  return {
    type: 'message',
    summary: card.fallbackText ?? '',
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card }],
  };
}

/** The reply as a card, cut to Teams' size budget (about 80 KB) with a note of what was left out. */
export function renderCard(reply: Reply): AdaptiveCard {
  const blocks: Block[] = reply.blocks?.length ? reply.blocks : [{ type: 'text', text: reply.text }];
  let kept = blocks;
  let card = build(kept, summaryOf(reply), 0);
  while (cardBytes(card) > LIMITS.cardBytes && kept.length > 1) {
    // Drop the last block that is not the final row of buttons, so the card stays actionable.
    const actionsAt = kept.findLastIndex((b) => b.type === 'actions');
    const dropAt = actionsAt === kept.length - 1 ? kept.length - 2 : kept.length - 1;
    kept = kept.filter((_, i) => i !== dropAt);
    card = build(kept, summaryOf(reply), blocks.length - kept.length);
  }
  if (cardBytes(card) > LIMITS.cardBytes) card = build(kept, summaryOf(reply), 0, LIMITS.cardBytes / 4);
  return card;
}

function build(blocks: Block[], fallback: string, omitted: number, maxText: number = LIMITS.textBlock): AdaptiveCard {
  const mentions = new Mentions();
  const body: Json[] = [];
  let separator = false;
  for (const block of blocks) {
    if (block.type === 'divider') {
      separator = true;
      continue;
    }
    const elements = renderBlock(block, mentions, maxText);
    const first = elements[0];
    if (separator && first) {
      first.separator = true;
      first.spacing = 'Medium';
    }
    separator = false;
    body.push(...elements);
  }
  if (omitted > 0) body.splice(lastActionsIndex(body), 0, context(`…and ${omitted} more`, mentions, maxText));
  const entities = mentions.list();
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    fallbackText: fallback,
    msteams: entities.length ? { width: 'Full', entities } : { width: 'Full' },
  };
}

function lastActionsIndex(body: Json[]): number {
  const at = body.findLastIndex((e) => e.type === 'ActionSet');
  return at === body.length - 1 ? at : body.length;
}

function renderBlock(block: Exclude<Block, { type: 'divider' }>, mentions: Mentions, maxText: number): Json[] {
  switch (block.type) {
    case 'header':
      return [
        {
          type: 'TextBlock',
          text: teamsLiteral(truncate(toPlain(block.text), LIMITS.headerText)),
          style: 'heading',
          size: 'Medium',
          weight: 'Bolder',
          wrap: true,
        },
      ];
    case 'text':
      return [{ type: 'TextBlock', text: truncate(toTeamsMarkdown(block.text, mentions), maxText), wrap: true }];
    case 'fields':
      return [{ type: 'FactSet', facts: block.fields.map((f) => renderFact(f, mentions)) }];
    case 'context':
      return [context(block.text, mentions, maxText)];
    case 'actions':
      return [{ type: 'ActionSet', actions: [...block.buttons.map(renderButton), ...secondary(block.more ?? [])] }];
  }
}

function context(text: string, mentions: Mentions, maxText: number): Json {
  const rendered = truncate(toTeamsMarkdown(text, mentions), maxText);
  return { type: 'TextBlock', text: rendered, size: 'Small', isSubtle: true, wrap: true };
}

function renderFact(field: Field, mentions: Mentions): Json {
  const value = field.value.trim() ? toTeamsMarkdown(field.value, mentions) : '—';
  return {
    title: teamsLiteral(truncate(toPlain(field.label), LIMITS.factTitle)),
    value: truncate(value, LIMITS.factValue),
  };
}

function secondary(buttons: Button[]): Json[] {
  return buttons.map((b) => ({ ...renderButton(b), mode: 'secondary' }));
}

/** One button: Action.Execute, or a small inline card asking for confirmation before it. */
export function renderButton(button: Button): Json {
  const execute: Json = {
    type: 'Action.Execute',
    title: truncate(toPlain(button.label), LIMITS.buttonTitle),
    verb: button.action,
    data: { value: button.value },
    ...(button.style ? { style: button.style === 'danger' ? 'destructive' : 'positive' } : {}),
  };
  if (!button.confirm) return execute;
  const { confirm } = button;
  return {
    type: 'Action.ShowCard',
    title: execute.title,
    card: {
      type: 'AdaptiveCard',
      body: [
        {
          type: 'TextBlock',
          text: teamsLiteral(truncate(toPlain(confirm.title), LIMITS.headerText)),
          weight: 'Bolder',
          wrap: true,
        },
        { type: 'TextBlock', text: teamsLiteral(truncate(toPlain(confirm.text), LIMITS.factValue)), wrap: true },
      ],
      actions: [{ ...execute, title: truncate(toPlain(confirm.confirm), LIMITS.buttonTitle) }],
    },
  };
}

function summaryOf(reply: Reply): string {
  return truncate(toPlain(fallbackText(reply)), LIMITS.summary);
}
