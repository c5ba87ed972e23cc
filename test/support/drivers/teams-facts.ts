import type { FormFieldKind } from '../../../src/chat/reply.ts';
import { FORM_SUBMIT_VERB } from '../../../src/teams/forms.ts';
import type { CardFacts, FormFacts, FormFieldFacts } from '../../scenarios/driver.ts';
import { emptyFacts, summed, withoutEmphasis } from './facts.ts';

// An Adaptive Card read back the way a Teams user sees it: `<at>Name</at>` as @Name, links as their
// label, Markdown emphasis undone; headings, facts, subtle text and actions sorted into neutral facts.

export type Element = Record<string, unknown> & { type?: string };
export type Card = { body?: Element[] };

export function teamsText(markdown: string): string {
  const text = markdown.replace(/<at>([^<]*)<\/at>/g, '@$1').replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, '$1');
  // Word joiners keep untrusted text literal (src/chat/inert.ts); nobody sees them.
  return withoutEmphasis(text).replace(/\u2060/g, '');
}

export function teamsFacts(card: Card): CardFacts {
  const facts = emptyFacts();
  for (const element of card.body ?? []) {
    if (element.type === 'TextBlock') {
      const text = teamsText(String(element.text ?? ''));
      if (element.style === 'heading' && facts.title === null) facts.title = text;
      else if (element.isSubtle === true) facts.context.push(text);
      else facts.lines.push(text);
    }
    if (element.type === 'FactSet') {
      for (const fact of (element.facts ?? []) as { title: string; value: string }[]) {
        facts.fields[teamsText(fact.title)] = teamsText(fact.value);
      }
    }
    if (element.type === 'ActionSet') {
      for (const action of actionsOf(element)) facts.buttons.push(String(action.title ?? ''));
    }
  }
  return summed(facts);
}

export function actionsOf(element: Element): Element[] {
  return (element.actions ?? []) as Element[];
}

/** Every action on a card, top-level, in order. */
export function cardActions(card: Card): Element[] {
  return (card.body ?? []).filter((e) => e.type === 'ActionSet').flatMap(actionsOf);
}

/** The form's submit action, when the card is a form. */
export function submitAction(card: Card): Element | undefined {
  return cardActions(card).find((a) => a.type === 'Action.Execute' && a.verb === FORM_SUBMIT_VERB);
}

export function isForm(card: Card): boolean {
  return submitAction(card) !== undefined;
}

export function teamsFormFacts(card: Card, handle: unknown): FormFacts {
  const body = card.body ?? [];
  const fields: FormFieldFacts[] = [];
  const intro: string[] = [];
  let title = '';
  for (const element of body) {
    const id = typeof element.id === 'string' ? /^field:([a-z]+):(.+)$/.exec(element.id) : null;
    if (id) fields.push({ id: id[2] ?? '', label: String(element.label ?? ''), kind: id[1] as FormFieldKind });
    else if (element.type === 'TextBlock' && element.style === 'heading' && !title) title = String(element.text);
    else if (element.type === 'TextBlock' && element.isSubtle !== true && fields.length === 0)
      intro.push(teamsText(String(element.text ?? '')));
  }
  return { title, intro: intro.join('\n'), fields, submitLabel: String(submitAction(card)?.title ?? ''), handle };
}
