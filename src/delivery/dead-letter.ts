import { appendAudit } from '../core/audit/log.ts';
import { SYSTEM_ACTOR } from '../core/common/actor.ts';
import type { Clock } from '../core/common/clock.ts';
import { enqueue, platformOf } from '../core/messaging/outbox.ts';
import type { Tx } from '../store/database.ts';
import type { OutboxRow } from '../store/tables.ts';

/**
 * A message we gave up on is a fact an auditor may ask about, and a person must hear of it: record it in
 * the audit log and tell every admin we can reach, in the same transaction that marks the row dead.
 * A dead-letter notice that itself dies is recorded but not reported again, so failures cannot loop.
 */
export async function reportDeadLetter(
  tx: Tx,
  clock: Clock,
  row: OutboxRow,
  error: string,
  reachablePlatforms: string[],
): Promise<number> {
  await appendAudit(tx, clock, {
    actor: SYSTEM_ACTOR,
    action: 'outbox.dead',
    entityType: 'outbox',
    entityId: row.id,
    after: { target: row.target, template: row.template, subject: row.subject, attempts: row.attempts + 1 },
    reason: error,
  });
  if (row.template === 'dead-letter') return 0;
  const admins = await tx
    .selectFrom('role_grants')
    .select('principal')
    .where('role', '=', 'admin')
    .orderBy('principal')
    .execute();
  let notified = 0;
  for (const { principal } of admins) {
    if (!reachablePlatforms.includes(platformOf(principal))) continue;
    const added = await enqueue(tx, clock, {
      key: `dead-letter:${row.id}:${principal}`,
      target: principal,
      template: 'dead-letter',
      data: { outboxId: row.id, target: row.target, error },
    });
    if (added) notified += 1;
  }
  return notified;
}
