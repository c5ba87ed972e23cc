import type { ChannelAccount } from 'botbuilder';
import type { Actor } from '../core/actor.ts';
import type { Clock } from '../core/clock.ts';
import { rememberPerson } from '../core/people.ts';
import type { Db } from '../store/database.ts';

// People on Teams are known by their Entra (Azure AD) object id: it is the same in every team, chat
// and tenant app, it is what the people picker returns, and it is what role grants name. The `29:…`
// channel account id is per bot and per tenant, so it is only a fallback for the odd client that
// sends no object id (such a person can read, but holds no granted role).

/** `teams:<aad object id>` for a Teams account. */
export function principalOf(account: Pick<ChannelAccount, 'id' | 'aadObjectId'>): string {
  return `teams:${account.aadObjectId || account.id}`;
}

/** The person acting in this activity, with the name Teams shows for them. */
export function actorOf(activity: { from: ChannelAccount }): Actor {
  const from = activity.from;
  return { id: principalOf(from), name: from.name?.trim() || 'Teams user' };
}

/** Keeps the printed name current for cards, exports and signatures. */
export async function rememberActor(db: Db, clock: Clock, actor: Actor): Promise<void> {
  await rememberPerson(db, clock, actor);
}
