import { expect } from 'vitest';
import { createVendor } from '../../src/core/vendors/create-update.ts';
import { inTransaction } from '../../src/store/database.ts';
import { formOf, messageOf } from './driver.ts';
import { NOT_ALLOWED } from './inventory.ts';
import type { Scenario } from './scenario.ts';
import { openSignalFinding, standardWorld } from './world.ts';

// Working a finding from its card: who may press which button, the card edited in place for everyone,
// a person picked in a form, and long lists paged in place.

export const findingWorkScenarios: Scenario[] = [
  {
    name: 'a viewer pressing Acknowledge is refused privately and the card stays as it was',
    async run(driver) {
      const { world, portfolio } = await standardWorld(driver);
      await openSignalFinding(world, portfolio.acme);
      const [card] = await driver.channelMessages('findings');
      const refused = messageOf(await driver.click('vic', card!, 'Acknowledge'));
      expect(refused.all).toBe(
        `${NOT_ALLOWED} act on this finding (the vendor owner, analysts and admins). Nothing was changed.`,
      );
      expect(refused.private).toBe(true);
      expect(await driver.channelMessages('findings')).toEqual([card]);
      expect(await driver.thread(card!)).toEqual([]);
    },
  },
  {
    name: 'acknowledge by an analyst edits the card for everyone; a second press is a friendly no-op',
    async run(driver) {
      const { world, portfolio } = await standardWorld(driver);
      const id = await openSignalFinding(world, portfolio.acme);
      const [card] = await driver.channelMessages('findings');
      const done = messageOf(await driver.click('dana', card!, 'Acknowledge'));
      expect(done.all).toBe(`Acknowledged finding #${id}. The card now shows it for everyone.`);
      const [edited] = await driver.channelMessages('findings');
      expect(edited?.id).toBe(card?.id);
      expect(edited?.fields.State).toBe('Acknowledged');
      expect(edited?.context.join()).toContain('Last change: Acknowledged by Dana Analyst at 2026-06-01 09:00 UTC');
      expect(edited?.buttons).not.toContain('Acknowledge');
      // Someone else still looking at the old card presses it too.
      const late = messageOf(await driver.click('olive', card!, 'Acknowledge'));
      expect(late.all).toBe('Already acknowledged by Dana Analyst at 2026-06-01 09:00 UTC.');
      expect(late.private).toBe(true);
      expect(await driver.thread(edited!)).toHaveLength(1);
    },
  },
  {
    name: 'assign picks a person in a form; the card names them and they get a direct message',
    async run(driver) {
      const { world, portfolio } = await standardWorld(driver);
      const id = await openSignalFinding(world, portfolio.acme);
      const [card] = await driver.channelMessages('findings');
      const form = formOf(await driver.click('dana', card!, 'Assign'));
      expect(form.fields.map((f) => [f.id, f.kind])).toEqual([['assignee', 'user']]);
      const assigned = messageOf(await driver.submit('dana', form, { assignee: { person: 'sam' } }));
      expect(assigned.all).toBe(`Assigned finding #${id} to @Sam Engineer. They have a direct message.`);
      const [edited] = await driver.channelMessages('findings');
      expect(edited?.fields.Assignee).toBe('@Sam Engineer');
      expect(edited?.fields.State).toBe('Assigned');
      const [dm, ...more] = await driver.dmsTo('sam');
      expect(more).toEqual([]);
      expect(dm?.all).toContain(`finding #${id}`);
    },
  },
  {
    name: 'resolve asks an analyst for a note; the card shows who resolved it and why, without buttons',
    async run(driver) {
      const { world, portfolio } = await standardWorld(driver);
      await openSignalFinding(world, portfolio.acme);
      const [card] = await driver.channelMessages('findings');
      expect(messageOf(await driver.click('olive', card!, 'Resolve')).all).toContain(
        "You don't have permission to resolve or verify findings",
      );
      const form = formOf(await driver.click('dana', card!, 'Resolve'));
      expect(form.title).toBe('Resolve finding');
      const done = messageOf(await driver.submit('dana', form, { note: 'Index closed to the internet' }));
      expect(done.all).toContain('The card and its thread show your note.');
      const [edited] = await driver.channelMessages('findings');
      expect(edited?.fields.State).toBe('Resolved');
      expect(edited?.all).toContain('Resolved by Dana Analyst at 2026-06-01 09:00 UTC: Index closed to the internet');
      expect(edited?.buttons).toEqual([]);
    },
  },
  {
    name: 'the owner marks a finding fixed with what was done; another analyst verifies it from the card',
    async run(driver) {
      const { world, portfolio } = await standardWorld(driver);
      await openSignalFinding(world, portfolio.acme);
      const [card] = await driver.channelMessages('findings');
      const form = formOf(await driver.click('olive', card!, 'Mark fixed'));
      expect(form.title).toBe('Mark fixed');
      const done = messageOf(await driver.submit('olive', form, { note: 'Index closed to the internet' }));
      expect(done.all).toContain('Another analyst verifies it before it closes.');
      const [waiting] = await driver.channelMessages('findings');
      expect(waiting?.fields.State).toBe('Fix proposed');
      expect(waiting?.buttons).toEqual(['Verify fix', 'Send back']);
      messageOf(await driver.click('dana', waiting!, 'Verify fix'));
      const [edited] = await driver.channelMessages('findings');
      expect(edited?.fields.State).toBe('Resolved');
      expect(edited?.all).toContain('Resolved by Dana Analyst at 2026-06-01 09:00 UTC: Index closed to the internet');
    },
  },
  {
    name: 'a long list comes a page at a time; Next and Previous replace it in place',
    async run(driver) {
      const { world } = await standardWorld(driver);
      for (let n = 1; n <= 14; n += 1) {
        const name = `Vendor ${String(n).padStart(2, '0')}`;
        await inTransaction(world.deps.db, (tx) =>
          createVendor(tx, world.deps, world.actor('dana'), { name, criticality: 'low', dataTypes: ['none'] }),
        );
      }
      const first = messageOf(await driver.run('vic', 'list'));
      expect(first.context[0]).toBe('Showing 1–15 of 17');
      expect(first.buttons).toEqual(['Next']);
      const second = messageOf(await driver.click('vic', first, 'Next'));
      expect(second.replaced).toBe(true);
      expect(second.context[0]).toBe('Showing 16–17 of 17');
      expect(second.buttons).toEqual(['Previous']);
      const back = messageOf(await driver.click('vic', second, 'Previous'));
      expect(back.context[0]).toBe('Showing 1–15 of 17');
    },
  },
];
