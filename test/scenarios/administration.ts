import { expect } from 'vitest';
import { messageOf } from './driver.ts';
import { NOT_ALLOWED, usageOf } from './inventory.ts';
import type { Scenario } from './scenario.ts';
import { standardWorld } from './world.ts';

// Roles, channel subscriptions, the approvals list and asking for a reassessment: happy paths, usage
// text, and the refusals for people without the role.

export const administrationScenarios: Scenario[] = [
  {
    name: 'role shows roles; an admin grants and revokes; a non-admin may not grant',
    async run(driver) {
      await standardWorld(driver);
      const everyone = messageOf(await driver.run('vic', 'role'));
      expect(everyone.all).toContain('analyst: @Dana Analyst');
      expect(everyone.all).toContain('approver: @Pat Approver, @Quinn Approver');
      const refused = messageOf(await driver.run('dana', 'role @{sam} approver'));
      expect(refused.all).toContain(`${NOT_ALLOWED} manage roles (admins). Nothing was changed.`);
      const granted = messageOf(await driver.run('ada', 'role @{sam} approver'));
      expect(granted.all).toContain('@Sam Engineer is now approver.');
      const shown = messageOf(await driver.run('vic', 'role @{sam}'));
      expect(shown.all).toContain('@Sam Engineer: approver');
      const revoked = messageOf(await driver.run('ada', 'role @{sam} -approver'));
      expect(revoked.all).toContain('@Sam Engineer is no longer approver.');
      const bad = messageOf(await driver.run('ada', 'role sam approver'));
      expect(bad.all).toContain('Name the person as @name, not “sam”.');
      expect(bad.all).toContain(usageOf('role'));
    },
  },
  {
    name: 'subscribe routes findings of a tier to a channel; findings then arrive there; unsubscribe stops it',
    async run(driver) {
      await standardWorld(driver);
      const none = messageOf(await driver.run('dana', 'subscribe'));
      expect(none.all).toBe('No channel subscriptions yet. Findings go to the default channel.');
      const subscribed = messageOf(await driver.run('dana', 'subscribe #{security} tier:high'));
      expect(subscribed.all).toContain('#security will now receive findings of high-tier vendors and riskier.');
      const listed = messageOf(await driver.run('dana', 'subscribe'));
      expect(listed.all).toContain('#security: findings of high-tier vendors and riskier');
      await driver.run('dana', 'signal Globex Payroll exposed high Open S3 bucket at backups.globex.example');
      const [card] = await driver.channelMessages('security');
      expect(card?.title).toBe('High · Globex Payroll (high tier)');
      expect(await driver.channelMessages('findings')).toEqual([]);
      const refused = messageOf(await driver.run('vic', 'subscribe #{security}'));
      expect(refused.all).toContain(NOT_ALLOWED);
      const bad = messageOf(await driver.run('dana', 'subscribe security'));
      expect(bad.all).toContain('Name the channel as #channel, not “security”.');
      expect(bad.all).toContain(usageOf('subscribe'));
      const stopped = messageOf(await driver.run('dana', 'unsubscribe #{security}'));
      expect(stopped.all).toContain('#security will no longer receive findings.');
    },
  },
  {
    name: 'approvals names the approvers to others and shows an approver what waits; extra words get the usage line',
    async run(driver) {
      await standardWorld(driver);
      const viewer = messageOf(await driver.run('vic', 'approvals'));
      expect(viewer.all).toBe(
        'Only approvers can approve or reject requests. Approvers: @Pat Approver, @Quinn Approver.',
      );
      const empty = messageOf(await driver.run('pat', 'approvals'));
      expect(empty.all).toContain('Nothing is waiting for your decision.');
      const bad = messageOf(await driver.run('pat', 'approvals now'));
      expect(bad.all).toContain('approvals takes no further words.');
      expect(bad.all).toContain(usageOf('approvals'));
    },
  },
  {
    name: 'reassess asks the owner in a direct message; a viewer may not ask; no name gets the usage line',
    async run(driver) {
      await standardWorld(driver);
      const asked = messageOf(await driver.run('dana', 'reassess Acme Health Cloud'));
      expect(asked.all).toContain('Asked @Olive Owner to reassess Acme Health Cloud by');
      const [prompt, ...more] = await driver.dmsTo('olive');
      expect(more).toEqual([]);
      expect(prompt?.title).toBe('Reassessment requested: Acme Health Cloud');
      expect(prompt?.buttons).toEqual(['Start reassessment']);
      const again = messageOf(await driver.run('dana', 'reassess "Acme Health Cloud"'));
      expect(again.all).toContain('A reassessment of Acme Health Cloud is already open');
      expect(messageOf(await driver.run('vic', 'reassess Globex Payroll')).all).toContain(NOT_ALLOWED);
      const bad = messageOf(await driver.run('dana', 'reassess'));
      expect(bad.all).toContain('Which vendor? Give its name, in quotes if it has spaces.');
      expect(bad.all).toContain(usageOf('reassess'));
    },
  },
];
