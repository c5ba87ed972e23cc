import { Application, type TeamsAdapter } from '@microsoft/teams-ai';
import express, { type IRouter, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Registry } from '../chat/command.ts';
import type { TeamsConfig } from '../config.ts';
import type { CoreDeps } from '../core/common/deps.ts';
import { BODY_LIMITS } from '../http/body-limits.ts';
import { createAdapter } from './adapter.ts';
import { createEndpoint, isAnonymousDev } from './endpoint.ts';
import { beforeTurn, onAction, onMessage, onOtherInvoke, onTurnError, type TurnDeps } from './turns.ts';

// The Teams side of the bot: a teams-ai Application on botbuilder's CloudAdapter, served at
// POST /api/messages on the composition root's express app.

export const TEAMS_PATH = '/api/messages';

export interface TeamsAppOptions {
  config: TeamsConfig;
  deps: CoreDeps;
  log: Logger;
  registry: Registry;
  /** When given, POST /api/messages is mounted on it (as `mount` does). */
  expressApp?: IRouter;
}

export interface TeamsApp {
  application: Application;
  adapter: TeamsAdapter;
  /** The request handler for POST /api/messages (expects a JSON body, as `mount` arranges). */
  handle(req: Request, res: Response): Promise<void>;
  /** Adds POST /api/messages to an express app or router. */
  mount(router: IRouter): void;
}

export function createTeamsApp(options: TeamsAppOptions): TeamsApp {
  const { config, deps, registry } = options;
  const log = options.log.child({ platform: 'teams' });
  checkConfig(config, log);
  const adapter = createAdapter(config);
  const application = new Application({
    adapter,
    ...(config.appId ? { botAppId: config.appId } : {}),
    // Our replies are quick; "typing" activities would count against Teams' per-conversation limits.
    startTypingTimer: false,
    removeRecipientMention: true,
    longRunningMessages: false,
  });
  const turn: TurnDeps = { deps, log, registry };
  application.turn('beforeTurn', (context) => beforeTurn(turn, context));
  application.message(/[\s\S]*/, (context) => onMessage(turn, context));
  application.adaptiveCards.actionExecute(/[\s\S]*/, (context, _state, data) => onAction(turn, context, data));
  // Any other invoke (a task module, a message extension): answered with a refusal, not botbuilder's 501.
  application.addRoute(
    async (context) => context.activity.type === 'invoke',
    (context) => onOtherInvoke(turn, context),
    true,
  );
  // Installs and membership changes need no answer: beforeTurn has already stored the reference.
  application.conversationUpdate('membersAdded', async () => {});
  application.error((context, error) => onTurnError(turn, context, error));
  const handle = createEndpoint({ config, adapter, application, log });
  const mount = (router: IRouter) => {
    router.post(TEAMS_PATH, express.json({ limit: BODY_LIMITS.teams }), handle);
  };
  if (options.expressApp) mount(options.expressApp);
  return { application, adapter, handle, mount };
}

function checkConfig(config: TeamsConfig, log: Logger): void {
  if (!config.appId && !config.allowAnonymousDev) {
    throw new Error('MICROSOFT_APP_ID is empty; set TEAMS_ALLOW_ANONYMOUS_DEV=true only for local development');
  }
  if (isAnonymousDev(config)) {
    log.warn(
      '!!! TEAMS ANONYMOUS DEV MODE: MICROSOFT_APP_ID is empty, so requests to /api/messages are NOT authenticated ' +
        'and replies go to whatever serviceUrl a request names. Use this only on a developer machine. !!!',
    );
  } else if (config.allowedTenants.length === 0) {
    log.error(
      'TEAMS_ALLOWED_TENANTS is empty: every Teams request will be refused with 403. ' +
        `Set it to the tenant ids to serve${config.tenantId ? ` (your bot's tenant is ${config.tenantId})` : ''}.`,
    );
  }
}
