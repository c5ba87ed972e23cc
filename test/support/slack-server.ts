import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Logger } from 'pino';
import type { Registry } from '../../src/chat/command.ts';
import type { CoreDeps } from '../../src/core/common/deps.ts';
import { createLogger } from '../../src/log.ts';
import type { SlackWebApi } from '../../src/playground/slack-web-api.ts';
import { createSlackApp, SLACK_EVENTS_PATH, type SlackApp } from '../../src/slack/app.ts';

// The real Bolt app in HTTP mode (its ExpressReceiver on an express app) listening on loopback, its
// WebClient pointed at a Web API stand-in. Requests signed with `secret` reach the registry's handlers.
// With `appToken` it runs in Socket Mode instead: it connects out, and serves no HTTP.

export interface SlackServerOptions {
  api: SlackWebApi;
  registry: Registry;
  deps: CoreDeps;
  secret: string;
  /** The channels configured for finding cards and approval requests; none by default. */
  findingsChannel?: string | undefined;
  approvalsChannel?: string | undefined;
  /** Socket Mode instead of HTTP: the app-level token the Web API stand-in accepts. */
  appToken?: string;
  /** Where the app logs; silent by default. */
  log?: Logger;
}

export interface SlackServer {
  app: SlackApp;
  /** Where Slack would send commands, interactions and events. */
  endpoint: string;
  close(): Promise<void>;
}

export async function serveSlackApp(options: SlackServerOptions): Promise<SlackServer> {
  const { api } = options;
  const http = express();
  const app = createSlackApp({
    config: {
      botToken: api.token,
      signingSecret: options.secret,
      appToken: options.appToken,
      apiUrl: api.url,
      findingsChannel: options.findingsChannel,
      approvalsChannel: options.approvalsChannel,
    },
    registry: options.registry,
    deps: options.deps,
    log: options.log ?? createLogger('silent'),
    ...(options.appToken ? {} : { expressApp: http }),
  });
  await app.start();
  if (options.appToken) return { app, endpoint: '', close: () => app.stop() };
  const server: Server = http.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    app,
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}${SLACK_EVENTS_PATH}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await app.stop();
    },
  };
}
