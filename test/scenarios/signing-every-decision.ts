import { expect } from 'vitest';
import { getIncidentDetail } from '../../src/core/incidents/queries.ts';
import { setSigningPin } from '../../src/core/signing/pin.ts';
import type { Db } from '../../src/store/database.ts';
import { type ChatDriver, formOf, type Message, messageOf } from './driver.ts';
import { cardIn, requested, reviewedWithEvidence, VENDOR } from './lifecycle.ts';
import type { Scenario } from './scenario.ts';
import { failures, rowCount } from './signing-pin.ts';
import { openSignalFinding, standardWorld, type World } from './world.ts';

// Every electronic signature asks for the signing PIN in SIGNATURE_MODE=pin, not only approvals:
// incident decisions, vendor activations (approve, with conditions, reject) and offboarding
// sign-offs. A wrong PIN is refused privately and counted in the same counter as approvals (five
// lock signing); nothing else is written.

const PIN = '246813';
const WRONG = '975310';

/** Everything a refused signature must leave alone. */
async function written(db: Db) {
  const count = (table: 'audit_log' | 'signatures' | 'outbox') => rowCount(db, table);
  return {
    audit: await count('audit_log'),
    signatures: await count('signatures'),
    outbox: await count('outbox'),
    decisions: await db.selectFrom('incident_decisions').select(['id', 'state', 'version']).orderBy('id').execute(),
    activations: await db.selectFrom('activation_requests').select(['id', 'state']).orderBy('id').execute(),
    offboardings: await db.selectFrom('offboardings').select(['id', 'state']).orderBy('id').execute(),
    vendors: await db.selectFrom('vendors').select(['id', 'status']).orderBy('id').execute(),
  };
}

function inPinMode(world: World): void {
  world.deps.signatureMode = 'pin';
}

const incidentCard = async (driver: ChatDriver): Promise<Message> => {
  const card = (await driver.channelMessages('findings')).find((m) => m.title?.startsWith('Incident #'));
  if (!card) throw new Error('no incident card in the findings channel');
  return card;
};

/** An incident with decision D1 (a notification ruled not required) waiting for an approver. */
async function decisionWaiting(driver: ChatDriver): Promise<World> {
  const { world, portfolio } = await standardWorld(driver);
  await openSignalFinding(world, portfolio.acme, { severity: 'critical' });
  const [findingCard] = await driver.channelMessages('findings');
  const declare = formOf(await driver.click('dana', findingCard as Message, 'Declare incident'));
  await driver.submit('dana', declare, { scenario: 'datastore-exposed', summary: 'Elasticsearch open' });
  const detail = await getIncidentDetail(world.deps.db, 1);
  const media = String(detail.clocks.find((c) => c.rule === 'hipaa-media')?.id);
  const notRequired = formOf(await driver.click('pat', await incidentCard(driver), 'Not required…'));
  await driver.submit('pat', notRequired, { clock: media, reason: 'Fewer than 500 residents of any one state' });
  return world;
}

export const signingEveryDecisionScenarios: Scenario[] = [
  {
    name: 'an incident decision is signed with the signing PIN: a wrong PIN is refused and counted, nothing else written',
    async run(driver) {
      const world = await decisionWaiting(driver);
      inPinMode(world);
      // Pat asked, so Pat is told so before any PIN is asked for.
      const own = messageOf(await driver.click('pat', await incidentCard(driver), 'Sign D1'));
      expect(own.all).toBe('You asked for this decision, so another approver must sign it. Nothing was changed.');
      await setSigningPin(world.deps.db, world.deps, world.actor('quinn'), { pin: PIN });
      const form = formOf(await driver.click('quinn', await incidentCard(driver), 'Sign D1'));
      expect(form.title).toBe('Sign decision D1');
      expect(form.fields.map((f) => f.id)).toEqual(['pin']);
      const before = await written(world.deps.db);
      const empty = await driver.submit('quinn', form, { pin: '' });
      expect(JSON.stringify(empty)).toContain('Enter your signing PIN to sign.');
      const wrong = messageOf(await driver.submit('quinn', form, { pin: WRONG }));
      expect(wrong.private).toBe(true);
      expect(wrong.all).toBe('Wrong signing PIN. 4 attempts left before signing locks. Nothing was signed.');
      expect(await written(world.deps.db)).toEqual(before);
      expect(await failures(world.deps.db)).toEqual([1]);
      const signed = messageOf(await driver.submit('quinn', form, { pin: PIN }));
      expect(signed.all).toMatch(/^Signed decision D1\. Signed by Quinn Approver, .* UTC, meaning: approval/);
      expect((await incidentCard(driver)).all).toContain(
        'HIPAA §164.406 → Prominent media outlets in the state: not required',
      );
    },
  },
  {
    name: 'a vendor activation is signed with the signing PIN on approve, with conditions and reject',
    async run(driver) {
      const world = await requested(driver);
      await reviewedWithEvidence(driver);
      await driver.run('dana', `activate "${VENDOR}" reason:"due diligence complete"`);
      inPinMode(world);
      const request = await cardIn(driver, 'approvals', `Approval needed: activation · ${VENDOR}`);
      const conditions = formOf(await driver.click('quinn', request, 'Approve with conditions'));
      expect(conditions.fields.map((f) => f.id)).toEqual(['findings', 'reason', 'pin']);
      const reject = formOf(await driver.click('quinn', request, 'Reject'));
      expect(reject.fields.map((f) => f.id)).toEqual(['reason', 'pin']);

      // Without a PIN of her own Quinn cannot reject; nothing is written.
      const before = await written(world.deps.db);
      const noPin = messageOf(await driver.submit('quinn', reject, { reason: 'Outside the EU', pin: PIN }));
      expect(noPin.all).toContain('You have no signing PIN yet, so you cannot sign.');
      expect(await written(world.deps.db)).toEqual(before);

      await setSigningPin(world.deps.db, world.deps, world.actor('pat'), { pin: PIN });
      const withPin = await written(world.deps.db);
      const approve = formOf(await driver.click('pat', request, 'Approve for use'));
      expect(approve.title).toBe('Approve for use');
      expect(approve.fields.map((f) => f.id)).toEqual(['pin']);
      const wrong = messageOf(await driver.submit('pat', approve, { pin: WRONG }));
      expect(wrong.all).toBe('Wrong signing PIN. 4 attempts left before signing locks. Nothing was signed.');
      expect(await written(world.deps.db)).toEqual(withPin);
      const approved = messageOf(await driver.submit('pat', approve, { pin: PIN }));
      expect(approved.all).toMatch(
        new RegExp(`^Approved: ${VENDOR}\\. Signed by Pat Approver, .* UTC, meaning: approval`),
      );
      const [decided] = await driver.channelMessages('approvals');
      expect(decided?.all).toContain('✅ Approved for use. Signed by Pat Approver');
    },
  },
  {
    name: 'an offboarding sign-off is signed with the signing PIN, and a wrong one writes nothing',
    async run(driver) {
      const { world } = await standardWorld(driver);
      await driver.run('dana', 'offboard "Acme Health Cloud" reason:"contract ends"');
      const card = await cardIn(driver, 'findings', 'Offboarding: Acme Health Cloud');
      await driver.click('olive', card, 'Done: Access revoked');
      await driver.click('olive', card, 'Done: Integrations disconnected');
      const certificate = formOf(await driver.click('dana', card, 'Done: Data returned or destroyed'));
      await driver.submit('dana', certificate, { url: 'https://docs.example/acme-cod.pdf', date: '2026-05-29' });
      await driver.click('dana', card, 'Done: BAA/DPA termination duties met');
      inPinMode(world);
      await setSigningPin(world.deps.db, world.deps, world.actor('dana'), { pin: PIN });
      const last = await cardIn(driver, 'findings', 'Offboarding: Acme Health Cloud');
      const form = formOf(await driver.click('dana', last, 'Sign off'));
      expect(form.title).toBe('Sign off offboarding');
      expect(form.fields.map((f) => f.id)).toEqual(['pin']);
      const before = await written(world.deps.db);
      const wrong = messageOf(await driver.submit('dana', form, { pin: WRONG }));
      expect(wrong.all).toBe('Wrong signing PIN. 4 attempts left before signing locks. Nothing was signed.');
      expect(await written(world.deps.db)).toEqual(before);
      const signed = messageOf(await driver.submit('dana', form, { pin: PIN }));
      expect(signed.all).toMatch(
        /^Acme Health Cloud is offboarded\. Signed by Dana Analyst, .* UTC, meaning: approval/,
      );
    },
  },
];
