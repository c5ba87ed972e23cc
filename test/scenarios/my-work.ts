import { expect } from 'vitest';
import { escalated } from './approvals-flow.ts';
import { formOf, messageOf } from './driver.ts';
import type { Scenario } from './scenario.ts';
import { standardWorld } from './world.ts';

// `my work`: one person's queue as a message, the same on Slack and Teams (Slack also shows it on the
// Home tab). Each role reads its own lists with the button for the next step, and an empty queue
// reads as an all-clear.

export const myWorkScenarios: Scenario[] = [
  {
    name: 'my work shows the owner their review and the evidence to renew, and starts the reassessment',
    async run(driver) {
      await standardWorld(driver);
      const work = messageOf(await driver.run('olive', 'my work'));
      expect(work.title).toBe('My work');
      expect(work.private).toBe(true);
      expect(work.all).toContain('Reviews overdue and due soon (1)');
      expect(work.all).toContain('Acme Health Cloud (critical tier) · review due in 19 days (2026-06-20)');
      expect(work.all).toContain('Evidence to renew');
      expect(work.all).toContain('Acme Health Cloud: SOC 2 Type II expires 2026-06-15 (in 14 days)');
      const form = formOf(await driver.click('olive', work, 'Start reassessment'));
      expect(form.title).toContain('Reassess');
    },
  },
  {
    name: 'my work shows an approver the waiting decision until it is signed',
    async run(driver) {
      const { request } = await escalated(driver);
      const before = messageOf(await driver.run('pat', 'my work'));
      expect(before.all).toContain('Decisions waiting for you (1)');
      expect(before.buttons).toEqual(expect.arrayContaining(['Approve', 'Reject']));
      messageOf(await driver.click('pat', request, 'Approve'));
      const after = messageOf(await driver.run('pat', 'my work'));
      expect(after.all).not.toContain('Decisions waiting for you');
      expect(after.all).toContain('No decisions are waiting for you.');
    },
  },
  {
    name: 'my work gives a viewer with nothing to do an all-clear, and a stray word the right form',
    async run(driver) {
      await standardWorld(driver);
      const clear = messageOf(await driver.run('vic', 'my work'));
      expect(clear.all).toContain('All clear');
      expect(clear.all).toContain('Nothing needs you right now');
      expect(clear.buttons).toEqual([]);
      const bad = messageOf(await driver.run('vic', 'my stuff'));
      expect(bad.all).toContain('Did you mean my work?');
    },
  },
];
