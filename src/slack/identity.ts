import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Actor } from '../core/common/actor.ts';
import type { CoreDeps } from '../core/common/deps.ts';
import { rememberPerson } from '../core/roles/people.ts';
import { describeSlackError } from './slack-errors.ts';

// Who is acting, with the printed name a signature and the audit log show. Names come from
// users.info and are kept in `people`; a known name is reused for a day, so a busy person does not
// cost an API call per click, and a renamed person is picked up by the next day.

export const NAME_REFRESH_MS = 24 * 60 * 60 * 1000;

export async function slackActor(
  deps: CoreDeps,
  client: webApi.WebClient,
  userId: string,
  log: Logger,
): Promise<Actor> {
  const id = `slack:${userId}`;
  const known = await deps.db
    .selectFrom('people')
    .select(['display_name', 'updated_at'])
    .where('principal', '=', id)
    .executeTakeFirst();
  // A stored name that is only the id (someone picked in a form before they ever used the bot) is
  // no name at all: look it up, so a signature never reads "slack:U…".
  const named = known && known.display_name !== id && known.display_name !== userId;
  if (named && deps.clock.now().getTime() - Date.parse(known.updated_at) < NAME_REFRESH_MS) {
    return { id, name: known.display_name };
  }
  try {
    const result = await client.users.info({ user: userId });
    const profile = result.user?.profile;
    const name = profile?.real_name?.trim() || profile?.display_name?.trim() || userId;
    const actor = { id, name };
    await rememberPerson(deps.db, deps.clock, actor);
    return actor;
  } catch (error) {
    // The request still deserves an answer: act under the last known name (or the id) this time.
    log.warn({ err: describeSlackError(error), user: id }, 'users.info failed; using the last known name');
    return { id, name: known?.display_name ?? userId };
  }
}
