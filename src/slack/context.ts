import type { RespondFn, webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { ChatContext, Registry } from '../chat/command.ts';
import type { CoreDeps } from '../core/deps.ts';
import { claimReceipt } from '../core/inbound-receipts.ts';
import type { PendingForms } from './form-pages.ts';
import { slackActor } from './identity.ts';
import type { RecentKeys } from './receipts.ts';

/** What every Slack listener shares. */
export interface SlackEnv {
  registry: Registry;
  deps: CoreDeps;
  log: Logger;
  forms: PendingForms;
  /** Slash command trigger ids seen lately (see RecentKeys for why these are not durable). */
  commands: RecentKeys;
}

/** Where one request came from, and the ways back to the person who made it. */
export interface Origin {
  client: webApi.WebClient;
  userId: string;
  /** The Slack conversation id (`C123`, `D123`), when there is one. */
  channelId: string | null;
  /** Present when Slack gave a response_url (commands, message buttons). */
  respond?: RespondFn;
  /** Present for commands and button clicks: opens a modal within 3 seconds. */
  triggerId?: string;
  /** The click came from inside a modal: a new form is pushed on top instead of opened. */
  inModal?: boolean;
}

export async function chatContext(env: SlackEnv, origin: Origin): Promise<ChatContext> {
  const actor = await slackActor(env.deps, origin.client, origin.userId, env.log);
  return {
    deps: env.deps,
    log: env.log.child({ actor: actor.id }),
    actor,
    platform: 'slack',
    channel: origin.channelId ? `slack:${origin.channelId}` : null,
  };
}

/** True the first time Slack delivers this item; a retry or duplicate is acknowledged and ignored. */
export function firstDelivery(env: SlackEnv, key: string): Promise<boolean> {
  return claimReceipt(env.deps.db, env.deps.clock, key);
}

/** `slack:C123` -> `C123`; a target of another platform, or none -> null. */
export function slackChannelId(target: string | null): string | null {
  return target?.startsWith('slack:') ? target.slice('slack:'.length) : null;
}
