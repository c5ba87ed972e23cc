import type { BlockElementAction } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { inChannel } from '../../src/chat/reply.ts';
import { readAction } from '../../src/slack/on-action.ts';
import { renderMessage } from '../../src/slack/render.ts';

// What a click on a rendered message routes to: the round trip render -> Slack payload -> action.

const text = (t: string) => ({ type: 'plain_text' as const, text: t });
const base = { block_id: 'b', action_ts: '1767000000.000001' };

describe('readAction', () => {
  const { blocks } = renderMessage(
    inChannel('card', [
      {
        type: 'actions',
        buttons: [
          { action: 'finding.ack', label: 'Ack 1', value: '1' },
          { action: 'finding.ack', label: 'Ack 2', value: '2' },
        ],
        more: [{ action: 'finding.withdraw', label: 'Snooze', value: '2|1d' }],
      },
    ]),
  );
  const elements = (blocks[0] as { elements: { action_id: string; options?: { value: string }[] }[] }).elements;

  it('routes the second of two identical buttons to the neutral action with its own value', () => {
    const second = elements[1];
    const action = { ...base, type: 'button', action_id: second?.action_id ?? '', value: '2', text: text('Ack 2') };
    expect(readAction(action as BlockElementAction)).toEqual({ name: 'finding.ack', value: '2' });
  });

  it('routes an overflow choice to the action named in its option, value intact', () => {
    const overflow = elements[2];
    const option = overflow?.options?.[0];
    const action = {
      ...base,
      type: 'overflow',
      action_id: overflow?.action_id ?? '',
      selected_option: { text: text('Snooze'), value: option?.value ?? '' },
    };
    expect(readAction(action as BlockElementAction)).toEqual({ name: 'finding.withdraw', value: '2|1d' });
  });

  it('reads selects as values and people as principals', () => {
    const user = { ...base, type: 'users_select', action_id: 'finding.assign#3', selected_user: 'U42' };
    expect(readAction(user as BlockElementAction)).toEqual({ name: 'finding.assign', value: 'slack:U42' });
    const select = {
      ...base,
      type: 'static_select',
      action_id: 'page.size',
      selected_option: { text: text('25'), value: '25' },
    };
    expect(readAction(select as BlockElementAction)).toEqual({ name: 'page.size', value: '25' });
  });
});
