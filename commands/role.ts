import { type ChatContext, type CommandModule, reply } from '../src/chat/command.ts';
import { ephemeral, mention } from '../src/chat/reply.ts';
import type { Role } from '../src/core/common/vocabulary.ts';
import { changeRole, linkAccounts } from '../src/core/roles/change-role.ts';
import { listGrants, rolesOf } from '../src/core/roles/permissions.ts';
import { badArguments, joinOptionWords, personToken } from './support/args.ts';
import { namesOf } from './support/people.ts';
import { GRANTABLE_ROLES, roleWord } from './support/vocab.ts';

// `/vendor role @dana approver` grants, `/vendor role @dana -approver` revokes (admins only, checked
// and audited in the core). `/vendor role @dana` shows someone's roles; `/vendor role` lists them all.

type RoleArgs =
  | { kind: 'all' }
  | { kind: 'link'; accounts: [string, string] }
  | { kind: 'show'; person: { id: string; name: string } }
  | { kind: 'change'; person: { id: string; name: string }; role: Role; grant: boolean };

/** `link @dana teams:<aad id>`: a mention or a platform id (the other platform cannot be mentioned). */
function parseLink(words: string[]): [string, string] {
  if (words.length !== 2) throw badArguments('Name two accounts: `role link slack:U123 teams:<aad id>`.');
  const ids = words.map((w) => personToken(w)?.id ?? w) as [string, string];
  return ids;
}

function parseRole(input: string[]): RoleArgs {
  const words = joinOptionWords(input, []);
  if (words.length === 0) return { kind: 'all' };
  if (words[0] === 'link') return { kind: 'link', accounts: parseLink(words.slice(1)) };
  const person = personToken(words[0] ?? '');
  if (!person) throw badArguments(`Name the person as @name, not “${words[0]}”.`);
  if (words.length === 1) return { kind: 'show', person };
  if (words.length > 2) throw badArguments('Give one role at a time.');
  const word = words[1] ?? '';
  const revoke = word.startsWith('-');
  return { kind: 'change', person, role: roleWord(revoke ? word.slice(1) : word), grant: !revoke };
}

async function allGrants(ctx: ChatContext) {
  const grants = await listGrants(ctx.deps.db);
  if (grants.length === 0) return reply(ephemeral('Nobody holds a role yet; everyone can look things up.'));
  const names = await namesOf(
    ctx.deps.db,
    grants.map((g) => g.principal),
  );
  const byRole = GRANTABLE_ROLES.map((role) => {
    const people = grants
      .filter((g) => g.role === role)
      .map((g) => mention(g.principal, names.get(g.principal) ?? g.principal));
    return `**${role}**: ${people.length > 0 ? people.join(', ') : '_nobody_'}`;
  });
  return reply(ephemeral(`Roles\n${byRole.join('\n')}`));
}

export const roleModule: CommandModule = {
  command: {
    name: 'role',
    summary: `Show, grant or revoke roles (${GRANTABLE_ROLES.join(', ')}); changes are for admins`,
    permission: 'roles.manage',
    usage: 'role [@user [<role>|-<role>]]',
    examples: ['role @dana approver', 'role @dana -approver', 'role @dana', 'role', 'role link @dana teams:<aad id>'],
    parse: parseRole,
    run: async (ctx, args: RoleArgs) => {
      if (args.kind === 'all') return allGrants(ctx);
      if (args.kind === 'link') {
        const [a, b] = args.accounts;
        const linked = await linkAccounts(ctx.deps, ctx.actor, a, b);
        return reply(
          ephemeral(
            linked
              ? `Linked \`${a}\` and \`${b}\`: one person, one set of roles, and never their own approver.`
              : `\`${a}\` and \`${b}\` were already one person; nothing changed.`,
          ),
        );
      }
      const known = (await namesOf(ctx.deps.db, [args.person.id])).get(args.person.id);
      const who = mention(args.person.id, known && known !== args.person.id ? known : args.person.name);
      if (args.kind === 'show') {
        const roles = [...(await rolesOf(ctx.deps.db, args.person.id))].filter((r) => r !== 'viewer');
        return reply(ephemeral(roles.length > 0 ? `${who}: ${roles.join(', ')}` : `${who} holds no role (viewer).`));
      }
      const changed = await changeRole(ctx.deps, ctx.actor, {
        principal: args.person.id,
        role: args.role,
        grant: args.grant,
      });
      if (args.grant) {
        return reply(
          ephemeral(changed ? `${who} is now ${args.role}.` : `${who} was already ${args.role}; nothing changed.`),
        );
      }
      return reply(
        ephemeral(changed ? `${who} is no longer ${args.role}.` : `${who} was not ${args.role}; nothing changed.`),
      );
    },
  },
};
