import { userInfo } from 'node:os';
import { type Config, loadConfig, routingFrom } from '../config.ts';
import { useAuditKey } from '../core/audit/key.ts';
import type { Actor } from '../core/common/actor.ts';
import { type Clock, ManualClock, systemClock } from '../core/common/clock.ts';
import type { CoreDeps } from '../core/common/deps.ts';
import { openStore, type Store } from '../store/database.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { type CliIO, UsageError } from './io.ts';

export interface CliContext {
  config: Config;
  store: Store;
  deps: CoreDeps;
  /** The operator at the terminal: audited as `cli:<login>`. */
  actor: Actor;
}

export function cliActor(): Actor {
  const login = userInfo().username || 'operator';
  return { id: `cli:${login}`, name: `${login} (CLI)` };
}

export function parseInstant(text: string | undefined): Clock {
  if (!text) return systemClock;
  const at = new Date(text);
  if (Number.isNaN(at.getTime()))
    throw new UsageError(`--now "${text}" is not an ISO date-time such as 2027-01-15T09:00:00Z`);
  return new ManualClock(at);
}

/** Opens the configured store, brings the schema up to date, runs `work`, and always closes. */
export async function withStore<T>(
  io: CliIO,
  work: (ctx: CliContext) => Promise<T>,
  clock: Clock = systemClock,
): Promise<T> {
  const config = loadConfig(io.env);
  useAuditKey(config.audit.key);
  const store = await openStore(config.databaseUrl);
  try {
    await migrateToLatest(store.db);
    const deps: CoreDeps = {
      db: store.db,
      clock,
      policy: config.policy,
      routing: routingFrom(config),
      timeZone: config.timeZone,
    };
    return await work({ config, store, deps, actor: cliActor() });
  } finally {
    await store.close();
  }
}
