import { expect } from 'vitest';
import { grantRole } from '../../src/core/roles/permissions.ts';
import { inTransaction } from '../../src/store/database.ts';
import { type ChatDriver, formOf, type Message, messageOf } from './driver.ts';
import type { Scenario } from './scenario.ts';
import { standardWorld, type World } from './world.ts';

// The vendor lifecycle as people live it: anyone asks for a vendor, an analyst runs the due diligence,
// activation waits for the evidence the policy requires and for a second person's signature; a contract
// that ends goes through a signed-off checklist. Sam (an engineer, no role) asks; Dana is the analyst;
// Pat and Quinn approve.

export const VENDOR = 'Trialwave eCOA';

export async function cardIn(driver: ChatDriver, place: 'findings' | 'approvals', title: string): Promise<Message> {
  const card = (await driver.channelMessages(place)).find((m) => m.title === title);
  if (!card) throw new Error(`no “${title}” card in ${place}`);
  return card;
}

/** Sam asks for the vendor through the form; the risk team gets one intake card. */
export async function requested(driver: ChatDriver): Promise<World> {
  const { world } = await standardWorld(driver);
  const form = formOf(await driver.run('sam', 'request'));
  expect(form.title).toBe('Request a new vendor');
  expect(form.fields.map((f) => f.id)).toEqual([
    'name',
    'website',
    'service',
    'data',
    'records',
    'systems',
    'start',
    'owner',
  ]);
  const sent = messageOf(
    await driver.submit('sam', form, {
      name: VENDOR,
      website: 'trialwave.example',
      service: 'Patient diaries for study TW-201',
      data: ['PHI'],
      records: '40000',
      systems: 'EDC',
      owner: { person: 'olive' },
    }),
  );
  expect(sent.all).toContain(`Sent to the risk team: ${VENDOR} is requested (critical tier).`);
  const card = await cardIn(driver, 'findings', `Vendor request: ${VENDOR}`);
  expect(card.buttons).toEqual(['Acknowledge', 'Assign', 'Show vendor']);
  expect(card.fields['Requested by']).toBe('@Sam Engineer');
  expect(card.all).toContain('not approved for use (requested)');
  expect(messageOf(await driver.click('dana', card, 'Acknowledge')).all).toContain('Acknowledged.');
  const edited = await cardIn(driver, 'findings', `Vendor request: ${VENDOR}`);
  expect(edited.id).toBe(card.id);
  expect(edited.buttons).toEqual(['Assign', 'Show vendor']);
  expect(edited.fields['Acknowledged by']).toBe('@Dana Analyst');
  return world;
}

/** Dana starts due diligence: the missing BAA is listed, and activation is refused until it is there. */
export async function reviewedWithEvidence(driver: ChatDriver): Promise<void> {
  const review = messageOf(await driver.run('dana', `review "${VENDOR}"`));
  expect(review.all).toContain(`Due diligence started for ${VENDOR}.`);
  expect(review.all).toContain('❌ missing: HIPAA BAA (holds PHI)');
  expect(review.all).toContain('❌ missing: SOC 2 Type II or ISO 27001 (critical or high tier)');
  const refused = messageOf(await driver.run('dana', `activate "${VENDOR}"`));
  expect(refused.all).toContain(
    `${VENDOR} cannot be put forward for activation while required evidence is missing: HIPAA BAA (holds PHI);`,
  );
  await driver.run('olive', `evidence "${VENDOR}" baa expires:2028-01-31`);
  await driver.run('olive', `evidence "${VENDOR}" soc2 expires:2027-03-31`);
  await driver.run('olive', `evidence "${VENDOR}" pentest expires:2027-04-30 issued:2026-04-30`);
  const ready = messageOf(await driver.run('dana', `review "${VENDOR}"`));
  expect(ready.all).toContain('✅ HIPAA BAA (holds PHI)');
  expect(ready.all).not.toContain('missing');
}

export const lifecycleScenarios: Scenario[] = [
  {
    name: 'request, review, missing BAA refused, then approved for use by a second person with a signature, then active',
    async run(driver) {
      const world = await requested(driver);
      const gated = messageOf(await driver.run('vic', `posture "${VENDOR}"`));
      expect(gated.all).toContain('⛔ not approved for use (requested)');
      await reviewedWithEvidence(driver);
      const asked = messageOf(await driver.run('dana', `activate "${VENDOR}" reason:"due diligence complete"`));
      expect(asked.all).toContain(`Asked the approvers to approve ${VENDOR} for use`);
      const request = await cardIn(driver, 'approvals', `Approval needed: activation · ${VENDOR}`);
      expect(request.buttons).toEqual(['Approve for use', 'Approve with conditions', 'Reject']);
      // Dana asked, so even as an approver she may not decide it.
      await inTransaction(world.deps.db, (tx) =>
        grantRole(tx, world.deps.clock, world.actor('ada'), world.actor('dana').id, 'approver'),
      );
      const own = messageOf(await driver.click('dana', request, 'Approve for use'));
      expect(own.all).toBe('You asked for this activation, so another approver must decide it.');
      // The approvals list offers it to the other approvers, not to Dana.
      expect(messageOf(await driver.run('dana', 'approvals')).all).toContain('Nothing is waiting for your decision.');
      const inbox = messageOf(await driver.run('pat', 'approvals'));
      expect(inbox.title).toBe('Waiting for your decision (1)');
      expect(inbox.buttons).toEqual(['Approve for use', 'Approve with conditions', 'Reject']);
      const approved = messageOf(await driver.click('pat', request, 'Approve for use'));
      expect(approved.all).toBe(
        `Approved: ${VENDOR}. Signed by Pat Approver, 2026-06-01 09:00 UTC, meaning: approval.`,
      );
      const decided = await driver.channelMessages('approvals');
      expect(decided.map((m) => m.id)).toEqual([request.id]);
      expect(decided[0]?.all).toContain(
        '✅ Approved for use. Signed by Pat Approver, 2026-06-01 09:00 UTC, meaning: approval',
      );
      expect(decided[0]?.buttons).toEqual([]);
      const live = messageOf(await driver.run('dana', `activate "${VENDOR}"`));
      expect(live.all).toContain(`${VENDOR} is active: approved for use and receiving data.`);
      expect(messageOf(await driver.run('vic', `posture "${VENDOR}"`)).all).not.toContain('not approved for use');
      const told = (await driver.dmsTo('sam')).map((m) => m.all);
      expect(told).toEqual(
        expect.arrayContaining([
          'Dana Analyst on the risk team has your vendor request.',
          expect.stringContaining(`Due diligence for ${VENDOR} has started (Dana Analyst).`),
          `${VENDOR} is waiting for an approver.`,
          expect.stringContaining(`${VENDOR} is approved for use (Signed by Pat Approver`),
          `${VENDOR} is active: it is approved and receiving data.`,
        ]),
      );
    },
  },
  {
    name: 'a rejection is signed with its reason, the requester hears why, and the vendor stays gated',
    async run(driver) {
      await requested(driver);
      await reviewedWithEvidence(driver);
      await driver.run('dana', `activate "${VENDOR}"`);
      const request = await cardIn(driver, 'approvals', `Approval needed: activation · ${VENDOR}`);
      const form = formOf(await driver.click('quinn', request, 'Reject'));
      expect(form.title).toBe('Reject activation');
      const rejected = messageOf(await driver.submit('quinn', form, { reason: 'Stores diaries outside the EU' }));
      expect(rejected.all).toBe(
        `Rejected: ${VENDOR}. Signed by Quinn Approver, 2026-06-01 09:00 UTC, meaning: rejection, reason: Stores diaries outside the EU.`,
      );
      const [card] = await driver.channelMessages('approvals');
      expect(card?.all).toContain('❌ Rejected. Signed by Quinn Approver');
      expect((await driver.dmsTo('sam')).map((m) => m.all)).toContain(
        `${VENDOR} was rejected by Quinn Approver: Stores diaries outside the EU`,
      );
      expect(messageOf(await driver.run('vic', 'list')).all).toContain('⛔ not approved for use (rejected)');
      const notLive = messageOf(await driver.run('dana', `activate "${VENDOR}"`));
      expect(notLive.all).toContain('is not in due diligence');
    },
  },
  {
    name: 'offboarding: the checklist is owned and dated, signed off only when done, and the vendor is offboarded',
    async run(driver) {
      await standardWorld(driver);
      const started = messageOf(await driver.run('dana', 'offboard "Acme Health Cloud" reason:"contract ends"'));
      expect(started.all).toContain('Offboarding Acme Health Cloud started.');
      const card = await cardIn(driver, 'findings', 'Offboarding: Acme Health Cloud');
      expect(card.buttons).toEqual([
        'Done: Access revoked',
        'Done: Integrations disconnected',
        'Done: Data returned or destroyed',
        'Done: BAA/DPA termination duties met',
        'Sign off',
      ]);
      expect(card.all).toContain('⬜ Access revoked: accounts, keys, VPN, SSO apps · @Olive Owner · due 2026-07-01');
      const early = messageOf(await driver.click('dana', card, 'Sign off'));
      expect(early.all).toContain(
        'Acme Health Cloud cannot be offboarded yet: Access revoked: accounts, keys, VPN, SSO apps: not done',
      );
      await driver.click('olive', card, 'Done: Access revoked');
      await driver.click('olive', card, 'Done: Integrations disconnected');
      const certificate = formOf(await driver.click('dana', card, 'Done: Data returned or destroyed'));
      expect(certificate.title).toBe('Return or destruction');
      const recorded = messageOf(
        await driver.submit('dana', certificate, { url: 'https://docs.example/acme-cod.pdf', date: '2026-05-29' }),
      );
      expect(recorded.all).toContain('Done: Data returned or destroyed, certificate recorded. 1 left.');
      const last = await cardIn(driver, 'findings', 'Offboarding: Acme Health Cloud');
      expect(last.id).toBe(card.id);
      expect(last.buttons).toEqual(['Done: BAA/DPA termination duties met', 'Sign off']);
      await driver.click('dana', last, 'Done: BAA/DPA termination duties met');
      const signed = messageOf(await driver.click('dana', last, 'Sign off'));
      expect(signed.all).toBe(
        'Acme Health Cloud is offboarded. Signed by Dana Analyst, 2026-06-01 09:00 UTC, meaning: approval, reason: offboarding checklist complete.',
      );
      const done = await cardIn(driver, 'findings', 'Offboarding: Acme Health Cloud');
      expect(done.all).toContain('Offboarded. Signed by Dana Analyst');
      expect(done.buttons).toEqual([]);
      expect(messageOf(await driver.run('vic', 'posture "Acme Health Cloud"')).all).toContain(
        'offboarded, no further reviews',
      );
    },
  },
];
