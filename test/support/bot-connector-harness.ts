import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pino } from 'pino';
import type { Registry } from '../../src/chat/command.ts';
import type { TeamsConfig } from '../../src/config.ts';
import { createTeamsApp, type TeamsApp } from '../../src/teams/app.ts';
import { type BotConnector, startBotConnector } from './bot-connector.ts';
import { createTestStore, type TestStore } from './store.ts';
import { TENANT, type Where } from './teams-requests.ts';

// One running bot for a Teams integration test: a real SQLite store, the teams-ai app mounted on an
// express server on 127.0.0.1, and the Bot Connector stand-in its replies go to.

export interface TeamsHarness {
  store: TestStore;
  connector: BotConnector;
  app: TeamsApp;
  botUrl: string;
  where: Where;
  logs: string[];
  close(): Promise<void>;
}

export function teamsConfig(overrides: Partial<TeamsConfig> = {}): TeamsConfig {
  return {
    appId: '',
    appPassword: '',
    tenantId: undefined,
    appType: 'SingleTenant',
    allowedTenants: [TENANT],
    allowAnonymousDev: true,
    findingsConversation: undefined,
    approvalsConversation: undefined,
    ...overrides,
  };
}

/** `config` may depend on the connector stand-in (its OpenID metadata URL, for a bot that checks tokens). */
export async function startTeamsHarness(
  registry: Registry,
  configOrFrom: TeamsConfig | ((connector: BotConnector) => TeamsConfig) = teamsConfig(),
): Promise<TeamsHarness> {
  const store = await createTestStore();
  const connector = await startBotConnector();
  const config = typeof configOrFrom === 'function' ? configOrFrom(connector) : configOrFrom;
  const logs: string[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => logs.push(line) });
  const app = createTeamsApp({ config, deps: store.deps, log, registry });
  const http = express();
  app.mount(http);
  const server: Server = await new Promise((resolve) => {
    const s = http.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    store,
    connector,
    app,
    botUrl: `http://127.0.0.1:${port}`,
    where: { serviceUrl: connector.url },
    logs,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connector.close();
      await store.cleanup();
    },
  };
}
