import type { Selectable } from 'kysely';
import { type DbOrTx, inTransaction } from '../../store/database.ts';
import type { SubscriptionTable } from '../../store/tables.ts';
import { appendAudit } from '../audit/log.ts';
import type { Actor } from '../common/actor.ts';
import type { CoreDeps } from '../common/deps.ts';
import { invalidInput } from '../common/errors.ts';
import { requirePermission } from '../roles/permissions.ts';
import { parseChannel, parseTier } from '../vendors/input.ts';

// Channel subscriptions: a channel that receives the findings of vendors at or above a tier (every
// tier when none is given), for vendors without a channel of their own (see finding-routing.ts).
// One row per channel; subscribing again changes its tier. Analysts and admins manage them, audited.

export type SubscriptionRow = Selectable<SubscriptionTable>;
export type SubscribeOutcome = 'created' | 'updated' | 'unchanged';

const view = (row: SubscriptionRow) => ({ channel: row.channel, min_tier: row.min_tier });

function requireChannel(value: string) {
  const channel = parseChannel(value);
  if (!channel) throw invalidInput('Which channel? Name one, like #vendor-risk.');
  return channel;
}

export async function subscribe(
  deps: CoreDeps,
  actor: Actor,
  input: { channel: string; minTier: string | null },
): Promise<{ subscription: SubscriptionRow; outcome: SubscribeOutcome }> {
  const channel = requireChannel(input.channel);
  const minTier = input.minTier === null ? null : parseTier(input.minTier);
  return inTransaction(deps.db, async (tx) => {
    await requirePermission(tx, actor, 'subscriptions.manage');
    const existing = await tx.selectFrom('subscriptions').selectAll().where('channel', '=', channel).executeTakeFirst();
    if (existing && existing.min_tier === minTier) return { subscription: existing, outcome: 'unchanged' as const };
    const subscription = existing
      ? await tx
          .updateTable('subscriptions')
          .set({ min_tier: minTier })
          .where('id', '=', existing.id)
          .returningAll()
          .executeTakeFirstOrThrow()
      : await tx
          .insertInto('subscriptions')
          .values({ channel, min_tier: minTier, created_by: actor.id, created_at: deps.clock.now().toISOString() })
          .returningAll()
          .executeTakeFirstOrThrow();
    await appendAudit(tx, deps.clock, {
      actor,
      action: existing ? 'subscription.update' : 'subscription.create',
      entityType: 'subscription',
      entityId: channel,
      before: existing ? view(existing) : undefined,
      after: view(subscription),
    });
    return { subscription, outcome: existing ? ('updated' as const) : ('created' as const) };
  });
}

/** Removes a channel's subscription; false (and nothing written) when it had none. */
export async function unsubscribe(deps: CoreDeps, actor: Actor, channelInput: string): Promise<boolean> {
  const channel = requireChannel(channelInput);
  return inTransaction(deps.db, async (tx) => {
    await requirePermission(tx, actor, 'subscriptions.manage');
    const existing = await tx.selectFrom('subscriptions').selectAll().where('channel', '=', channel).executeTakeFirst();
    if (!existing) return false;
    await tx.deleteFrom('subscriptions').where('id', '=', existing.id).execute();
    await appendAudit(tx, deps.clock, {
      actor,
      action: 'subscription.delete',
      entityType: 'subscription',
      entityId: channel,
      before: view(existing),
    });
    return true;
  });
}

export function listSubscriptions(db: DbOrTx): Promise<SubscriptionRow[]> {
  return db.selectFrom('subscriptions').selectAll().orderBy('id').execute();
}
