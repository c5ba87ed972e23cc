import type { DbOrTx, Tx } from '../../store/database.ts';
import { appendAudit } from '../audit/log.ts';
import type { Actor } from '../common/actor.ts';
import type { Clock } from '../common/clock.ts';
import { forbidden, invalidInput, invalidState } from '../common/errors.ts';

// A person is one identity across platforms: Dana's Slack account and her Teams account are linked
// to one person, so every four-eyes rule (no self-approval, verify someone else's fix, no granting
// your own roles) compares people, never principal strings. An unlinked principal is its own person.

const PRINCIPAL = /^(slack|teams):[A-Za-z0-9._-]{1,64}$/;

/** The person a principal belongs to: its link, or itself. */
export async function personOf(db: DbOrTx, principal: string): Promise<string> {
  const row = await db
    .selectFrom('person_links')
    .select('person')
    .where('principal', '=', principal)
    .executeTakeFirst();
  return row?.person ?? principal;
}

/** Every principal of the person `principal` belongs to, itself included. */
export async function principalsOf(db: DbOrTx, principal: string): Promise<string[]> {
  const person = await personOf(db, principal);
  const rows = await db.selectFrom('person_links').select('principal').where('person', '=', person).execute();
  return [...new Set([principal, person, ...rows.map((r) => r.principal)])];
}

export async function samePerson(db: DbOrTx, a: string | null, b: string | null): Promise<boolean> {
  if (!a || !b) return false;
  if (a === b) return true;
  return (await personOf(db, a)) === (await personOf(db, b));
}

/**
 * Links two principals as one person (admins only, checked by the caller's permission). Refused for
 * the actor's own accounts, for principals already linked elsewhere, and when the merged person would
 * hold both admin and approver.
 */
export async function linkPrincipals(tx: Tx, clock: Clock, actor: Actor, a: string, b: string): Promise<boolean> {
  for (const p of [a, b]) {
    if (!PRINCIPAL.test(p)) throw invalidInput(`“${p}” is not a platform id like slack:U123 or teams:<aad id>.`);
  }
  if (a === b) throw invalidInput('Name two different accounts to link.');
  if ((await samePerson(tx, actor.id, a)) || (await samePerson(tx, actor.id, b))) {
    throw forbidden('You cannot link your own accounts; another admin must do it. Nothing was changed.');
  }
  const [personA, personB] = [await personOf(tx, a), await personOf(tx, b)];
  if (personA === personB) return false;
  const linkedA = personA !== a || (await principalsOf(tx, a)).length > 1;
  const linkedB = personB !== b || (await principalsOf(tx, b)).length > 1;
  if (linkedA && linkedB) {
    throw invalidState('Both accounts are already linked to other people. Nothing was changed.');
  }
  const person = linkedB ? personB : personA;
  const joining = linkedB ? a : b;
  const roles = await tx
    .selectFrom('role_grants')
    .select('role')
    .where('principal', 'in', [...(await principalsOf(tx, a)), ...(await principalsOf(tx, b))])
    .execute();
  const held = new Set(roles.map((r) => r.role));
  if (held.has('admin') && held.has('approver')) {
    throw invalidState(
      'Linked, these accounts would hold both admin and approver, which one person may not. Nothing was changed.',
    );
  }
  const now = clock.now().toISOString();
  for (const principal of new Set([person, joining])) {
    await tx
      .insertInto('person_links')
      .values({ principal, person, linked_by: actor.id, linked_at: now })
      .onConflict((oc) => oc.column('principal').doNothing())
      .execute();
  }
  await appendAudit(tx, clock, {
    actor,
    action: 'person.link',
    entityType: 'principal',
    entityId: person,
    after: { person, principals: await principalsOf(tx, person) },
  });
  return true;
}
