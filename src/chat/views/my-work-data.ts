import { pendingApprovalsFor } from '../../core/approvals/queries.ts';
import { reviewsDueFor } from '../../core/assessments/queries.ts';
import { questionnaireOf } from '../../core/assessments/questionnaire.ts';
import { addDaysIso, todayOf } from '../../core/common/dates.ts';
import type { CoreDeps } from '../../core/common/deps.ts';
import { evidenceToRenewFor } from '../../core/evidence/queries.ts';
import { findingsToFixFor, triageQueue } from '../../core/findings/queries.ts';
import { IN_CADENCE } from '../../core/lifecycle/states.ts';
import { principalsOf } from '../../core/roles/identity.ts';
import { rolesOf } from '../../core/roles/permissions.ts';
import type { Block, Reply } from '../reply.ts';
import { incidentHomeBlocks } from './incident-home.ts';
import { pendingActivations } from './lifecycle-cards.ts';
import { type MyWork, myWorkBlocks, myWorkReply } from './my-work.ts';

// Reads one person's queue from the store for the "My work" view: what their roles and the vendors
// they own put in front of them today. Used by the Home tab (opened, or republished after a change)
// and by the `my work` command.

export interface Person {
  id: string;
  name: string;
}

export async function myWorkOf(deps: CoreDeps, who: Person): Promise<MyWork> {
  const { db } = deps;
  const today = todayOf(deps);
  const roles = await rolesOf(db, who.id);
  const analyst = roles.has('analyst') || roles.has('admin');
  const approver = roles.has('approver');
  const owned = await db
    .selectFrom('vendors')
    .select('id')
    .where('owner_id', 'in', await principalsOf(db, who.id))
    .where('status', 'in', IN_CADENCE)
    .limit(1)
    .executeTakeFirst();
  const soonDays = Math.max(0, ...deps.policy.reminderOffsetsDays);
  const [reviews, evidence, fixes] = await Promise.all([
    reviewsDueFor(db, who.id, addDaysIso(today, soonDays)),
    evidenceToRenewFor(db, who.id, addDaysIso(today, deps.policy.evidenceExpiringDays)),
    findingsToFixFor(db, who.id),
  ]);
  return {
    name: who.name,
    today,
    soonDays,
    roles: { analyst: roles.has('analyst'), admin: roles.has('admin'), approver, owner: owned !== undefined },
    controls: questionnaireOf(deps).controls.length,
    approvals: approver ? await pendingApprovalsFor(db, who.id) : null,
    activations: approver ? await pendingActivations(db, who.id) : null,
    triage: analyst ? await triageQueue(db, who.id, today) : null,
    reviews,
    fixes,
    evidence,
  };
}

/** The Home tab: the person's incidents first (when they have any), then their queue. */
export async function myHomeBlocks(deps: CoreDeps, who: Person): Promise<Block[]> {
  const incidents = await incidentHomeBlocks(deps.db, who.id, deps.clock.now());
  return [...incidents, ...myWorkBlocks(await myWorkOf(deps, who))];
}

/** The `my work` answer: the same queue as a message. */
export async function myWorkMessage(deps: CoreDeps, who: Person): Promise<Reply> {
  const incidents = await incidentHomeBlocks(deps.db, who.id, deps.clock.now());
  return myWorkReply(await myWorkOf(deps, who), incidents);
}
