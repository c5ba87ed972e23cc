import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db, DbOrTx, Tx } from '../../store/database.ts';
import { inTransaction } from '../../store/database.ts';
import type { SigningPinTable } from '../../store/tables.ts';
import { appendAudit } from '../audit/log.ts';
import type { Actor } from '../common/actor.ts';
import type { CoreDeps } from '../common/deps.ts';
import { forbidden, invalidInput, invalidState } from '../common/errors.ts';
import { enqueue } from '../messaging/outbox.ts';
import { personOf, samePerson } from '../roles/identity.ts';
import { listGrants, requirePermission } from '../roles/permissions.ts';

// Two-component signing (21 CFR 11.200(a)(1)): a decision is signed with the chat identity (who the
// platform says you are) plus a signing PIN only the person knows. The PIN belongs to the person
// (person_links), so a Slack and a Teams account of one person share it. Only a scrypt hash with a
// per-PIN salt is stored; the PIN is never logged, audited or shown, not even to admins.
// 11.300(d): after MAX_FAILURES wrong PINs signing locks for that person and the admins are alerted;
// only an admin reset (audited) unlocks it. 11.300(b): a PIN older than the policy's
// signingPinMaxAgeDays must be replaced before its owner signs again.

export const MAX_FAILURES = 5;
export const MIN_PIN_DIGITS = 6;
const MAX_PIN_DIGITS = 32;
const KEY_LENGTH = 32;

/** Whether the deployment asks for a PIN; deps without a mode ask for one (safe by default). */
export function pinRequired(deps: CoreDeps): boolean {
  return (deps.signatureMode ?? 'pin') === 'pin';
}

type PinRow = Selectable<SigningPinTable>;

function hashPin(pin: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, KEY_LENGTH, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

async function loadPin(db: DbOrTx, person: string): Promise<PinRow | null> {
  return (await db.selectFrom('signing_pins').selectAll().where('person', '=', person).executeTakeFirst()) ?? null;
}

function checkFormat(pin: string): void {
  if (!new RegExp(`^\\d{${MIN_PIN_DIGITS},${MAX_PIN_DIGITS}}$`).test(pin)) {
    throw invalidInput(`A signing PIN is ${MIN_PIN_DIGITS} to ${MAX_PIN_DIGITS} digits, nothing else.`);
  }
  if (/^(\d)\1+$/.test(pin) || '01234567890123456789'.includes(pin) || '98765432109876543210'.includes(pin)) {
    throw invalidInput('That PIN is too easy to guess (repeated or consecutive digits). Choose another.');
  }
}

async function matches(row: PinRow, pin: string): Promise<boolean> {
  if (!row.pin_hash || !row.salt) return false;
  const expected = Buffer.from(row.pin_hash, 'hex');
  const actual = await hashPin(pin, Buffer.from(row.salt, 'hex'));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Whether the person of `principal` has a usable (set, unlocked) signing PIN; for prompts, never for checks. */
export async function signingPinState(db: DbOrTx, principal: string): Promise<'none' | 'set' | 'locked'> {
  const row = await loadPin(db, await personOf(db, principal));
  if (row?.locked_at) return 'locked';
  return row?.pin_hash ? 'set' : 'none';
}

const NO_PIN =
  'You have no signing PIN yet, so you cannot sign. Run `pin` to set one privately, then sign again. Nothing was signed.';
const LOCKED =
  'Signing is locked for you after 5 wrong PINs, and the admins were alerted. An admin must reset your PIN (`pin reset @you`). Nothing was signed.';

/**
 * Checks the PIN the signer typed. Failures are counted in a transaction of their own, committed
 * before the caller's decision transaction starts, so a refused signature still counts. Throws a
 * UserError (nothing else written) when there is no PIN, it has aged out, it is locked, or it is wrong.
 */
export async function checkSigningPin(db: Db, deps: CoreDeps, actor: Actor, pin: string): Promise<void> {
  const person = await personOf(db, actor.id);
  const row = await loadPin(db, person);
  if (row?.locked_at) throw forbidden(LOCKED);
  if (!row?.pin_hash || !row.set_at) throw forbidden(NO_PIN);
  if (await matches(row, pin)) {
    const maxAge = deps.policy.signingPinMaxAgeDays;
    const age = (deps.clock.now().getTime() - Date.parse(row.set_at)) / 86_400_000;
    if (maxAge > 0 && age >= maxAge) {
      throw forbidden(
        `Your signing PIN is older than ${maxAge} days. Run \`pin\` to choose a new one, then sign again. Nothing was signed.`,
      );
    }
    if (row.failures > 0) {
      await inTransaction(db, (tx) =>
        tx
          .updateTable('signing_pins')
          .set({ failures: 0, updated_at: deps.clock.now().toISOString() })
          .where('person', '=', person)
          .execute(),
      );
    }
    return;
  }
  const failures = await inTransaction(db, (tx) => countFailure(tx, deps, actor, person));
  if (failures >= MAX_FAILURES) throw forbidden(LOCKED);
  const left = MAX_FAILURES - failures;
  throw forbidden(
    `Wrong signing PIN. ${left} ${left === 1 ? 'attempt' : 'attempts'} left before signing locks. Nothing was signed.`,
  );
}

async function countFailure(tx: Tx, deps: CoreDeps, actor: Actor, person: string): Promise<number> {
  const now = deps.clock.now().toISOString();
  const row = await loadPin(tx, person);
  if (!row) return 0;
  const failures = row.failures + 1;
  const locks = failures >= MAX_FAILURES && !row.locked_at;
  await tx
    .updateTable('signing_pins')
    .set({ failures, updated_at: now, ...(locks ? { locked_at: now } : {}) })
    .where('person', '=', person)
    .execute();
  if (locks) {
    await appendAudit(tx, deps.clock, {
      actor,
      action: 'signing_pin.locked',
      entityType: 'signing_pin',
      entityId: person,
      before: { failures: row.failures, locked: false },
      after: { failures, locked: true, locked_at: now },
    });
    await alertAdmins(tx, deps, actor, person, now);
  }
  return failures;
}

/** 11.300(d): the admins (by DM) and the approvals channels hear of a lock at once. */
async function alertAdmins(tx: Tx, deps: CoreDeps, actor: Actor, person: string, at: string): Promise<void> {
  const text =
    `🔒 Signing locked for ${actor.name} (${actor.id}) after ${MAX_FAILURES} wrong signing PINs. ` +
    'Check with them that it was them; an admin can reset the PIN with `pin reset`.';
  const admins = (await listGrants(tx)).filter((g) => g.role === 'admin').map((g) => g.principal);
  for (const target of [...new Set([...admins, ...deps.routing.approvalsChannels])]) {
    if (!/^(slack|teams):/.test(target)) continue;
    await enqueue(tx, deps.clock, {
      key: `signing-lock:${person}:${at}:${target}`,
      target,
      template: 'text',
      data: { text },
    });
  }
}

/**
 * Sets the actor's own signing PIN. The first PIN (or the first after an admin reset) needs nothing
 * else; replacing a PIN needs the current one, checked (and counted) like a signature.
 */
export async function setSigningPin(
  db: Db,
  deps: CoreDeps,
  actor: Actor,
  input: { pin: string; currentPin?: string | null },
): Promise<void> {
  if (!/^(slack|teams):/.test(actor.id)) throw forbidden('Only a person in Slack or Teams sets a signing PIN.');
  checkFormat(input.pin);
  const person = await personOf(db, actor.id);
  const existing = await loadPin(db, person);
  if (existing?.locked_at) throw forbidden(LOCKED.replace('Nothing was signed.', 'Nothing was changed.'));
  if (existing?.pin_hash) {
    if (!input.currentPin) throw invalidInput('You already have a signing PIN: enter it to choose a new one.');
    if (!(await matches(existing, input.currentPin))) {
      const failures = await inTransaction(db, (tx) => countFailure(tx, deps, actor, person));
      if (failures >= MAX_FAILURES) throw forbidden(LOCKED.replace('Nothing was signed.', 'Nothing was changed.'));
      const left = MAX_FAILURES - failures;
      throw forbidden(`Wrong current PIN. ${left} ${left === 1 ? 'attempt' : 'attempts'} left. Nothing was changed.`);
    }
    if (await matches(existing, input.pin)) throw invalidInput('Choose a PIN different from your current one.');
  }
  const salt = randomBytes(16);
  const hash = await hashPin(input.pin, salt);
  await inTransaction(db, async (tx) => {
    const now = deps.clock.now().toISOString();
    const values = {
      pin_hash: hash.toString('hex'),
      salt: salt.toString('hex'),
      set_at: now,
      failures: 0,
      locked_at: null,
      updated_at: now,
    };
    await tx
      .insertInto('signing_pins')
      .values({ person, ...values })
      .onConflict((oc) => oc.column('person').doUpdateSet(values))
      .execute();
    await appendAudit(tx, deps.clock, {
      actor,
      action: existing?.pin_hash ? 'signing_pin.changed' : 'signing_pin.set',
      entityType: 'signing_pin',
      entityId: person,
      after: { set_at: now },
    });
  });
}

/**
 * An admin clears a person's PIN and lock; the person then sets a new one themselves. The admin never
 * sees or chooses a PIN, and may not reset their own (another admin must).
 */
export async function resetSigningPin(tx: Tx, deps: CoreDeps, admin: Actor, principal: string): Promise<void> {
  await requirePermission(tx, admin, 'roles.manage');
  if (await samePerson(tx, admin.id, principal)) {
    throw forbidden('You cannot reset your own signing PIN; another admin must. Nothing was changed.');
  }
  const person = await personOf(tx, principal);
  const row = await loadPin(tx, person);
  if (!row?.pin_hash && !row?.locked_at)
    throw invalidState('That person has no signing PIN to reset. Nothing was changed.');
  const now = deps.clock.now().toISOString();
  await tx
    .updateTable('signing_pins')
    .set({ pin_hash: null, salt: null, set_at: null, failures: 0, locked_at: null, updated_at: now })
    .where('person', '=', person)
    .execute();
  await appendAudit(tx, deps.clock, {
    actor: admin,
    action: 'signing_pin.reset',
    entityType: 'signing_pin',
    entityId: person,
    before: { failures: row.failures, locked: Boolean(row.locked_at) },
    after: { failures: 0, locked: false, pin: 'cleared' },
  });
  await enqueue(tx, deps.clock, {
    key: `signing-reset:${person}:${now}`,
    target: principal,
    template: 'text',
    data: { text: `${admin.name} reset your signing PIN. Run \`pin\` to choose a new one before you sign again.` },
  });
}
