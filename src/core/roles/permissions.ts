import type { DbOrTx, Tx } from '../../store/database.ts';
import { appendAudit } from '../audit/log.ts';
import type { Actor } from '../common/actor.ts';
import type { Clock } from '../common/clock.ts';
import { forbidden, invalidState } from '../common/errors.ts';
import type { Role } from '../common/vocabulary.ts';
import { principalsOf, samePerson } from './identity.ts';

// Roles are checked at the moment of every action, against the store, never by who saw a button.
// viewer: everyone. owner: per vendor (vendors.owner_id). analyst, approver, admin: granted rows.
// admin manages roles and holds the analyst's powers, but never the approver's: approving stays a
// separate, granted duty (segregation of duties).

export type Permission =
  | 'read'
  | 'vendor.write'
  | 'evidence.write'
  | 'signal.write'
  | 'finding.triage'
  | 'finding.resolve'
  | 'assessment.request'
  | 'assessment.answer'
  | 'approval.decide'
  | 'roles.manage'
  | 'subscriptions.manage'
  | 'incident.work';

const GRANTS: Record<Permission, { roles: Role[]; owner: boolean }> = {
  read: { roles: ['viewer'], owner: true },
  'vendor.write': { roles: ['analyst', 'admin'], owner: false },
  'evidence.write': { roles: ['analyst', 'admin'], owner: true },
  'signal.write': { roles: ['analyst', 'admin'], owner: false },
  'finding.triage': { roles: ['analyst', 'admin'], owner: true },
  'finding.resolve': { roles: ['analyst', 'admin'], owner: false },
  'assessment.request': { roles: ['analyst', 'admin'], owner: true },
  'assessment.answer': { roles: ['analyst', 'admin'], owner: true },
  'approval.decide': { roles: ['approver'], owner: false },
  'roles.manage': { roles: ['admin'], owner: false },
  'subscriptions.manage': { roles: ['analyst', 'admin'], owner: false },
  'incident.work': { roles: ['analyst', 'admin', 'approver'], owner: true },
};

const DESCRIPTIONS: Record<Permission, string> = {
  read: 'look this up',
  'vendor.write': 'change the vendor inventory (analysts and admins)',
  'evidence.write': 'record evidence (the vendor owner, analysts and admins)',
  'signal.write': 'record monitoring signals (analysts and admins)',
  'finding.triage': 'act on this finding (the vendor owner, analysts and admins)',
  'finding.resolve': 'resolve or verify findings (analysts and admins; owners mark them fixed)',
  'assessment.request': 'request a reassessment (the vendor owner, analysts and admins)',
  'assessment.answer': 'answer this reassessment (the vendor owner, analysts and admins)',
  'approval.decide': 'approve or reject requests (approvers)',
  'roles.manage': 'manage roles (admins)',
  'subscriptions.manage': 'route findings to channels (analysts and admins)',
  'incident.work': 'work on this incident (its lead, the vendor owner, analysts, approvers and admins)',
};

/** Pure: may someone with these roles (and this ownership) do this? */
export function can(roles: ReadonlySet<Role>, permission: Permission, isOwner = false): boolean {
  const grant = GRANTS[permission];
  return grant.roles.some((r) => roles.has(r)) || (grant.owner && isOwner);
}

/** The roles of the person behind `principal`: grants to any of their linked accounts count. */
export async function rolesOf(db: DbOrTx, principal: string): Promise<Set<Role>> {
  const principals = await principalsOf(db, principal);
  const rows = await db.selectFrom('role_grants').select('role').where('principal', 'in', principals).execute();
  return new Set<Role>(['viewer', ...rows.map((r) => r.role)]);
}

/** Throws a friendly `forbidden` error naming who may do it. Pass the vendor's owner when ownership counts. */
export async function requirePermission(
  db: DbOrTx,
  actor: Actor,
  permission: Permission,
  vendorOwnerId?: string | null,
): Promise<void> {
  const roles = await rolesOf(db, actor.id);
  if (!can(roles, permission, await samePerson(db, vendorOwnerId ?? null, actor.id))) {
    throw forbidden(`You don't have permission to ${DESCRIPTIONS[permission]}. Nothing was changed.`);
  }
}

/** Admin manages roles and approver signs decisions: one person may not hold both (segregation of duties). */
const EXCLUSIVE: Partial<Record<Role, Role>> = { admin: 'approver', approver: 'admin' };

export async function grantRole(tx: Tx, clock: Clock, actor: Actor, principal: string, role: Role): Promise<boolean> {
  const excluded = EXCLUSIVE[role];
  if (excluded && (await rolesOf(tx, principal)).has(excluded)) {
    throw invalidState(
      `${principal} is ${excluded}; one person may not be both admin and approver. Revoke ${excluded} first. Nothing was changed.`,
    );
  }
  const result = await tx
    .insertInto('role_grants')
    .values({ principal, role, granted_by: actor.id, granted_at: clock.now().toISOString() })
    .onConflict((oc) => oc.columns(['principal', 'role']).doNothing())
    .executeTakeFirst();
  const added = Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  if (added) {
    await appendAudit(tx, clock, {
      actor,
      action: 'role.grant',
      entityType: 'principal',
      entityId: principal,
      after: { role },
    });
  }
  return added;
}

export async function revokeRole(tx: Tx, clock: Clock, actor: Actor, principal: string, role: Role): Promise<boolean> {
  const result = await tx
    .deleteFrom('role_grants')
    .where('principal', '=', principal)
    .where('role', '=', role)
    .executeTakeFirst();
  const removed = Number(result.numDeletedRows) > 0;
  if (removed) {
    await appendAudit(tx, clock, {
      actor,
      action: 'role.revoke',
      entityType: 'principal',
      entityId: principal,
      before: { role },
    });
  }
  return removed;
}

export async function listGrants(db: DbOrTx) {
  return db.selectFrom('role_grants').selectAll().orderBy('principal').orderBy('role').execute();
}
