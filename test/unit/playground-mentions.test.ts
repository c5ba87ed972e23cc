import { describe, expect, it } from 'vitest';
import { escapeMentions } from '../../src/playground/slack-client.ts';

// What the playground's Slack client sends for a typed `@name`: Slack's escaped mention of that person
// (the manifest turns escaping on), and the text as typed for anything that is not a person here.

const users = [
  { id: 'UDEMOANALYST', name: 'dana', realName: 'Dana Reyes', displayName: 'Dana Reyes' },
  { id: 'UBOT', name: 'vendor-risk', realName: 'vendor-risk', displayName: 'vendor-risk', isBot: true },
];

describe('mentions typed in the playground composer', () => {
  it('become the person’s id, as at the start, after a space or a bracket, and before a full stop', () => {
    expect(escapeMentions('role @dana approver', users)).toBe('role <@UDEMOANALYST|dana> approver');
    expect(escapeMentions('@Dana', users)).toBe('<@UDEMOANALYST|dana>');
    expect(escapeMentions('owner (@dana).', users)).toBe('owner (<@UDEMOANALYST|dana>).');
  });

  it('leave unknown names, bots, addresses and words that merely start with the name as typed', () => {
    expect(escapeMentions('role @dan approver', users)).toBe('role @dan approver');
    expect(escapeMentions('@vendor-risk help', users)).toBe('@vendor-risk help');
    expect(escapeMentions('mail risk@dana', users)).toBe('mail risk@dana');
    expect(escapeMentions('@danaX', users)).toBe('@danaX');
  });
});
