import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Registry } from '../../../src/chat/command.ts';
import type { Pacer } from '../../../src/delivery/pacing.ts';
import type { Sender } from '../../../src/delivery/sender.ts';
import { createLogger } from '../../../src/log.ts';
import { createTeamsApp } from '../../../src/teams/app.ts';
import { createTeamsNotifier } from '../../../src/teams/notifier.ts';
import { PERSONAS, type Place } from '../../scenarios/driver.ts';
import { type BotConnector, startBotConnector } from '../bot-connector.ts';
import { teamsConfig } from '../bot-connector-harness.ts';
import type { TestStore } from '../store.ts';
import type { ScenarioStore } from './scenario-store.ts';
import { channelId, teamsAccount } from './teams-activities.ts';

// Everything a Teams scenario runs against, started once per test file: the Bot Connector stand-in
// (every persona a member it can look up, by Teams id or Entra object id), the teams-ai app over HTTP
// in anonymous dev mode (tenant checks on, tokens are teams-security's subject), and the relay's notifier.
// The stand-in enforces Teams' per-conversation limits on a clock that moves on between relay passes;
// the relay's own pacing has its own tests, so here it does not wait.

export const PLACES: Record<Place, string> = {
  findings: channelId('findings'),
  approvals: channelId('approvals'),
  security: channelId('security'),
};

export interface TeamsStack {
  connector: BotConnector;
  botUrl: string;
  /** A new sender for each scenario's store (it reads conversation references from it). */
  sender(store: TestStore): Sender;
  /** Moves the stand-in's rate-limit clock on, as time passes between relay passes. */
  tick(ms: number): void;
  close(): Promise<void>;
}

const unpaced: Pacer = { schedule: (_method, _key, call) => call(), stop: async () => {} };

export async function startTeamsStack(registry: Registry, scenarios: ScenarioStore): Promise<TeamsStack> {
  let now = Date.parse('2026-06-01T09:00:00Z');
  const connector = await startBotConnector({ now: () => now });
  for (const persona of PERSONAS) {
    const account = teamsAccount(persona);
    connector.members.set(account.id, account);
    connector.members.set(account.aadObjectId, account);
  }
  const config = teamsConfig();
  const app = createTeamsApp({ config, deps: scenarios.deps, log: createLogger('silent'), registry });
  const http = express();
  app.mount(http);
  const server: Server = await new Promise((resolve) => {
    const s = http.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    connector,
    botUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sender: (store) => createTeamsNotifier({ config, db: store.db, pacer: unpaced }),
    tick(ms) {
      now += ms;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await connector.close();
    },
  };
}
