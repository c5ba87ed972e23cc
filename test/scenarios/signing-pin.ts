import { expect } from 'vitest';
import { setSigningPin } from '../../src/core/signing/pin.ts';
import type { Db } from '../../src/store/database.ts';
import { escalated } from './approvals-flow.ts';
import { type ChatDriver, formOf, type Message, messageOf } from './driver.ts';
import type { Scenario } from './scenario.ts';
import type { World } from './world.ts';

// Two-component signing (21 CFR 11.200(a)(1), 11.300): with SIGNATURE_MODE=pin an approver signs
// with their chat identity and their signing PIN, typed into the Approve or Reject confirmation.
// Refusals are private and write nothing but the failure count; five wrong PINs lock signing and
// the admins hear of it.

const PAT_PIN = '246813';

type SigningTable = 'audit_log' | 'signatures' | 'outbox';

/** Rows in a table a signature writes to. */
export async function rowCount(db: Db, table: SigningTable): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Everything a refused signature must leave alone: the record, the audit trail, the outbox. */
async function written(db: Db) {
  const count = (table: SigningTable) => rowCount(db, table);
  const requests = await db.selectFrom('approval_requests').select(['id', 'state', 'version']).execute();
  return {
    audit: await count('audit_log'),
    signatures: await count('signatures'),
    outbox: await count('outbox'),
    requests,
  };
}

/** Each signing PIN's count of failed attempts. */
export async function failures(db: Db): Promise<number[]> {
  return (await db.selectFrom('signing_pins').select('failures').execute()).map((r) => r.failures);
}

async function inPinMode(driver: ChatDriver): Promise<{ world: World; request: Message }> {
  const { world, request } = await escalated(driver);
  world.deps.signatureMode = 'pin';
  return { world, request };
}

async function approveWithPin(driver: ChatDriver, request: Message, pin: string) {
  const form = formOf(await driver.click('pat', request, 'Approve'));
  expect(form.title).toBe('Approve request');
  // Teams masks the PIN input (Password style); Slack's plain_text_input cannot, and its hint says so.
  expect(form.fields.map((f) => f.id)).toEqual(['pin']);
  return messageOf(await driver.submit('pat', form, { pin }));
}

export const signingPinScenarios: Scenario[] = [
  {
    name: 'signing without a signing PIN is refused privately and nothing is written',
    async run(driver) {
      const { world, request } = await inPinMode(driver);
      const before = await written(world.deps.db);
      const refused = await approveWithPin(driver, request, PAT_PIN);
      expect(refused.private).toBe(true);
      expect(refused.all).toMatch(
        /^You have no signing PIN yet, so you cannot sign\. Run `?pin`? to set one privately, then sign again\. Nothing was signed\.$/,
      );
      expect(await written(world.deps.db)).toEqual(before);
      expect(await failures(world.deps.db)).toEqual([]);
    },
  },
  {
    name: 'a PIN set in a private form signs approvals; a wrong PIN is refused and only counted',
    async run(driver) {
      const { world, request } = await inPinMode(driver);
      const form = formOf(await driver.run('pat', 'pin'));
      expect(form.title).toBe('Set signing PIN');
      expect(form.fields.map((f) => f.id)).toEqual(['pin', 'again']);
      const saved = messageOf(await driver.submit('pat', form, { pin: PAT_PIN, again: PAT_PIN }));
      expect(saved.all).toBe('Your signing PIN is saved. Enter it whenever you approve or reject.');
      const audit = await world.deps.db.selectFrom('audit_log').select(['action', 'after']).execute();
      expect(audit.at(-1)?.action).toBe('signing_pin.set');
      expect(JSON.stringify(audit)).not.toContain(PAT_PIN);

      const before = await written(world.deps.db);
      const wrong = await approveWithPin(driver, request, '975310');
      expect(wrong.private).toBe(true);
      expect(wrong.all).toBe('Wrong signing PIN. 4 attempts left before signing locks. Nothing was signed.');
      expect(await written(world.deps.db)).toEqual(before);
      expect(await failures(world.deps.db)).toEqual([1]);

      const approved = await approveWithPin(driver, request, PAT_PIN);
      expect(approved.all).toMatch(/^Approved\. Signed by Pat Approver, .* UTC, meaning: approval\./);
      const [decided] = await driver.channelMessages('approvals');
      expect(decided?.all).toContain('✅ Approved. Signed by Pat Approver');
      expect(await failures(world.deps.db)).toEqual([0]);
    },
  },
  {
    name: 'rejecting asks for the signing PIN beside the reason, and a correct PIN signs the rejection',
    async run(driver) {
      const { world, request } = await inPinMode(driver);
      await setSigningPin(world.deps.db, world.deps, world.actor('quinn'), { pin: '864209' });
      const form = formOf(await driver.click('quinn', request, 'Reject'));
      expect(form.fields.map((f) => f.id)).toEqual(['reason', 'pin']);
      const rejected = messageOf(await driver.submit('quinn', form, { reason: 'Not yet', pin: '864209' }));
      expect(rejected.all).toContain('Rejected. Signed by Quinn Approver');
    },
  },
  {
    name: 'five wrong PINs lock signing, alert the admins, and refuse even the right PIN until an admin reset',
    async run(driver) {
      const { world, request } = await inPinMode(driver);
      await setSigningPin(world.deps.db, world.deps, world.actor('pat'), { pin: PAT_PIN });
      const before = await written(world.deps.db);
      for (let attempt = 1; attempt <= 4; attempt += 1) {
        const left = 5 - attempt;
        expect((await approveWithPin(driver, request, '975310')).all).toContain(
          `${left} ${left === 1 ? 'attempt' : 'attempts'} left`,
        );
      }
      const locked = await approveWithPin(driver, request, '975310');
      expect(locked.private).toBe(true);
      expect(locked.all).toContain('Signing is locked for you after 5 wrong PINs, and the admins were alerted.');

      const alerts = (await driver.dmsTo('ada')).map((m) => m.all);
      expect(
        alerts.some((t) => t.includes('Signing locked for Pat Approver') && t.includes('5 wrong signing PINs')),
      ).toBe(true);
      expect(
        (await driver.channelMessages('approvals')).some((m) => m.all.includes('Signing locked for Pat Approver')),
      ).toBe(true);

      const afterLock = await written(world.deps.db);
      expect(afterLock.requests).toEqual(before.requests);
      expect(afterLock.signatures).toBe(before.signatures);
      const refused = await approveWithPin(driver, request, PAT_PIN);
      expect(refused.all).toContain('Signing is locked for you');
      expect(await written(world.deps.db)).toEqual(afterLock);

      const reset = messageOf(await driver.run('ada', 'pin reset @{pat}'));
      expect(reset.all).toContain('Reset the signing PIN of');
      const again = formOf(await driver.run('pat', 'pin'));
      expect(again.title).toBe('Set signing PIN');
      expect((await driver.dmsTo('pat')).some((m) => m.all.includes('Ada Admin reset your signing PIN'))).toBe(true);
    },
  },
];
