import { inTransaction } from '../../store/database.ts';
import type { Actor } from '../common/actor.ts';
import type { CoreDeps } from '../common/deps.ts';
import { forbidden, invalidState } from '../common/errors.ts';
import type { Role } from '../common/vocabulary.ts';
import { linkPrincipals, samePerson } from './identity.ts';
import { grantRole, requirePermission, revokeRole } from './permissions.ts';

// Granting and revoking roles from chat: admins only, checked in the same transaction as the change.
// grantRole/revokeRole audit; this adds the permission check and keeps at least one admin, so
// nobody can lock the organisation out of managing roles from chat.

export async function changeRole(
  deps: CoreDeps,
  actor: Actor,
  input: { principal: string; role: Role; grant: boolean },
): Promise<boolean> {
  return inTransaction(deps.db, async (tx) => {
    await requirePermission(tx, actor, 'roles.manage');
    // Segregation of duties: an admin cannot make themselves approver, nor quietly shed a role.
    if (await samePerson(tx, actor.id, input.principal)) {
      throw forbidden('Nobody grants or revokes their own roles; ask another admin. Nothing was changed.');
    }
    if (input.grant) return grantRole(tx, deps.clock, actor, input.principal, input.role);
    if (input.role === 'admin') {
      const admins = await tx.selectFrom('role_grants').select('principal').where('role', '=', 'admin').execute();
      if (admins.length === 1 && admins[0]?.principal === input.principal) {
        throw invalidState('That is the last admin; grant admin to someone else first. Nothing was changed.');
      }
    }
    return revokeRole(tx, deps.clock, actor, input.principal, input.role);
  });
}

/** Links two platform accounts as one person: admins only, never their own accounts, audited. */
export async function linkAccounts(deps: CoreDeps, actor: Actor, a: string, b: string): Promise<boolean> {
  return inTransaction(deps.db, async (tx) => {
    await requirePermission(tx, actor, 'roles.manage');
    return linkPrincipals(tx, deps.clock, actor, a, b);
  });
}
