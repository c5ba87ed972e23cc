import type { Clock } from '../core/common/clock.ts';
import { type Db, inTransaction } from '../store/database.ts';

// Replicas on one store sweep under a lease, so one of them does the cluster's scheduled work and the
// others stand by. Correctness never rests on it: a slot fires once because firing is recorded in the
// sweep's own transaction. The lease only spares N−1 replicas a sweep that would find nothing to do,
// and lets a replica notice that it is not alone.

export interface LeaseOutcome {
  /** This process holds the lease now. */
  held: boolean;
  /** Who holds it when this process does not. */
  holder: string;
}

export interface LeaderLease {
  /** Takes or renews the lease if it is free, expired or already ours. */
  acquire(): Promise<LeaseOutcome>;
  /** Gives the lease up, so a standby takes over at its next tick rather than after the lease runs out. */
  release(): Promise<void>;
}

export function createLeaderLease(
  db: Db,
  clock: Clock,
  options: { name: string; holder: string; ttlMs: number },
): LeaderLease {
  const { name, holder, ttlMs } = options;
  return {
    acquire: () =>
      inTransaction(db, async (tx) => {
        const now = clock.now();
        const until = new Date(now.getTime() + ttlMs).toISOString();
        const current = await tx.selectFrom('leases').selectAll().where('name', '=', name).executeTakeFirst();
        if (!current) {
          await tx.insertInto('leases').values({ name, holder, until }).execute();
          return { held: true, holder };
        }
        if (current.holder !== holder && current.until > now.toISOString())
          return { held: false, holder: current.holder };
        await tx.updateTable('leases').set({ holder, until }).where('name', '=', name).execute();
        return { held: true, holder };
      }),
    release: async () => {
      await inTransaction(db, (tx) =>
        tx.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute(),
      );
    },
  };
}
