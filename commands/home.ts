import type { ChatContext } from '../src/chat/command.ts';
import type { Block } from '../src/chat/reply.ts';
import { incidentHomeBlocks } from '../src/chat/views/incident-home.ts';
import { myWorkBlocks } from '../src/chat/views/my-work.ts';
import { assessmentsOwedBy } from '../src/core/assessments/queries.ts';
import { questionnaireOf } from '../src/core/assessments/questionnaire.ts';
import { todayOf } from '../src/core/common/dates.ts';
import { findingsAssignedTo, pendingApprovalsFor } from '../src/core/findings/queries.ts';
import { rolesOf } from '../src/core/roles/permissions.ts';
import { listVendors } from '../src/core/vendors/lookup.ts';

// The Registry's Home builder: the person's own work, read from the store when they open it.

export async function home(ctx: ChatContext): Promise<Block[]> {
  const { db } = ctx.deps;
  const me = ctx.actor.id;
  const isApprover = (await rolesOf(db, me)).has('approver');
  const owed = await assessmentsOwedBy(db, me);
  const total = questionnaireOf(ctx.deps).controls.length;
  const open = new Set(owed.map((a) => a.vendor_id));
  const { rows } = await listVendors(db, { ownerId: me, limit: 500 });
  const incidents = await incidentHomeBlocks(db, me, ctx.deps.clock.now());
  const work = myWorkBlocks({
    name: ctx.actor.name,
    today: todayOf(ctx.deps),
    findings: await findingsAssignedTo(db, me),
    approvals: isApprover ? await pendingApprovalsFor(db, me) : null,
    assessments: owed.map((a) => ({ ...a, total })),
    vendors: rows
      .filter((v) => v.status !== 'offboarded')
      .map((v) => ({
        id: v.id,
        name: v.name,
        tier: v.tier,
        next_review_on: v.next_review_on,
        reviewOpen: open.has(v.id),
      })),
  });
  return [...incidents, ...work];
}

export default home;
