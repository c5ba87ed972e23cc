import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/chat/actions.ts';
import type { Block } from '../../src/chat/reply.ts';
import { type ComingUpVendor, ownerDigest } from '../../src/chat/views/owner-digest.ts';
import { LATE_NOTE } from '../../src/chat/views/wording.ts';
import { renderMessage as slackMessage } from '../../src/slack/render.ts';
import { renderCard } from '../../src/teams/render.ts';

// The daily "Coming up" digest as the owner reads it: vendors soonest first, each item with its date,
// what was done since marked with a tick, one posture button per vendor, on Slack and Teams.

const today = '2026-06-15';
const acme: ComingUpVendor = {
  vendor: { id: 3, name: 'Acme Health Cloud', tier: 'critical' },
  items: [
    { kind: 'review', on: '2026-07-15' },
    { kind: 'finding', on: '2026-06-18', id: 12, title: 'MFA not enforced' },
  ],
  done: [],
};
const beta: ComingUpVendor = {
  vendor: { id: 4, name: 'Beta Labs', tier: 'high' },
  items: [{ kind: 'evidence', on: '2026-06-22', label: 'SOC 2 Type II' }],
  done: ['GDPR DPA renewed.'],
};
const buttons = (blocks: Block[] | undefined) =>
  (blocks ?? []).flatMap((b) => (b.type === 'actions' ? b.buttons.map((x) => `${x.action}:${x.value}`) : []));

describe('owner digest', () => {
  it('lists vendors soonest first, each item with its date, and says how much is coming up', () => {
    const reply = ownerDigest({ today, vendors: [beta, acme], late: false });
    expect(reply.text.split('\n')).toEqual([
      'Coming up: 3 items for 2 vendors.',
      'Acme Health Cloud: Finding #12 due in 3 days under its SLA (2026-06-18): MFA not enforced; Reassessment due in 30 days (2026-07-15)',
      'Beta Labs: SOC 2 Type II expires in 7 days (2026-06-22); ✓ GDPR DPA renewed.',
    ]);
    expect(reply.blocks?.[0]).toEqual({ type: 'header', text: 'Coming up' });
    expect(buttons(reply.blocks)).toEqual([
      `${ACTIONS.suggestedCommand}:posture "Acme Health Cloud"`,
      `${ACTIONS.suggestedCommand}:posture "Beta Labs"`,
    ]);
  });

  it('says when everything on it is done, with no buttons left, and notes a late heads-up only while open', () => {
    const done = ownerDigest({ today, vendors: [{ ...beta, items: [] }], late: true });
    expect(done.blocks?.[0]).toEqual({ type: 'header', text: 'Coming up: all done' });
    expect(buttons(done.blocks)).toEqual([]);
    expect(done.text).not.toContain(LATE_NOTE);
    expect(ownerDigest({ today, vendors: [acme], late: true }).text).toContain(LATE_NOTE);
  });

  it("says where the heads-ups went when they all moved to their vendors' own reminders", () => {
    const emptied = ownerDigest({ today, vendors: [], late: false });
    expect(JSON.stringify(emptied.blocks)).toContain('in the vendor’s own reminder');
    expect(JSON.stringify(emptied.blocks)).not.toContain('left to do');
  });

  it('fits Slack and Teams however many vendors it lists, pointing to the rest', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      ...beta,
      vendor: { ...beta.vendor, id: i, name: `Vendor ${String(i).padStart(2, '0')}` },
    }));
    const reply = ownerDigest({ today, vendors: many, late: false });
    expect(reply.blocks?.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(reply.blocks)).toContain('And 20 more vendors');
    expect(slackMessage(reply).blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(renderCard(reply))).toContain('posture \\"Vendor 00\\"');
  });
});
