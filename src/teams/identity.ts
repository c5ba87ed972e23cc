import { type ChannelAccount, TeamsInfo, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Actor } from '../core/common/actor.ts';
import type { Clock } from '../core/common/clock.ts';
import { displayName, rememberPerson } from '../core/roles/people.ts';
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

/**
 * People picked in a form arrive as Entra object ids only. Someone the bot has never heard from would
 * otherwise be named by that id on cards and in the audit log, so their printed name is looked up
 * once (the Bot Connector accepts an object id for a member; in a team any member is found, in a 1:1
 * chat only its members, so a miss leaves the person unnamed until they use the bot).
 */
export async function rememberPicked(
  context: TurnContext,
  db: Db,
  clock: Clock,
  log: Logger,
  principals: readonly string[],
): Promise<void> {
  for (const principal of principals) {
    if (!principal.startsWith('teams:') || (await displayName(db, principal)) !== principal) continue;
    try {
      const member = await TeamsInfo.getMember(context, principal.slice('teams:'.length));
      if (member.name?.trim()) await rememberPerson(db, clock, { id: principal, name: member.name.trim() });
    } catch (error) {
      log.warn({ err: error, principal }, 'could not look up the name of a person picked in a form');
    }
  }
}
