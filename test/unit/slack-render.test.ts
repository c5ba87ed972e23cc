import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/chat/actions.ts';
import { type Block, type Button, inChannel, mention } from '../../src/chat/reply.ts';
import { messageBlockProblems, viewProblems } from '../../src/playground/slack-web-api-blocks.ts';
import { decodeActionId, decodeOverflowValue } from '../../src/slack/action-ids.ts';
import { renderHome, renderMessage } from '../../src/slack/render.ts';

type AnyBlock = { type: string; [key: string]: unknown };
const blocksOf = (blocks: Block[]) => renderMessage(inChannel('fallback', blocks)).blocks as unknown as AnyBlock[];
const sectionText = (b: AnyBlock | undefined) => (b?.text as { text: string } | undefined)?.text;
const elements = (b: AnyBlock | undefined) => (b?.elements ?? []) as AnyBlock[];
const buttonText = (e: AnyBlock | undefined) => (e?.text as { text: string } | undefined)?.text ?? '';
const fieldTexts = (b: AnyBlock | undefined) => ((b?.fields ?? []) as { text: string }[]).map((f) => f.text);

describe('renderMessage: Markdown to mrkdwn', () => {
  it('converts bold, links and Slack mentions, and escapes control characters', () => {
    const [section] = blocksOf([
      {
        type: 'text',
        text: `**Acme & Co** <b> owned by ${mention('slack:U123', 'Dana Lee')} — [report](https://x.test/r?a=1&b=2)`,
      },
    ]);
    expect(sectionText(section)).toBe(
      '*Acme &amp; Co* &lt;b&gt; owned by <@U123> — <https://x.test/r?a=1&amp;b=2|report>',
    );
  });

  it('prints the name of a person from another platform instead of a broken mention', () => {
    const [section] = blocksOf([{ type: 'text', text: `Owner: ${mention('teams:29:abc', 'Lee & Co')}` }]);
    expect(sectionText(section)).toBe('Owner: Lee &amp; Co');
  });

  it('leaves code spans unformatted and does not turn unsafe link schemes into links', () => {
    const [section] = blocksOf([{ type: 'text', text: '`**x**` and [click](javascript:alert(1))' }]);
    expect(sectionText(section)).toBe('`**x**` and [click](javascript:alert(1))');
  });

  it('keeps a plain-text fallback on every message, converted like the blocks', () => {
    const message = renderMessage(inChannel(`**Finding** for ${mention('slack:U9', 'Lee')}`, [{ type: 'divider' }]));
    expect(message.text).toBe('*Finding* for <@U9>');
    expect(renderMessage(inChannel('', [{ type: 'header', text: 'Posture' }])).text).toBe('Posture');
  });

  it('renders a text-only reply as a section', () => {
    expect(renderMessage(inChannel('Note saved.')).blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: 'Note saved.' } },
    ]);
  });
});

describe('renderMessage: Block Kit limits', () => {
  it('keeps 50 blocks out of 60, says how many were left out and keeps the last row of buttons', () => {
    const many: Block[] = Array.from({ length: 59 }, (_, i) => ({ type: 'text', text: `Vendor ${i + 1}` }));
    const blocks = blocksOf([
      ...many,
      { type: 'actions', buttons: [{ action: 'list.page', label: 'Next', value: '2' }] },
    ]);
    expect(blocks).toHaveLength(50);
    expect(sectionText(blocks[47])).toBe('Vendor 48');
    expect(blocks[48]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '…and 11 more' }] });
    expect(blocks[49]?.type).toBe('actions');
    expect(buttonText(elements(blocks[49])[0])).toBe('Next');
    expect(messageBlockProblems(blocks)).toEqual([]);
  });

  it('splits a 5000-character section into sections of at most 3000 without losing text', () => {
    const words = Array.from({ length: 1000 }, (_, i) => `w${String(i).padStart(3, '0')}`).join(' ');
    expect(words.length).toBe(4999);
    const blocks = blocksOf([{ type: 'text', text: words }]);
    expect(blocks.length).toBe(2);
    for (const b of blocks) expect(sectionText(b)?.length).toBeLessThanOrEqual(3000);
    expect(blocks.map(sectionText).join(' ')).toBe(words);
    expect(messageBlockProblems(blocks)).toEqual([]);
  });

  it('cuts an 80-character button label to 75 with an ellipsis, and a long header to 150', () => {
    const label = 'A'.repeat(80);
    const [actions] = blocksOf([{ type: 'actions', buttons: [{ action: 'list.page', label, value: '1' }] }]);
    const text = buttonText(elements(actions)[0]);
    expect(text).toHaveLength(75);
    expect(text.endsWith('…')).toBe(true);
    const [header] = blocksOf([{ type: 'header', text: 'H'.repeat(200) }]);
    expect(sectionText(header)).toHaveLength(150);
  });

  it('never cuts through a mention when truncating a field', () => {
    const value = `${'x'.repeat(1990)} ${mention('slack:U12345', 'Dana')} tail`;
    const [section] = blocksOf([{ type: 'fields', fields: [{ label: 'Owner', value }] }]);
    const field = fieldTexts(section)[0] ?? '';
    expect(field.length).toBeLessThanOrEqual(2000);
    expect(field).not.toMatch(/<@U12[^>]*$/);
    expect(field.endsWith('…')).toBe(true);
  });

  it('puts at most 10 fields in a section', () => {
    const fields = Array.from({ length: 13 }, (_, i) => ({ label: `F${i}`, value: `v${i}` }));
    const blocks = blocksOf([{ type: 'fields', fields }]);
    expect(blocks.map((b) => (b.fields as unknown[]).length)).toEqual([10, 3]);
    expect(fieldTexts(blocks[0])[0]).toBe('*F0*\nv0');
  });
});

describe('renderMessage: buttons', () => {
  const ack = (id: number): Button => ({ action: 'finding.ack', label: `Ack ${id}`, value: String(id) });

  it('gives repeated actions unique ids that decode back to the action', () => {
    const [actions] = blocksOf([{ type: 'actions', buttons: [ack(1), ack(2), ack(3)] }]);
    const ids = elements(actions).map((e) => e.action_id as string);
    expect(new Set(ids).size).toBe(3);
    expect(ids.map(decodeActionId)).toEqual(['finding.ack', 'finding.ack', 'finding.ack']);
  });

  it('keeps styles and confirm dialogs, cutting their texts to Slack limits', () => {
    const [actions] = blocksOf([
      {
        type: 'actions',
        buttons: [
          {
            action: 'approval.reject',
            label: 'Reject',
            value: '7',
            style: 'danger',
            confirm: { title: 'Reject?', text: 'x'.repeat(400), confirm: 'Reject', deny: 'Cancel' },
          },
        ],
      },
    ]);
    const button = elements(actions)[0] as unknown as {
      style: string;
      confirm: { text: { text: string }; style: string };
    };
    expect(button.style).toBe('danger');
    expect(button.confirm.style).toBe('danger');
    expect(button.confirm.text.text).toHaveLength(300);
  });

  it('folds `more` buttons into overflow menus of five that decode to action and value', () => {
    const ids = Object.values(ACTIONS).slice(0, 7);
    const more = ids.map((action, i) => ({
      action,
      label: `More ${i}`,
      value: `${i}`,
    }));
    const [actions] = blocksOf([{ type: 'actions', buttons: [ack(1)], more }]);
    const [button, first, second] = elements(actions);
    expect(button?.type).toBe('button');
    expect(first?.type).toBe('overflow');
    const options = first?.options as { value: string }[];
    expect(options).toHaveLength(5);
    expect(second?.options).toHaveLength(2);
    expect(decodeOverflowValue(options[2]?.value ?? '')).toEqual({ action: ids[2], value: '2' });
  });

  it('keeps a `more` button whose value is too long for an overflow option as a real button', () => {
    const [actions] = blocksOf([
      { type: 'actions', buttons: [], more: [{ action: 'list.page', label: 'Long', value: 'v'.repeat(100) }] },
    ]);
    expect(elements(actions).map((e) => e.type)).toEqual(['button']);
    expect(elements(actions)[0]?.value).toBe('v'.repeat(100));
  });

  it('splits more than 25 elements into several action rows', () => {
    const buttons = Array.from({ length: 30 }, (_, i) => ack(i));
    expect(blocksOf([{ type: 'actions', buttons }]).map((b) => elements(b).length)).toEqual([25, 5]);
  });
});

describe('renderHome', () => {
  it('is a home view with up to 100 blocks', () => {
    const many: Block[] = Array.from({ length: 120 }, (_, i) => ({ type: 'context', text: `row ${i}` }));
    const view = renderHome(many);
    expect(view.type).toBe('home');
    expect(view.blocks).toHaveLength(100);
    expect(viewProblems(view, 'home')).toEqual([]);
  });
});
