import { expect } from 'vitest';
import { type FieldInput, formOf, messageOf } from './driver.ts';
import type { Scenario } from './scenario.ts';
import { standardWorld } from './world.ts';

// A reassessment from the prompt to new findings: an analyst asks, the owner gets a direct message,
// opens the questionnaire from its button, puts it away half answered (a draft), comes back, submits,
// and every failed control becomes a finding whose card reaches the findings channel.

const CONTROLS = [
  'mfa-admin',
  'least-privilege',
  'encryption-at-rest',
  'encryption-in-transit',
  'no-public-datastores',
  'config-drift',
  'vulnerability-management',
  'incident-response',
  'sub-processors',
  'baa-dpa',
  'audit-trails',
  'system-validation',
  'tested-backups',
  'certifications',
];
// Two plain failures, and a "partly" on a heavy control (weight 4), which fails too.
const FAILED = { 'mfa-admin': 'no', 'tested-backups': 'no', 'least-privilege': 'partial' } as Record<string, string>;

export const reassessmentScenarios: Scenario[] = [
  {
    name: 'reassessment from the prompt to new findings, as the vendor owner',
    async run(driver) {
      await standardWorld(driver);
      messageOf(await driver.run('dana', 'reassess Acme Health Cloud'));
      const [prompt] = await driver.dmsTo('olive');
      expect(prompt?.lines[0]).toContain('Dana Analyst asked you to reassess Acme Health Cloud (critical tier)');
      const form = formOf(await driver.click('olive', prompt!, 'Start reassessment'));
      expect(form.title).toBe('Reassessment');
      expect(form.submitLabel).toBe('Submit');
      expect(form.fields).toHaveLength(CONTROLS.length * 2);
      expect(form.fields[0]).toEqual({
        id: 'answer.mfa-admin',
        label:
          '1. MFA on administrative access: Is multi-factor authentication enforced for every administrative and privileged account (consoles, cloud accounts, production servers, databases), with no standing exceptions?',
        kind: 'radio',
      });

      // Half answered, then put away: the answers are kept as a draft and filled in next time.
      const half: Record<string, FieldInput> = {};
      for (const id of CONTROLS.slice(0, 7)) half[`answer.${id}`] = FAILED[id] ?? 'yes';
      await driver.closeForm('olive', form, half);
      const again = formOf(await driver.click('olive', prompt!, 'Start reassessment'));
      expect(again.intro).toContain('7 of 14 controls are answered from your draft.');

      const rest: Record<string, FieldInput> = {};
      for (const id of CONTROLS.slice(7)) rest[`answer.${id}`] = FAILED[id] ?? 'yes';
      rest['comment.mfa-admin'] = 'Rolling out by Q3';
      const done = messageOf(await driver.submit('olive', again, rest));
      expect(done.title).toBe('Thank you: Acme Health Cloud reassessed');
      expect(done.all).toContain('Reassessment of Acme Health Cloud submitted. Posture is now');
      expect(done.all).toContain('Controls that failed, each now a finding posted to the vendor’s channel:');
      for (const title of ['MFA on administrative access', 'Tested backups', 'Least privilege and access reviews']) {
        expect(done.all).toContain(`• ${title}: finding #`);
      }

      const cards = await driver.channelMessages('findings');
      expect(cards).toHaveLength(3);
      expect(cards.map((c) => c.fields.Vendor)).toEqual(Array(3).fill('Acme Health Cloud (critical tier)'));
      expect(cards.every((c) => c.buttons.includes('Acknowledge'))).toBe(true);
    },
  },
  {
    name: 'the prompt in the owner’s direct messages says the reassessment was submitted',
    async run(driver) {
      await standardWorld(driver);
      await driver.run('dana', 'reassess Acme Health Cloud');
      const [prompt] = await driver.dmsTo('olive');
      const form = formOf(await driver.click('olive', prompt!, 'Start reassessment'));
      const all: Record<string, FieldInput> = {};
      for (const id of CONTROLS) all[`answer.${id}`] = 'yes';
      expect(messageOf(await driver.submit('olive', form, all)).all).toContain('Every control was met');
      const [answered] = await driver.dmsTo('olive');
      expect(answered?.id).toBe(prompt?.id);
      expect(answered?.all).toContain('Submitted by Olive Owner at 2026-06-01 09:00 UTC');
      expect(answered?.buttons).toEqual([]);
    },
  },
  {
    name: 'someone who does not own the vendor may not answer its reassessment',
    async run(driver) {
      await standardWorld(driver);
      await driver.run('dana', 'reassess Acme Health Cloud');
      const [prompt] = await driver.dmsTo('olive');
      const posture = messageOf(await driver.run('vic', 'posture Acme Health Cloud'));
      const refused = messageOf(await driver.click('vic', posture, 'Start reassessment'));
      expect(refused.all).toContain("You don't have permission to");
      expect(refused.private).toBe(true);
      expect(await driver.dmsTo('olive')).toEqual([prompt]);
    },
  },
];
