import { describe, expect, it } from 'vitest';
import { parseChannelRef, parseUserRef } from '../../src/chat/refs.ts';
import { tokenize } from '../../src/chat/tokenize.ts';
import { neutralizeSlackRefs } from '../../src/slack/refs.ts';

describe('neutralizeSlackRefs', () => {
  it('turns escaped users and channels into neutral tokens that survive tokenizing', () => {
    const text = neutralizeSlackRefs('assign 12 <@U123|dana> notify <#C9|risk-team> <@W55>');
    expect(text).toBe('assign 12 <@slack:U123|dana> notify <#slack:C9|risk-team> <@slack:W55|W55>');
    const words = tokenize(text);
    expect(words.map(parseUserRef)).toEqual([null, null, 'slack:U123', null, null, 'slack:W55']);
    expect(parseChannelRef(words[4] ?? '')).toBe('slack:C9');
  });

  it('keeps user groups, @here and links as what people typed, and unescapes entities once', () => {
    expect(
      neutralizeSlackRefs('<!subteam^S1|@security> <!here> <https://x.test/a?b=1&amp;c=2|x.test> A &amp;lt; B'),
    ).toBe('@security @here https://x.test/a?b=1&c=2 A &lt; B');
    expect(neutralizeSlackRefs('<mailto:dpo@acme.test|dpo@acme.test>')).toBe('dpo@acme.test');
  });

  it('leaves plain words alone', () => {
    expect(neutralizeSlackRefs('posture "Acme Health"')).toBe('posture "Acme Health"');
  });
});

describe('parseUserRef / parseChannelRef', () => {
  it('accept neutral tokens of any platform and refuse plain names', () => {
    expect(parseUserRef('<@teams:29:1abc|Dana Lee>')).toBe('teams:29:1abc');
    expect(parseUserRef('@dana')).toBeNull();
    expect(parseUserRef('<#slack:C1|risk>')).toBeNull();
    expect(parseChannelRef('<#slack:C1|risk>')).toBe('slack:C1');
    expect(parseChannelRef('#risk')).toBeNull();
  });
});
