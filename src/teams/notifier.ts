import type { ConversationAccount, ConversationReference } from 'botbuilder';
import { type Logger, pino } from 'pino';
import type { TeamsConfig } from '../config.ts';
import { NotInstalledError, PermanentSendError } from '../delivery/errors.ts';
import { createTeamsPacer, type Pacer } from '../delivery/pacing.ts';
import type { PlatformMessage, PostRequest, Sender, UpdateRequest } from '../delivery/sender.ts';
import type { Db } from '../store/database.ts';
import { createAdapter } from './adapter.ts';
import { isLoopbackUrl } from './anonymous-dev.ts';
import { withChannelNames } from './channel-names.ts';
import { createSingleAttemptHttpClient } from './connector-http.ts';
import { baseConversationId, findReference } from './conversation-refs.ts';
import { renderMessage } from './render.ts';
import { classifyTeamsError } from './send-errors.ts';

// The relay's way into Teams: proactive sends over the conversation references captured on install
// and on every message. One attempt per call (the connector's own retries are off, see
// connector-http.ts), paced per conversation before it leaves, errors sorted for the relay.

export interface TeamsNotifierOptions {
  config: TeamsConfig;
  db: Db;
  pacer?: Pacer;
  logger?: Logger;
}

export function createTeamsNotifier(options: TeamsNotifierOptions): Sender {
  const { config, db } = options;
  const log = options.logger ?? pino({ level: 'silent' });
  const adapter = createAdapter(config, createSingleAttemptHttpClient());
  const pacer = options.pacer ?? createTeamsPacer();

  async function reference(target: string) {
    const ref = await findReference(db, target);
    if (!ref?.conversation?.id || !ref.serviceUrl) {
      throw new NotInstalledError(`the bot has not been installed where ${target} points (no conversation reference)`);
    }
    // Anonymous dev mode authenticates nothing, so it sends nothing off this machine, not even over a
    // reference an authenticated deployment stored in the same database.
    if (!config.appId && !isLoopbackUrl(ref.serviceUrl)) {
      throw new PermanentSendError(
        'not_loopback',
        `anonymous dev mode sends only to loopback serviceUrls, not for ${target}`,
      );
    }
    return ref;
  }

  /** Runs `work` in a proactive turn in `conversationId`, paced by its conversation. */
  async function inConversation(
    target: string,
    conversationId: (ref: Partial<ConversationReference>) => string | null,
    editing: boolean,
    work: Parameters<typeof adapter.continueConversationAsync>[2],
  ): Promise<string> {
    const ref = await reference(target);
    const conversation = {
      ...ref.conversation,
      id: conversationId(ref) ?? ref.conversation?.id ?? '',
    } as ConversationAccount;
    const key = baseConversationId(conversation.id);
    try {
      await pacer.schedule(editing ? 'updateActivity' : 'sendToConversation', key, () =>
        adapter.continueConversationAsync(config.appId, { ...ref, conversation }, work),
      );
    } catch (error) {
      const classified = classifyTeamsError(error, editing);
      log.debug({ target, err: error }, `Teams send failed: ${classified.message}`);
      throw classified;
    }
    return key;
  }

  return {
    async post({ target, reply, threadParent }: PostRequest): Promise<PlatformMessage> {
      const shown = await withChannelNames(db, reply);
      let id = '';
      // A reply in a channel thread is a message in the conversation `<channel>;messageid=<root>`;
      // chats have no threads, so there it is simply the next message in the parent's conversation.
      const threadId = (ref: Partial<ConversationReference>): string | null => {
        if (!threadParent) return null;
        const parent = baseConversationId(threadParent.conversation);
        return ref.conversation?.conversationType === 'channel' ? `${parent};messageid=${threadParent.id}` : parent;
      };
      const conversation = await inConversation(target, threadId, false, async (context) => {
        // botbuilder gives the proactive turn a random activity id and would "reply" to it; a new
        // message is a plain send to the conversation.
        context.activity.id = undefined;
        id = (await context.sendActivity(renderMessage(shown)))?.id ?? '';
      });
      if (!id) throw classifyTeamsError(new Error('Teams answered without a message id'));
      return { conversation, id };
    },

    async update({ target, message, reply }: UpdateRequest): Promise<PlatformMessage> {
      const shown = await withChannelNames(db, reply);
      await inConversation(
        target,
        () => message.conversation,
        true,
        async (context) => {
          await context.updateActivity({ ...renderMessage(shown), id: message.id });
        },
      );
      return message;
    },
  };
}
