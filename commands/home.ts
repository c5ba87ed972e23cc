import type { ChatContext } from '../src/chat/command.ts';
import type { Block } from '../src/chat/reply.ts';
import { myHomeBlocks } from '../src/chat/views/my-work-data.ts';

// The Registry's Home builder: the person's own work queue, read from the store when they open it.
// The relay republishes the same view after changes to it (template `home`, src/chat/notifications).

export async function home(ctx: ChatContext): Promise<Block[]> {
  return myHomeBlocks(ctx.deps, ctx.actor);
}

export default home;
