import { expect } from 'vitest';
import { verifyAuditChain } from '../../src/core/audit/log.ts';
import type { ManualClock } from '../../src/core/common/clock.ts';
import { getIncidentDetail } from '../../src/core/incidents/queries.ts';
import { buildReport } from '../../src/core/incidents/report.ts';
import { runSweep } from '../../src/scheduler/sweep.ts';
import { type ChatDriver, formOf, type Message, messageOf } from './driver.ts';
import type { Scenario } from './scenario.ts';
import { openSignalFinding, standardWorld } from './world.ts';

// A vendor's datastore found open, worked as an incident from chat: declared from the critical
// finding's card, tasks done, a notification ruled not required by a second approver, a clock missed
// and escalated, the incident closed with its review; then the report and the audit chain.

const incidentCard = async (driver: ChatDriver): Promise<Message> => {
  const card = (await driver.channelMessages('findings')).find((m) => m.title?.startsWith('Incident #'));
  if (!card) throw new Error('no incident card in the findings channel');
  return card;
};

export const incidentScenarios: Scenario[] = [
  {
    name: 'an incident declared from a critical finding is worked, ruled on, escalated and closed with its review',
    async run(driver) {
      const { world, portfolio } = await standardWorld(driver);
      const findingId = await openSignalFinding(world, portfolio.acme, { severity: 'critical' });
      const [findingCard] = await driver.channelMessages('findings');
      const form = formOf(await driver.click('dana', findingCard!, 'Declare incident'));
      expect(form.title).toBe('Declare incident');
      const declared = messageOf(
        await driver.submit('dana', form, {
          scenario: 'datastore-exposed',
          summary: 'Elasticsearch open to the internet',
        }),
      );
      expect(declared.all).toContain('Declared incident #1; you lead it.');
      const card = await incidentCard(driver);
      expect(card.title).toBe('Incident #1: Acme Health Cloud · Vendor datastore exposed without authentication');
      expect(card.fields.State).toBe('Open');
      expect(card.fields.Lead).toBe('@Dana Analyst');
      expect(card.all).toContain('HIPAA §164.404 → Affected individuals: 60 d left');
      expect(card.buttons).toEqual(expect.arrayContaining(['Done T1', 'Assign T1', 'Done T3', 'Assign T3']));
      expect(card.buttons).not.toContain('Done T4');

      // Working the playbook edits the same card and adds to its thread.
      expect(messageOf(await driver.click('dana', card, 'Done T1')).all).toContain('T1 of incident #1 is done.');
      const worked = await incidentCard(driver);
      expect(worked.id).toBe(card.id);
      expect(worked.buttons).toContain('Done T4');
      expect(worked.buttons).not.toContain('Done T1');
      expect((await driver.thread(worked)).join('\n')).toContain('Dana Analyst completed T1 (contain)');

      // Media notice ruled not required: asked by Pat, refused to Pat, signed by Quinn.
      const detail = await getIncidentDetail(world.deps.db, 1);
      const clockId = (rule: string) => String(detail.clocks.find((c) => c.rule === rule)?.id);
      const notRequired = formOf(await driver.click('pat', worked, 'Not required…'));
      messageOf(
        await driver.submit('pat', notRequired, {
          clock: clockId('hipaa-media'),
          reason: 'Fewer than 500 residents of any one state',
        }),
      );
      const asked = await incidentCard(driver);
      expect(asked.all).toContain('D1 waiting for an approver');
      const refused = messageOf(await driver.click('pat', asked, 'Sign D1'));
      expect(refused.all).toBe('You asked for this decision, so another approver must sign it. Nothing was changed.');
      expect(refused.private).toBe(true);
      expect(messageOf(await driver.click('quinn', asked, 'Sign D1')).all).toContain('Signed by Quinn Approver');
      expect((await incidentCard(driver)).all).toContain(
        'HIPAA §164.406 → Prominent media outlets in the state: not required',
      );

      // The vendor never told us: its contractual notice is missed and the approvers hear of it.
      (world.deps.clock as ManualClock).advance(73 * 3_600_000);
      await runSweep(world.deps);
      await driver.drain();
      const escalation = (await driver.channelMessages('approvals')).find((m) =>
        m.all.includes('Missed regulatory deadline'),
      );
      expect(escalation?.all).toContain(
        'incident #1 at Acme Health Cloud: Vendor contract (BAA) → Us, from the vendor',
      );
      expect((await incidentCard(driver)).all).toContain('Vendor contract (BAA) → Us, from the vendor: MISSED');

      // The remaining notifications are sent, then the incident is closed with its review.
      for (const rule of ['hipaa-individuals', 'hipaa-hhs']) {
        const met = formOf(await driver.click('dana', await incidentCard(driver), 'Clock met…'));
        messageOf(await driver.submit('dana', met, { clock: clockId(rule), note: `Sent, reference ${rule}` }));
      }
      messageOf(await driver.click('dana', await incidentCard(driver), 'Mark contained'));
      messageOf(await driver.click('dana', await incidentCard(driver), 'Notifications done'));
      const review = formOf(await driver.click('dana', await incidentCard(driver), 'Close with review…'));
      messageOf(
        await driver.submit('dana', review, {
          lessons: 'Exposure checks must cover every declared host',
          followups: 'Vendor to enable authentication on every cluster',
          tier: 'critical',
          evidence: ['pentest'],
        }),
      );
      expect(messageOf(await driver.click('quinn', await incidentCard(driver), 'Sign D2')).all).toContain(
        'Signed decision D2',
      );
      const closed = await incidentCard(driver);
      expect(closed.fields.State).toBe('Closed');
      expect(closed.all).toContain('Exposure checks must cover every declared host');

      const report = buildReport(await getIncidentDetail(world.deps.db, 1));
      expect(report.facts.linked_findings).toEqual([findingId]);
      expect(report.clocks.map((c) => [c.recipient, c.state]).sort()).toEqual([
        ['Affected individuals', 'met'],
        ['HHS Secretary', 'met'],
        ['Prominent media outlets in the state', 'not_required'],
        ['Us, from the vendor', 'missed'],
      ]);
      expect(report.decisions.map((d) => [d.kind, d.signature?.signer])).toEqual([
        ['clock_not_required', 'Quinn Approver'],
        ['closure', 'Quinn Approver'],
      ]);
      expect(report.timeline.map((t) => t.text).join('\n')).toContain('MISSED: Vendor contract (BAA)');
      expect(await verifyAuditChain(world.deps.db)).toMatchObject({ ok: true });
    },
  },
  {
    name: '/vendor incident declares at once and /vendor incidents lists it',
    async run(driver) {
      const { world } = await standardWorld(driver);
      const answer = messageOf(
        await driver.run('olive', 'incident "Acme Health Cloud" ransomware Systems encrypted overnight'),
      );
      expect(answer.all).toContain('Declared incident #1 at Acme Health Cloud; you lead it.');
      expect(answer.private).toBe(true);
      const listed = messageOf(await driver.run('vic', 'incidents'));
      expect(listed.all).toContain(
        '#1 Acme Health Cloud: Systems encrypted overnight (Open, critical; next deadline in 3 d)',
      );
      const card = await incidentCard(driver);
      expect(card.fields.Lead).toBe('@Olive Owner');
      expect(world.deps.clock.now().toISOString()).toBe(
        card.all.includes('2026-06-01') ? world.deps.clock.now().toISOString() : '',
      );
    },
  },
];
