import { type Actor, SYSTEM_ACTOR } from '../../src/core/common/actor.ts';
import type { CoreDeps } from '../../src/core/common/deps.ts';
import type { Severity } from '../../src/core/common/vocabulary.ts';
import { recordEvidence } from '../../src/core/evidence/record.ts';
import { openFinding } from '../../src/core/findings/actions.ts';
import { rememberPerson } from '../../src/core/roles/people.ts';
import { grantRole } from '../../src/core/roles/permissions.ts';
import { createVendor } from '../../src/core/vendors/create-update.ts';
import { inTransaction } from '../../src/store/database.ts';
import { type ChatDriver, PERSONAS, type Persona } from './driver.ts';
import { PEOPLE } from './personas.ts';

// A small portfolio seeded through the core (never straight into tables), under each platform's
// principals, so scenarios start from the same facts on Slack and Teams. "Today" is 2026-06-01.

export interface World {
  driver: ChatDriver;
  deps: CoreDeps;
  /** The persona as an actor of this platform. */
  actor(persona: Persona): Actor;
}

export function worldOf(driver: ChatDriver, deps: CoreDeps): World {
  return { driver, deps, actor: (p) => ({ id: driver.principal(p), name: PEOPLE[p].name }) };
}

/** Roles for everyone, and names for everyone but Sam (a person the bot has never heard from). */
export async function grantPersonaRoles(world: World): Promise<void> {
  await inTransaction(world.deps.db, async (tx) => {
    for (const persona of PERSONAS) {
      const actor = world.actor(persona);
      for (const role of PEOPLE[persona].roles) await grantRole(tx, world.deps.clock, SYSTEM_ACTOR, actor.id, role);
      if (persona !== 'sam') await rememberPerson(tx, world.deps.clock, actor);
    }
  });
}

export interface Portfolio {
  acme: number;
  globex: number;
  initech: number;
}

/**
 * Acme Health Cloud: PHI, critical tier, owned by Olive, review due 2026-06-20, SOC 2 lapsing 2026-06-15.
 * Globex Payroll: PII, high tier, owned by Dana. Initech Analytics: no sensitive data, low tier, no owner.
 */
export async function seedPortfolio(world: World): Promise<Portfolio> {
  const dana = world.actor('dana');
  const acme = await inTransaction(world.deps.db, (tx) =>
    createVendor(tx, world.deps, dana, {
      name: 'Acme Health Cloud',
      services: 'EHR hosting',
      dataTypes: ['PHI'],
      criticality: 'high',
      regulatoryScope: ['HIPAA'],
      ownerId: world.driver.principal('olive'),
      lastReviewOn: '2025-12-20',
    }),
  );
  const globex = await inTransaction(world.deps.db, (tx) =>
    createVendor(tx, world.deps, dana, {
      name: 'Globex Payroll',
      services: 'Payroll',
      dataTypes: ['PII'],
      criticality: 'medium',
      regulatoryScope: ['GDPR'],
      ownerId: world.driver.principal('dana'),
      lastReviewOn: '2026-01-10',
    }),
  );
  const initech = await inTransaction(world.deps.db, (tx) =>
    createVendor(tx, world.deps, dana, {
      name: 'Initech Analytics',
      services: 'Dashboards',
      dataTypes: ['none'],
      criticality: 'low',
    }),
  );
  await inTransaction(world.deps.db, (tx) =>
    recordEvidence(tx, world.deps, dana, { vendorId: acme.id, type: 'soc2_type2', expiresOn: '2026-06-15' }),
  );
  return { acme: acme.id, globex: globex.id, initech: initech.id };
}

/** A finding opened by a monitoring signal; its card goes to the findings channel through the outbox. */
export async function openSignalFinding(
  world: World,
  vendorId: number,
  options: { key?: string; severity?: Severity; title?: string } = {},
): Promise<number> {
  const { finding } = await inTransaction(world.deps.db, (tx) =>
    openFinding(tx, world.deps, world.actor('dana'), {
      vendorId,
      dedupeKey: options.key ?? 'signal:scanner:1',
      source: 'signal',
      title: options.title ?? 'Publicly reachable Elasticsearch without authentication',
      detail: 'es.acme.example:9200 answers unauthenticated queries.',
      severity: options.severity ?? 'high',
    }),
  );
  return finding.id;
}

/** Roles granted, portfolio seeded: where most scenarios start. */
export async function standardWorld(driver: ChatDriver): Promise<{ world: World; portfolio: Portfolio }> {
  const world = worldOf(driver, await driver.reset());
  await grantPersonaRoles(world);
  return { world, portfolio: await seedPortfolio(world) };
}
