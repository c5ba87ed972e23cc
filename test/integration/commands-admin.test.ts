import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditTrail } from '../../src/core/audit/log.ts';
import { findingTargets } from '../../src/core/findings/routing.ts';
import { listSubscriptions } from '../../src/core/messaging/subscriptions.ts';
import { rolesOf } from '../../src/core/roles/permissions.ts';
import { commandWorld, ref, shown, type World } from '../support/command-world.ts';
import { ada, dana, olive, vic } from '../support/fixtures.ts';

// Administration from chat: roles (admins only) and channel subscriptions (analysts and admins).

describe('admin subcommands', () => {
  let w: World;
  beforeEach(async () => {
    w = await commandWorld();
  });
  afterEach(() => w.cleanup());

  async function unchanged(actor: typeof ada, text: string): Promise<string> {
    const before = await w.audits();
    const answer = shown(await w.run(actor, text));
    expect(await w.audits()).toBe(before);
    return answer;
  }

  it('role grants and revokes for admins, audited, and shows roles to anyone', async () => {
    expect(shown(await w.run(ada, `role ${ref(olive)} approver`))).toBe('<@slack:UOLIVE|Olive Owner> is now approver.');
    expect(await rolesOf(w.store.db, olive.id)).toContain('approver');
    expect((await auditTrail(w.store.db, 'principal', olive.id)).map((a) => [a.action, a.actor_name])).toEqual([
      ['role.grant', 'Ada Admin'],
    ]);
    expect(await unchanged(ada, `role ${ref(olive)} approver`)).toContain('already approver; nothing changed');
    expect(shown(await w.run(vic, `role ${ref(olive)}`))).toBe('<@slack:UOLIVE|Olive Owner>: approver');
    const all = shown(await w.run(vic, 'role'));
    expect(all).toContain('**admin**: <@slack:UADA|Ada Admin>');
    expect(all).toContain('**approver**: <@slack:UOLIVE|Olive Owner>');
    expect(shown(await w.run(ada, `role ${ref(olive)} -approver`))).toBe(
      '<@slack:UOLIVE|Olive Owner> is no longer approver.',
    );
    expect(await rolesOf(w.store.db, olive.id)).not.toContain('approver');
  });

  it('role refuses non-admins, unknown roles, plain names and removing the last admin, writing nothing', async () => {
    expect(await unchanged(dana, `role ${ref(vic)} admin`)).toBe(
      "You don't have permission to manage roles (admins). Nothing was changed.",
    );
    expect(await unchanged(ada, `role ${ref(vic)} overlord`)).toContain('A role is one of analyst, approver, admin');
    expect(await unchanged(ada, `role ${ref(vic)} owner`)).toContain('Usage: `role [@user [<role>|-<role>]]`');
    expect(await unchanged(ada, 'role vic admin')).toContain('Name the person as @name');
    expect(await unchanged(ada, `role ${ref(ada)} -admin`)).toContain('Nobody grants or revokes their own roles');
    expect(await unchanged(ada, `role ${ref(ada)} approver`)).toContain('Nobody grants or revokes their own roles');
  });

  it('subscribe routes findings of a tier and riskier to a channel; again changes the tier; unsubscribe stops it', async () => {
    const answer = shown(await w.run(dana, 'subscribe <#slack:CSEC|security> tier:high'));
    expect(answer).toContain('<#slack:CSEC|security> will now receive findings of high-tier vendors and riskier.');
    expect(await listSubscriptions(w.store.db)).toMatchObject([{ channel: 'slack:CSEC', min_tier: 'high' }]);
    const routing = w.store.deps.routing;
    expect(await findingTargets(w.store.db, routing, { channel: null, tier: 'critical' })).toEqual(['slack:CSEC']);
    expect(await findingTargets(w.store.db, routing, { channel: null, tier: 'medium' })).toEqual(['slack:CFINDINGS']);
    expect(await unchanged(dana, 'subscribe <#slack:CSEC|security> tier:high')).toContain('nothing changed');
    expect(shown(await w.run(dana, 'subscribe <#slack:CSEC|security>'))).toContain(
      'now receives findings of every tier',
    );
    expect(shown(await w.run(vic, 'subscribe'))).toContain('<#slack:CSEC|slack:CSEC>: findings of every tier');
    const trail = await auditTrail(w.store.db, 'subscription', 'slack:CSEC');
    expect(trail.map((a) => a.action)).toEqual(['subscription.create', 'subscription.update']);
    expect(shown(await w.run(dana, 'unsubscribe <#slack:CSEC|security>'))).toContain('will no longer receive findings');
    expect(await listSubscriptions(w.store.db)).toEqual([]);
    expect(await unchanged(dana, 'unsubscribe <#slack:CSEC|security>')).toContain('had no subscription');
  });

  it('subscribe refuses viewers, plain words and unknown tiers, writing nothing', async () => {
    expect(await unchanged(vic, 'subscribe <#slack:CSEC|security>')).toContain(
      "You don't have permission to route findings to channels",
    );
    expect(await unchanged(dana, 'subscribe security')).toContain('Usage: `subscribe [#channel [tier:<tier>]]`');
    expect(await unchanged(dana, 'subscribe <#slack:CSEC|security> tier:extreme')).toContain('Tier must be one of');
    expect(await unchanged(dana, 'unsubscribe')).toContain('Usage: `unsubscribe #channel`');
  });
});
