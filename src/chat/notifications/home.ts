import { displayName } from '../../core/roles/people.ts';
import type { Reply } from '../reply.ts';
import { myHomeBlocks } from '../views/my-work-data.ts';
import type { RenderInput } from './types.ts';

// A Home tab republished after a change to the person's queue (src/core/messaging/home-refresh.ts).
// It is read from the store now, so it shows every change committed so far; when a later refresh for
// the same person is already queued, this one has nothing to add and is skipped.

export async function renderHomeRefresh({ deps, row }: RenderInput<'home'>): Promise<Reply | null> {
  const newer = await deps.db
    .selectFrom('outbox')
    .select('id')
    .where('target', '=', row.target)
    .where('template', '=', row.template)
    .where('status', '=', 'pending')
    .where('id', '>', row.id)
    .limit(1)
    .executeTakeFirst();
  if (newer) return null;
  const name = (await displayName(deps.db, row.target)) ?? row.target;
  const blocks = await myHomeBlocks(deps, { id: row.target, name });
  return { visibility: 'ephemeral', text: 'My work', blocks };
}
