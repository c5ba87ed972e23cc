import type { DbOrTx, Tx } from '../../store/database.ts';
import type { Actor } from '../common/actor.ts';
import type { Clock } from '../common/clock.ts';

/** Remembers the printed name a platform gave us for a person, for cards, exports and signatures. */
export async function rememberPerson(tx: Tx | DbOrTx, clock: Clock, actor: Actor): Promise<void> {
  // Someone known only by id (picked in a form) has no printed name yet; never store the id as one.
  if (!actor.name.trim() || actor.name === actor.id || actor.id.endsWith(`:${actor.name}`)) return;
  await tx
    .insertInto('people')
    .values({ principal: actor.id, display_name: actor.name, updated_at: clock.now().toISOString() })
    .onConflict((oc) =>
      oc.column('principal').doUpdateSet({ display_name: actor.name, updated_at: clock.now().toISOString() }),
    )
    .execute();
}

export async function displayName(db: DbOrTx, principal: string | null): Promise<string | null> {
  if (!principal) return null;
  const row = await db
    .selectFrom('people')
    .select('display_name')
    .where('principal', '=', principal)
    .executeTakeFirst();
  return row?.display_name ?? principal;
}
