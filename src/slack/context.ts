import type { RespondFn, webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { ChatContext, Registry } from '../chat/command.ts';
import type { Actor } from '../core/common/actor.ts';
import type { CoreDeps } from '../core/common/deps.ts';
import { claimReceipt } from '../core/messaging/inbound-receipts.ts';
import type { PendingForms } from './form-pages.ts';
import { NAME_REFRESH_MS, slackActor } from './identity.ts';
import type { RecentKeys } from './receipts.ts';

/** What every Slack listener shares. */
export interface SlackEnv {
  registry: Registry;
  deps: CoreDeps;
  log: Logger;
  forms: PendingForms;
  /** Slash command trigger ids seen lately (see RecentKeys for why these are not durable). */
  commands: RecentKeys;
  /** Printed names of people seen lately, by Slack user id. */
  names: Map<string, { actor: Actor; at: number }>;
  /** How long a process holds a click it is running before another may re-run it (inbox.ts). */
  inboxLeaseMs: number;
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
  const actor = await knownActor(env, origin);
  return {
    deps: env.deps,
    // The one catch logs the actor with every error, so no per-request child logger is needed.
    log: env.log,
    actor,
    platform: 'slack',
    channel: origin.channelId ? `slack:${origin.channelId}` : null,
  };
}

/**
 * Printed names kept in memory for as long as the store's copy is trusted (a day), so a lookup costs
 * no database read; a miss goes through slackActor, which refreshes the store from users.info.
 */
async function knownActor(env: SlackEnv, origin: Origin): Promise<Actor> {
  const now = env.deps.clock.now().getTime();
  const cached = env.names.get(origin.userId);
  if (cached && now - cached.at < NAME_REFRESH_MS) return cached.actor;
  const actor = await slackActor(env.deps, origin.client, origin.userId, env.log);
  if (env.names.size >= 10_000) env.names.clear();
  env.names.set(origin.userId, { actor, at: now });
  return actor;
}

/** True the first time Slack delivers this item; a retry or duplicate is acknowledged and ignored. */
export function firstDelivery(env: SlackEnv, key: string): Promise<boolean> {
  return claimReceipt(env.deps.db, env.deps.clock, key);
}

/** `slack:C123` -> `C123`; a target of another platform, or none -> null. */
export function slackChannelId(target: string | null): string | null {
  return target?.startsWith('slack:') ? target.slice('slack:'.length) : null;
}
