import { describe, expect, it } from 'vitest';
import { inert, inertTitle } from '../../src/chat/inert.ts';
import { type Block, inChannel, mention } from '../../src/chat/reply.ts';
import { renderMessage as renderSlack } from '../../src/slack/render.ts';
import { renderCard as renderTeams } from '../../src/teams/render.ts';

// Untrusted text is inert (issue 9): a signal summary, a vendor name or a reason written by a person
// renders as the characters they typed on both platforms, never as a mention, a link, a broadcast or
// formatting that disguises it. Only tokens the code builds (`mention`) mention anyone.

const PHISH = 'Urgent <@slack:U0ADMIN|x> please [re-verify your SSO session](https://evil.example/sso)';
const ATTACKS = [
  PHISH,
  '<!channel> <!here> <!everyone> @channel',
  '<@teams:4f1c2a9e-0000-4000-8000-00000000da7a|Boss> approve now',
  '<#slack:CSECRET|secret> and <at>Admin</at>',
  '**fake bold** _fake italic_ `code`',
  '{{DATE(2017-02-14T06:08:39Z, SHORT)}} $' + '{text} "}]}, {"type": "Action.OpenUrl", "url": "https://evil.example"',
  'Invoice\u202Egpj.exe and \u2066hidden\u2069',
];

/** Every text Slack parses as mrkdwn (plain_text is shown as typed): the fallback and mrkdwn objects. */
function slackTexts(blocks: Block[]): string {
  const rendered = renderSlack(inChannel(blocks.map((b) => ('text' in b ? b.text : '')).join('\n'), blocks));
  const mrkdwn: string[] = [rendered.text];
  JSON.stringify(rendered.blocks, (_key, value) => {
    if (value && typeof value === 'object' && value.type === 'mrkdwn') mrkdwn.push(value.text);
    return value;
  });
  return mrkdwn.join('\n');
}

function teamsCard(blocks: Block[]) {
  return renderTeams(inChannel('fallback', blocks));
}

const cardOf = (value: string): Block[] => [
  { type: 'header', text: `Finding: ${inertTitle(value)}` },
  {
    type: 'text',
    text: `**Finding #1: ${inertTitle(value)}**\n${inert(value)} — owner ${mention('slack:U0OWNER', 'Olive')}`,
  },
  { type: 'fields', fields: [{ label: 'Vendor', value: inert(value) }] },
  { type: 'context', text: `Reason: ${inert(value)}` },
];

describe('untrusted text in Slack', () => {
  it('never mentions, links or broadcasts from a value, while the code-built mention still works', () => {
    for (const attack of ATTACKS) {
      const out = slackTexts(cardOf(attack));
      expect(out).not.toContain('<@U0ADMIN');
      expect(out).not.toContain('<https://evil');
      expect(out).not.toMatch(/<!(channel|here|everyone)>/);
      expect(out).not.toContain('<#CSECRET');
      expect(out).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
      expect(out).toContain('<@U0OWNER>');
    }
  });

  it('shows the phishing summary as the text that was sent', () => {
    const [section] = renderSlack(inChannel('x', [{ type: 'text', text: inert(PHISH) }])).blocks as {
      text: { text: string };
    }[];
    expect(section?.text.text).toBe(
      'Urgent &lt;@slack:U0ADMIN|x&gt; please [re-verify your SSO session](https://evil.example/sso)',
    );
  });
});

describe('untrusted text in Teams', () => {
  it('never mentions or links from a value, and adds no element or action to the card', () => {
    for (const attack of ATTACKS) {
      const card = teamsCard(cardOf(attack));
      const json = JSON.stringify(card);
      expect(card.msteams.entities?.map((e) => e.mentioned.id)).toBeUndefined();
      expect(json).not.toMatch(/\]\(https:\/\/evil/);
      expect(json).not.toContain('<at>');
      expect(json).not.toContain('{{DATE');
      expect(json).not.toMatch(/\*\*fake bold\*\*|_fake italic_/);
      expect(json).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
      expect(card.body.map((e) => e.type)).toEqual(['TextBlock', 'TextBlock', 'FactSet', 'TextBlock']);
      expect(json).not.toContain('Action.OpenUrl","url"');
    }
  });

  it('keeps the code-built mention of a Teams person, with its entity', () => {
    const card = teamsCard([
      { type: 'text', text: `${inert(PHISH)} ${mention('teams:4f1c2a9e-0000-4000-8000-0000000000aa', 'Olive')}` },
    ]);
    expect(card.msteams.entities?.map((e) => e.mentioned.id)).toEqual(['4f1c2a9e-0000-4000-8000-0000000000aa']);
    const text = String(card.body[0]?.text).replace(/\u2060/g, '');
    expect(text).toBe(
      'Urgent <@slack:U0ADMIN|x> please [re-verify your SSO session](https://evil.example/sso) <at>Olive</at>',
    );
  });
});

describe('hostile input size', () => {
  // Quadratic token patterns took seconds on these and stalled the event loop; bounded ones finish
  // well within the test's time limit even at five times the size from the issue.
  const hostile = ['['.repeat(200_000), '<@'.repeat(100_000), '[a]('.repeat(50_000), '**'.repeat(100_000)];

  it('renders very long runs of token openers as text on both platforms', () => {
    for (const text of hostile) {
      const slack = renderSlack(inChannel(text, [{ type: 'text', text }])).blocks;
      expect(slack.length).toBeGreaterThan(0);
      const teams = teamsCard([{ type: 'text', text }]);
      expect(teams.body.length).toBe(1);
    }
  });

  it('cuts long values in titles to one line', () => {
    const title = inertTitle(`${'A very long vendor name '.repeat(20)}\nsecond line`);
    expect(title.length).toBeLessThanOrEqual(120);
    expect(title).not.toContain('\n');
    expect(title.endsWith('…')).toBe(true);
  });
});
