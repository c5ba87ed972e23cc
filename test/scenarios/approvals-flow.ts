import { expect } from 'vitest';
import type { ManualClock } from '../../src/core/common/clock.ts';
import { grantRole } from '../../src/core/roles/permissions.ts';
import { inTransaction } from '../../src/store/database.ts';
import { type ChatDriver, errorsOf, formOf, type Message, messageOf } from './driver.ts';
import type { Scenario } from './scenario.ts';
import { openSignalFinding, standardWorld, type World } from './world.ts';

// Escalate, then approve or reject, as different people; the finding card is one message, edited in
// place, showing the signer's printed name, the UTC time and the meaning of the signature. A requester
// may not decide their own request, and nothing changes when they try.

const ESCALATION = 'Escalation #1: Set a remediation deadline by 2026-06-15';

export async function escalated(driver: ChatDriver): Promise<{ world: World; card: Message; request: Message }> {
  const { world, portfolio } = await standardWorld(driver);
  await openSignalFinding(world, portfolio.acme);
  const [card] = await driver.channelMessages('findings');
  if (!card) throw new Error('no finding card was posted');
  expect(card.buttons).toEqual([
    'Acknowledge',
    'Assign',
    'Escalate',
    'Resolve',
    'Mark fixed',
    'Request risk acceptance',
  ]);
  const form = formOf(await driver.click('olive', card, 'Escalate'));
  expect(form.title).toBe('Escalate finding');
  expect(form.submitLabel).toBe('Ask an approver');
  const values = { reason: 'Patient records exposed', action: 'remediation_deadline', until: '2026-06-15' };
  const asked = messageOf(await driver.submit('olive', form, values));
  expect(asked.all).toBe(`Asked the approvers: ${ESCALATION}. The finding card shows it until someone decides.`);
  const [request, ...others] = await driver.channelMessages('approvals');
  if (!request) throw new Error('no approval card was posted');
  expect(others).toEqual([]);
  expect(request.title).toBe('Approval needed: escalation · Acme Health Cloud');
  expect(request.fields['Requested by']).toBe('@Olive Owner');
  expect(request.buttons).toEqual(['Approve', 'Reject']);
  const [waiting] = await driver.channelMessages('findings');
  expect(waiting?.id).toBe(card.id);
  expect(waiting?.fields.State).toBe('Escalation pending');
  expect(waiting?.all).toContain(
    '⏳ Waiting for an approver: Escalation (Set a remediation deadline by 2026-06-15), requested by Olive Owner at 2026-06-01 09:00 UTC. Reason: Patient records exposed',
  );
  return { world, card, request };
}

const signatures = (world: World) => world.deps.db.selectFrom('signatures').selectAll().execute();

export const approvalScenarios: Scenario[] = [
  {
    name: 'escalate, then approve as another person: both cards are edited in place with the signature',
    async run(driver) {
      const { world, card, request } = await escalated(driver);
      (world.deps.clock as ManualClock).advance(20 * 60_000);
      const approved = messageOf(await driver.click('pat', request, 'Approve'));
      expect(approved.all).toBe(
        'Approved. Signed by Pat Approver, 2026-06-01 09:20 UTC, meaning: approval. The request and the finding card now show it.',
      );
      expect(approved.private).toBe(true);
      const findings = await driver.channelMessages('findings');
      expect(findings.map((m) => m.id)).toEqual([card.id]);
      const edited = findings[0]!;
      expect(edited.fields.State).toBe('Escalated');
      expect(edited.all).toContain('Signed by Pat Approver, 2026-06-01 09:20 UTC, meaning: approval');
      expect(edited.buttons).not.toContain('Acknowledge');
      const decided = await driver.channelMessages('approvals');
      expect(decided.map((m) => m.id)).toEqual([request.id]);
      expect(decided[0]?.all).toContain('✅ Approved. Signed by Pat Approver, 2026-06-01 09:20 UTC, meaning: approval');
      expect(decided[0]?.buttons).toEqual([]);
      expect(await driver.thread(edited)).toEqual([
        'Escalation (Set a remediation deadline by 2026-06-15) requested by Olive Owner: Patient records exposed',
        'Escalation (Set a remediation deadline by 2026-06-15) approved by Pat Approver at 2026-06-01 09:20 UTC',
      ]);
    },
  },
  {
    name: 'escalate, then reject with a reason as another person: the card shows the signed rejection',
    async run(driver) {
      const { card, request } = await escalated(driver);
      const form = formOf(await driver.click('quinn', request, 'Reject'));
      expect(form.title).toBe('Reject request');
      expect(form.intro).toContain("the meaning 'rejection' are recorded and shown");
      expect(errorsOf(await driver.submit('quinn', form, { reason: ' ' }))).toEqual([
        'Say why: the requester reads this.',
      ]);
      const rejected = messageOf(await driver.submit('quinn', form, { reason: 'Give the vendor until Friday' }));
      expect(rejected.all).toContain('Rejected. Signed by Quinn Approver, 2026-06-01 09:00 UTC, meaning: rejection');
      const [edited, ...more] = await driver.channelMessages('findings');
      expect(more).toEqual([]);
      expect(edited?.id).toBe(card.id);
      expect(edited?.all).toContain(
        'Signed by Quinn Approver, 2026-06-01 09:00 UTC, meaning: rejection, reason: Give the vendor until Friday',
      );
      // Back to open, with its buttons again.
      expect(edited?.buttons).toContain('Acknowledge');
      const [decided] = await driver.channelMessages('approvals');
      expect(decided?.id).toBe(request.id);
      expect(decided?.all).toContain('❌ Rejected. Signed by Quinn Approver');
      expect(await driver.thread(edited!)).toEqual([
        'Escalation (Set a remediation deadline by 2026-06-15) requested by Olive Owner: Patient records exposed',
        'Escalation (Set a remediation deadline by 2026-06-15) rejected by Quinn Approver at 2026-06-01 09:00 UTC: Give the vendor until Friday',
      ]);
    },
  },
  {
    name: 'the requester may not approve their own request: told privately, and nothing changes',
    async run(driver) {
      const { world, card, request } = await escalated(driver);
      await inTransaction(world.deps.db, (tx) =>
        grantRole(tx, world.deps.clock, world.actor('ada'), world.actor('olive').id, 'approver'),
      );
      const before = await driver.channelMessages('approvals');
      const refused = messageOf(await driver.click('olive', request, 'Approve'));
      expect(refused.all).toBe('You requested this escalation, so another approver must decide it.');
      expect(refused.private).toBe(true);
      expect(await driver.channelMessages('approvals')).toEqual(before);
      const [unchanged] = await driver.channelMessages('findings');
      expect(unchanged?.id).toBe(card.id);
      expect(unchanged?.all).toContain('⏳ Waiting for an approver');
      expect(await signatures(world)).toEqual([]);
      // The approvals list offers it to the other approvers, not to Olive.
      expect(messageOf(await driver.run('olive', 'approvals')).all).toContain('Nothing is waiting for your decision.');
      expect(messageOf(await driver.run('pat', 'approvals')).all).toContain(ESCALATION);
    },
  },
  {
    name: 'risk acceptance asked from the card, approved from the approvals list: the card shows until when',
    async run(driver) {
      const { world, portfolio } = await standardWorld(driver);
      await openSignalFinding(world, portfolio.acme);
      const [card] = await driver.channelMessages('findings');
      const form = formOf(await driver.click('olive', card!, 'Request risk acceptance'));
      expect(form.fields.map((f) => [f.id, f.kind])).toEqual([
        ['reason', 'textarea'],
        ['until', 'date'],
      ]);
      const past = await driver.submit('olive', form, { reason: 'Compensating firewall rule', until: '2026-05-01' });
      expect(errorsOf(past)).toEqual(['Pick a date after today (2026-06-01).']);
      const values = { reason: 'Compensating firewall rule', until: '2026-09-30' };
      const asked = messageOf(await driver.submit('olive', form, values));
      expect(asked.all).toContain('Asked the approvers: Risk acceptance #1');
      // Pat decides from the private list of what waits for them, not from the channel card.
      const list = messageOf(await driver.run('pat', 'approvals'));
      expect(list.title).toBe('Waiting for your decision (1)');
      expect(list.private).toBe(true);
      expect(list.buttons).toEqual(['Approve', 'Reject']);
      const approved = messageOf(await driver.click('pat', list, 'Approve'));
      expect(approved.all).toContain('Approved. Signed by Pat Approver, 2026-06-01 09:00 UTC, meaning: approval.');
      const [edited] = await driver.channelMessages('findings');
      expect(edited?.id).toBe(card?.id);
      expect(edited?.fields.State).toBe('Risk accepted');
      expect(edited?.fields['Risk accepted until']).toBe('2026-09-30');
      const [decided] = await driver.channelMessages('approvals');
      expect(decided?.all).toContain('✅ Approved. Signed by Pat Approver');
    },
  },
];
