import type { Command } from 'commander';
import { isOneOf, ROLES, type Role } from '../../core/common/vocabulary.ts';
import { grantRole, listGrants, revokeRole } from '../../core/roles/permissions.ts';
import { inTransaction } from '../../store/database.ts';
import { withStore } from '../context.ts';
import { type CliIO, UsageError } from '../io.ts';

const GRANTABLE = ROLES.filter((r) => r !== 'viewer' && r !== 'owner');

function parse(principal: string, role: string): { principal: string; role: Role } {
  if (!/^(slack|teams):[^\s:][^\s]*$/.test(principal)) {
    throw new UsageError(`"${principal}" is not a PLATFORM:USER such as slack:U012ABCDEF or teams:<aad object id>`);
  }
  const r = role.toLowerCase();
  if (!isOneOf(GRANTABLE, r)) {
    throw new UsageError(`"${role}" is not a role that can be granted; use one of ${GRANTABLE.join(', ')}`);
  }
  return { principal, role: r };
}

export function registerRoles(program: Command, io: CliIO): void {
  const roles = program.command('roles').description('who may act as analyst, approver or admin');
  roles
    .command('grant')
    .argument('<principal>', 'PLATFORM:USER, e.g. slack:U012ABCDEF')
    .argument('<role>', GRANTABLE.join(' | '))
    .description('grant a role (audited)')
    .action((principal: string, role: string) => {
      const grant = parse(principal, role);
      return withStore(io, async ({ deps, actor }) => {
        const added = await inTransaction(deps.db, (tx) =>
          grantRole(tx, deps.clock, actor, grant.principal, grant.role),
        );
        io.out(added ? `granted ${grant.role} to ${grant.principal}` : `${grant.principal} already has ${grant.role}`);
      });
    });
  roles
    .command('revoke')
    .argument('<principal>', 'PLATFORM:USER')
    .argument('<role>', GRANTABLE.join(' | '))
    .description('revoke a role (audited)')
    .action((principal: string, role: string) => {
      const grant = parse(principal, role);
      return withStore(io, async ({ deps, actor }) => {
        const removed = await inTransaction(deps.db, (tx) =>
          revokeRole(tx, deps.clock, actor, grant.principal, grant.role),
        );
        io.out(
          removed ? `revoked ${grant.role} from ${grant.principal}` : `${grant.principal} did not have ${grant.role}`,
        );
      });
    });
  roles
    .command('list')
    .description('list every granted role')
    .action(() =>
      withStore(io, async ({ store }) => {
        const grants = await listGrants(store.db);
        if (grants.length === 0) io.out('no roles granted (BOT_ADMINS are granted admin when the bot starts)');
        for (const g of grants) io.out(`${g.principal}\t${g.role}\tgranted by ${g.granted_by} at ${g.granted_at}`);
      }),
    );
}
