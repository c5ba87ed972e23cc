import { describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.ts';
import { ACTIONS, isActionId } from '../../src/chat/actions.ts';

describe('the action id table', () => {
  it('has exactly one handler for every id, and no handler outside the table', () => {
    const handled = registry.actions.map((a) => a.action).sort();
    // A suggestion button runs a command, so dispatch handles it rather than a registered handler.
    const registered = Object.values(ACTIONS).filter((id) => id !== ACTIONS.suggestedCommand);
    expect(handled).toEqual(registered.sort());
  });

  it('accepts only ids from the table', () => {
    expect(isActionId('finding.ack')).toBe(true);
    expect(isActionId('finding.ack#2')).toBe(false);
    expect(isActionId('finding.ak')).toBe(false);
    expect(isActionId('toString')).toBe(false);
  });
});
