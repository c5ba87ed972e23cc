import { expect } from 'vitest';
import { registry } from '../../commands/index.ts';
import { messageOf } from './driver.ts';
import type { Scenario } from './scenario.ts';
import { openSignalFinding, standardWorld } from './world.ts';

// Looking things up: help, posture, list, due and findings, each with its happy path and the usage
// text a mistake earns, which must read the same on both platforms.

const usageOf = (name: string) => {
  const command = registry.commands.find((c) => c.name === name);
  if (!command) throw new Error(`no ${name} command`);
  return `Usage: ${command.usage}`;
};

export const lookupScenarios: Scenario[] = [
  {
    name: 'help lists every subcommand with its usage and an example',
    async run(driver) {
      await standardWorld(driver);
      const help = messageOf(await driver.run('vic', 'help'));
      expect(help.title).toBe('Vendor risk commands');
      // A viewer is shown what a viewer may do; examples name vendors of the inventory.
      for (const command of registry.commands.filter((c) => !c.permission)) {
        expect(help.all).toContain(`/vendor ${command.usage}`);
      }
      expect(help.all).not.toContain('/vendor role');
      expect(help.private).toBe(true);
      const one = messageOf(await driver.run('vic', 'help posture'));
      expect(one.all).toContain('/vendor posture <vendor>');
      expect(one.all).toContain('/vendor posture "Acme Health Cloud"');
      expect(one.all).toContain('/vendor posture "Globex Payroll"');
    },
  },
  {
    name: 'an unknown subcommand is named and answered with help',
    async run(driver) {
      await standardWorld(driver);
      const answer = messageOf(await driver.run('vic', 'frobnicate Acme'));
      expect(answer.all).toContain("I don't know frobnicate. Here is what I can do:");
      expect(answer.all).toContain('/vendor posture <vendor>');
    },
  },
  {
    name: 'posture shows grade, what lowers it, evidence and the buttons; anyone may look',
    async run(driver) {
      await standardWorld(driver);
      const card = messageOf(await driver.run('vic', 'posture "acme health cloud"'));
      expect(card.title).toMatch(/^Acme Health Cloud: grade [A-F] \(\d+\/100\)$/);
      expect(Object.keys(card.fields)).toEqual(['Grade', 'Residual risk', 'Tier', 'Owner']);
      expect(card.fields.Tier).toBe('critical');
      expect(card.fields.Owner).toBe('@Olive Owner');
      expect(card.all).toContain('SOC 2 Type II');
      expect(card.context.join()).toContain('next review 2026-06-20');
      expect(card.buttons).toEqual(['Start reassessment', 'Show findings']);
    },
  },
  {
    name: 'posture without a name, and with a typo, explains itself the same way',
    async run(driver) {
      await standardWorld(driver);
      const bare = messageOf(await driver.run('vic', 'posture'));
      expect(bare.all).toBe(
        `Which vendor? Please give its name.\n${usageOf('posture')}\nExample: posture "Acme Health"`,
      );
      const typo = messageOf(await driver.run('vic', 'posture Acme Helth Cloud'));
      expect(typo.lines).toEqual(['No vendor named “Acme Helth Cloud”. Did you mean “Acme Health Cloud”?']);
      expect(typo.buttons).toEqual(['Acme Health Cloud']);
      expect(typo.private).toBe(true);
      const card = messageOf(await driver.click('vic', typo, 'Acme Health Cloud'));
      expect(card.title).toMatch(/^Acme Health Cloud: grade [A-F]/);
    },
  },
  {
    name: 'a mistyped subcommand suggests the one meant, with a button that runs it',
    async run(driver) {
      await standardWorld(driver);
      const typo = messageOf(await driver.run('vic', 'postur Globex Payroll'));
      expect(typo.all).toContain("I don't know postur. Did you mean posture?");
      expect(typo.all).not.toContain('Vendor risk commands');
      expect(typo.buttons).toEqual(['/vendor posture Globex Payroll']);
      const card = messageOf(await driver.click('vic', typo, '/vendor posture Globex Payroll'));
      expect(card.title).toMatch(/^Globex Payroll: grade [A-F]/);
    },
  },
  {
    name: 'list filters the inventory; a bad filter gets the usage line',
    async run(driver) {
      await standardWorld(driver);
      const all = messageOf(await driver.run('vic', 'list'));
      expect(all.title).toBe('Vendors');
      for (const name of ['Acme Health Cloud', 'Globex Payroll', 'Initech Analytics']) expect(all.all).toContain(name);
      const critical = messageOf(await driver.run('vic', 'list tier:critical'));
      expect(critical.all).toContain('Acme Health Cloud');
      expect(critical.all).not.toContain('Globex Payroll');
      expect(critical.context).toEqual(['Showing 1 · Filtered: tier critical']);
      const olives = messageOf(await driver.run('vic', 'list owner:@{olive}'));
      expect(olives.context).toContain('Showing 1 · Filtered: owner @Olive Owner');
      expect(olives.all).toContain('Acme Health Cloud');
      const bad = messageOf(await driver.run('vic', 'list tier:extreme'));
      expect(bad.all).toContain('Tier must be one of critical, high, medium, low; “extreme” is not.');
      expect(bad.all).toContain(usageOf('list'));
    },
  },
  {
    name: 'due lists reviews and evidence falling due; a bad window gets the usage line',
    async run(driver) {
      await standardWorld(driver);
      const due = messageOf(await driver.run('olive', 'due'));
      expect(due.title).toBe('Due within 30 days');
      expect(due.all).toContain('SOC 2 Type II · Acme Health Cloud · expires 2026-06-15');
      expect(due.all).toContain('Reassessment · Acme Health Cloud · due 2026-06-20');
      const week = messageOf(await driver.run('olive', 'due 7d'));
      expect(week.all).toContain('Nothing falls due within 7 days, and nothing is overdue.');
      const bad = messageOf(await driver.run('olive', 'due soon'));
      expect(bad.all).toContain('Give the window in days, like 14d, from 1d to 366d.');
      expect(bad.all).toContain(usageOf('due'));
    },
  },
  {
    name: 'findings lists open findings; the posture card leads there; a bad severity gets the usage line',
    async run(driver) {
      const { world, portfolio } = await standardWorld(driver);
      const id = await openSignalFinding(world, portfolio.acme);
      const list = messageOf(await driver.run('dana', 'findings Acme Health Cloud severity:high'));
      expect(list.title).toBe('Open findings: Acme Health Cloud');
      expect(list.all).toContain(`#${id} high · Acme Health Cloud · Publicly reachable Elasticsearch`);
      const posture = messageOf(await driver.run('dana', 'posture Acme Health Cloud'));
      const shown = messageOf(await driver.click('dana', posture, 'Show findings'));
      expect(shown.title).toBe('Open findings: Acme Health Cloud');
      expect(shown.replaced).toBe(false);
      const bad = messageOf(await driver.run('dana', 'findings severity:urgent'));
      expect(bad.all).toContain('Severity must be one of critical, high, medium, low; “urgent” is not.');
      expect(bad.all).toContain(usageOf('findings'));
    },
  },
  {
    name: 'a command’s answer is for the asker: private, or in Teams channels addressed to them',
    async run(driver) {
      await standardWorld(driver);
      const plain = messageOf(await driver.run('vic', 'posture Globex Payroll'));
      expect(plain.private).toBe(true);
      // Naming a person means typing in a conversation they are in: on Teams that is a channel, where
      // no message is private, so the answer is addressed to the asker (docs/platform-differences.md).
      const named = messageOf(await driver.run('vic', 'list owner:@{olive}'));
      if (driver.platform === 'slack') {
        expect(named.private).toBe(true);
        expect(named.context).toEqual(['Showing 1 · Filtered: owner @Olive Owner']);
      } else {
        expect(named.private).toBe(false);
        expect(named.context).toEqual(['For @Vic Viewer', 'Showing 1 · Filtered: owner @Olive Owner']);
      }
    },
  },
];
