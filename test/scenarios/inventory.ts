import { expect } from 'vitest';
import { registry } from '../../commands/index.ts';
import { formOf, messageOf } from './driver.ts';
import type { Scenario } from './scenario.ts';
import { standardWorld } from './world.ts';

// Changing the inventory: add (in words and through its form), owner, evidence and signal, each with
// its happy path, its usage text, and the refusal a person without the role gets.

export const usageOf = (name: string) => {
  const command = registry.commands.find((c) => c.name === name);
  if (!command) throw new Error(`no ${name} command`);
  return `Usage: ${command.usage}`;
};

export const NOT_ALLOWED = "You don't have permission to";

export const inventoryScenarios: Scenario[] = [
  {
    name: 'add in words derives the tier; another tier needs a reason; bad data types get the usage line',
    async run(driver) {
      await standardWorld(driver);
      const added = messageOf(await driver.run('dana', 'add "Hooli Cloud" data:PII criticality:high owner:@{olive}'));
      expect(added.all).toContain('Added Hooli Cloud: tier critical (derived from PII and high criticality).');
      expect(added.all).toContain('Owner: @Olive Owner.');
      const override = messageOf(await driver.run('dana', 'add "Pied Piper" data:none tier:high'));
      expect(override.all).toContain('To make it high instead, add a reason for the audit trail');
      expect(override.all).toContain('Nothing was added.');
      const reasoned = messageOf(
        await driver.run('dana', 'add "Pied Piper" data:none tier:high reason:"holds our keys"'),
      );
      expect(reasoned.all).toContain('Added Pied Piper: tier high (override: holds our keys).');
      const routed = messageOf(await driver.run('dana', 'add "Hooli Labs" data:confidential channel:#{security}'));
      expect(routed.all).toContain('Findings go to #security.');
      await driver.run('dana', 'signal Hooli Labs breach medium Credentials posted on a paste site');
      expect((await driver.channelMessages('security')).map((m) => m.title)).toEqual([
        'Medium · Hooli Labs (medium tier)',
      ]);
      const bad = messageOf(await driver.run('dana', 'add Hoolix data:XYZ'));
      expect(bad.all).toContain('Data types must be one of PHI, PII, confidential, none; “XYZ” is not.');
      expect(bad.all).toContain(usageOf('add'));
    },
  },
  {
    name: 'add without words opens the form; its answer names a person picked in it',
    async run(driver) {
      await standardWorld(driver);
      const form = formOf(await driver.run('dana', 'add'));
      expect(form.title).toBe('Add a vendor');
      expect(form.fields.map((f) => [f.id, f.kind])).toEqual([
        ['name', 'text'],
        ['services', 'textarea'],
        ['data', 'multiselect'],
        ['criticality', 'radio'],
        ['owner', 'user'],
        ['channel', 'radio'],
        ['regs', 'multiselect'],
      ]);
      const nameless = await driver.submit('dana', form, { name: ' ', data: ['PII'] });
      expect(nameless).toEqual({ kind: 'errors', errors: ['A vendor needs a name.'] });
      const added = messageOf(
        await driver.submit('dana', form, { name: 'Hooli Cloud', data: ['PII'], owner: { person: 'sam' } }),
      );
      expect(added.all).toContain('Added Hooli Cloud: tier high (derived from PII and medium criticality).');
      // Sam has never used the bot: the name comes from the platform's directory, not the id.
      expect(added.all).toContain('Owner: @Sam Engineer.');
    },
  },
  {
    name: 'a viewer may not add a vendor, neither in words nor through the form',
    async run(driver) {
      await standardWorld(driver);
      for (const text of ['add "Hooli Cloud" data:PII', 'add']) {
        const refused = messageOf(await driver.run('vic', text));
        expect(refused.all).toContain(
          `${NOT_ALLOWED} change the vendor inventory (analysts and admins). Nothing was changed.`,
        );
      }
    },
  },
  {
    name: 'owner sets who owns a vendor, or nobody; a missing person gets the usage line',
    async run(driver) {
      await standardWorld(driver);
      const set = messageOf(await driver.run('dana', 'owner Globex Payroll @{olive}'));
      expect(set.all).toContain('@Olive Owner now owns Globex Payroll.');
      const again = messageOf(await driver.run('dana', 'owner "Globex Payroll" @{olive}'));
      expect(again.all).toContain('@Olive Owner already owns Globex Payroll; nothing changed.');
      const none = messageOf(await driver.run('dana', 'owner Globex Payroll none'));
      expect(none.all).toBe('Globex Payroll has no owner now.');
      const bad = messageOf(await driver.run('dana', 'owner Globex Payroll'));
      expect(bad.all).toContain('The new owner must be a person, written @name, not “Payroll”.');
      expect(bad.all).toContain(usageOf('owner'));
      const refused = messageOf(await driver.run('olive', 'owner Acme Health Cloud none'));
      expect(refused.all).toContain(NOT_ALLOWED);
    },
  },
  {
    name: 'evidence records a document once; an unknown kind gets the usage line',
    async run(driver) {
      await standardWorld(driver);
      const text = 'evidence "Globex Payroll" iso expires:2027-03-31 https://trust.globex.example/iso.pdf';
      const recorded = messageOf(await driver.run('dana', text));
      expect(recorded.all).toBe('Recorded ISO 27001 for Globex Payroll: expires 2027-03-31 (in 303 days).');
      const twice = messageOf(await driver.run('dana', text));
      expect(twice.all).toContain('was already recorded; nothing changed.');
      const bad = messageOf(await driver.run('dana', 'evidence Globex Payroll soc3 expires:2027-01-01'));
      expect(bad.all).toContain('“soc3” is not a kind of evidence I know');
      expect(bad.all).toContain(usageOf('evidence'));
      // The owner may record evidence for their vendor; someone else may not.
      expect(messageOf(await driver.run('olive', 'evidence Acme Health Cloud baa expires:2028-01-01')).all).toContain(
        'Recorded HIPAA BAA for Acme Health Cloud',
      );
      expect(messageOf(await driver.run('vic', 'evidence Acme Health Cloud baa expires:2028-01-01')).all).toContain(
        NOT_ALLOWED,
      );
    },
  },
  {
    name: 'signal records what was seen and opens a finding whose card reaches the findings channel',
    async run(driver) {
      await standardWorld(driver);
      const text = 'signal Globex Payroll exposed high Open S3 bucket at backups.globex.example';
      const recorded = messageOf(await driver.run('dana', text));
      expect(recorded.all).toContain(
        'Recorded signal #1 for Globex Payroll (high exposed datastore). Opened finding #1',
      );
      const [card, ...others] = await driver.channelMessages('findings');
      expect(others).toEqual([]);
      expect(card?.title).toBe('High · Globex Payroll (high tier)');
      expect(card?.fields.State).toBe('Open');
      expect(card?.buttons).toEqual([
        'Acknowledge',
        'Assign',
        'Escalate',
        'Resolve',
        'Mark fixed',
        'Request risk acceptance',
      ]);
      const again = messageOf(await driver.run('dana', text));
      expect(again.all).toBe('That was already recorded today as signal #1; nothing changed.');
      const bad = messageOf(await driver.run('dana', 'signal Globex Payroll'));
      expect(bad.all).toContain('Name the vendor, then the kind of signal');
      expect(bad.all).toContain(usageOf('signal'));
      expect(messageOf(await driver.run('olive', text)).all).toContain(NOT_ALLOWED);
    },
  },
];
