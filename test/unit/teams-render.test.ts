import { describe, expect, it } from 'vitest';
import { mention, type Reply } from '../../src/chat/reply.ts';
import { cardBytes, LIMITS } from '../../src/teams/limits.ts';
import { toTeamsMarkdown } from '../../src/teams/markdown.ts';
import { renderCard, renderMessage } from '../../src/teams/render.ts';

const DANA = 'd0d0d0d0-0000-4000-8000-000000000001';

const findingCard: Reply = {
  visibility: 'in_channel',
  text: 'Finding F-12: exposed database at Acme',
  blocks: [
    { type: 'header', text: 'F-12 · **Exposed** database' },
    {
      type: 'text',
      text: `Owner ${mention(`teams:${DANA}`, 'Dana Lee')} — see [the report](https://example.com/r/12)`,
    },
    {
      type: 'fields',
      fields: [
        { label: 'Severity', value: 'High' },
        { label: 'Due', value: '' },
      ],
    },
    { type: 'divider' },
    { type: 'context', text: 'Opened by `monitor` via <#slack:C1|risk>' },
    {
      type: 'actions',
      buttons: [
        { action: 'finding.ack', label: 'Acknowledge', value: '12', style: 'primary' },
        {
          action: 'finding.accept',
          label: 'Accept risk',
          value: '12',
          style: 'danger',
          confirm: { title: 'Accept the risk?', text: 'This is signed.', confirm: 'Accept', deny: 'Cancel' },
        },
      ],
      more: [{ action: 'finding.withdraw', label: 'Snooze', value: '12' }],
    },
  ],
};

describe('Adaptive Card rendering', () => {
  const card = renderCard(findingCard);
  const body = card.body as Record<string, unknown>[];

  it('is a schema 1.5 card with a plain-text fallback for notifications', () => {
    expect(card).toMatchObject({
      type: 'AdaptiveCard',
      version: '1.5',
      fallbackText: 'Finding F-12: exposed database at Acme',
    });
    expect(renderMessage(findingCard)).toMatchObject({
      type: 'message',
      summary: 'Finding F-12: exposed database at Acme',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive' }],
    });
  });

  it('draws the header as plain text, facts as a FactSet and context as small subtle text', () => {
    expect(body[0]).toMatchObject({ type: 'TextBlock', text: 'F-12 · Exposed database', weight: 'Bolder' });
    expect(body[2]).toEqual({
      type: 'FactSet',
      facts: [
        { title: 'Severity', value: 'High' },
        { title: 'Due', value: '—' },
      ],
    });
    expect(body[3]).toMatchObject({
      text: 'Opened by monitor via #risk',
      size: 'Small',
      isSubtle: true,
      separator: true,
    });
  });

  it('turns a Teams person into a real mention and keeps links', () => {
    expect(body[1]?.text).toBe('Owner <at>Dana Lee</at> — see [the report](https://example.com/r/12)');
    expect(card.msteams.entities).toEqual([
      { type: 'mention', text: '<at>Dana Lee</at>', mentioned: { id: DANA, name: 'Dana Lee' } },
    ]);
    expect(toTeamsMarkdown('<@slack:U1|Lee> and [x](javascript:void)', null)).toBe('**Lee** and x');
  });

  it('makes buttons Action.Execute with the action id as verb, overflow as secondary, confirmations first', () => {
    const actions = (body[4] as { actions: Record<string, unknown>[] }).actions;
    expect(actions[0]).toEqual({
      type: 'Action.Execute',
      title: 'Acknowledge',
      verb: 'finding.ack',
      data: { value: '12' },
      style: 'positive',
    });
    expect(actions[1]).toMatchObject({ type: 'Action.ShowCard', title: 'Accept risk' });
    expect(JSON.stringify(actions[1])).toContain(
      '"title":"Accept","verb":"finding.accept","data":{"value":"12"},"style":"destructive"',
    );
    expect(actions[2]).toMatchObject({ verb: 'finding.withdraw', mode: 'secondary' });
  });

  it('stays under the 80 KB budget, says how much it left out and keeps its buttons', () => {
    const long: Reply = {
      visibility: 'in_channel',
      text: 'Many findings',
      blocks: [
        ...Array.from({ length: 400 }, (_, i) => ({ type: 'text' as const, text: `Finding ${i}: ${'x'.repeat(400)}` })),
        { type: 'actions', buttons: [{ action: 'list.page', label: 'Next', value: '2' }] },
      ],
    };
    const big = renderCard(long);
    expect(cardBytes(big)).toBeLessThanOrEqual(LIMITS.cardBytes);
    const texts = big.body.map((e) => String(e.text ?? ''));
    expect(texts.some((t) => /^…and \d+ more$/.test(t))).toBe(true);
    expect(big.body.at(-1)).toMatchObject({ type: 'ActionSet' });
  });
});
