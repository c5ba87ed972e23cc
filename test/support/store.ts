import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ManualClock } from '../../src/core/common/clock.ts';
import type { CoreDeps } from '../../src/core/common/deps.ts';
import { DEFAULT_POLICY } from '../../src/core/policy/policy.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { useTestAuditKey } from './audit-key.ts';

export interface TestStore extends Store {
  /** What a child process passes as DATABASE_URL to reach this store: a file path or a postgres:// URL. */
  path: string;
  clock: ManualClock;
  deps: CoreDeps;
  cleanup(): Promise<void>;
}

/**
 * Set TEST_DATABASE_URL=postgres://… to run the suite on PostgreSQL: each store is then a schema of
 * its own in that database (named after the run, dropped by the global teardown). Without it, each
 * store is a SQLite file in a temporary folder. Tests that are about PostgreSQL itself (replicas)
 * ask for it and get TEST_DATABASE_URL, or TEST_POSTGRES_URL, or the local server's `test` database.
 */
const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? '';
export const onPostgres = /^postgres(ql)?:\/\//.test(TEST_DATABASE_URL);
export const POSTGRES_TEST_URL = onPostgres
  ? TEST_DATABASE_URL
  : (process.env.TEST_POSTGRES_URL ?? `postgres://${userInfo().username}@127.0.0.1:5432/test`);
/** Set by the global setup, so one run's schemas are told apart from another's running beside it. */
export const TEST_RUN_ID = process.env.TEST_RUN_ID ?? randomBytes(4).toString('hex');
export const SCHEMA_PREFIX = `t_${TEST_RUN_ID}_`;

interface Location {
  url: string;
  /** The PostgreSQL schema, when the store is one. */
  schema?: string;
  remove(): Promise<void>;
}

/** A PostgreSQL URL whose connections see only `schema` (pg passes `options` at start-up). */
function urlForSchema(schema: string): string {
  const url = new URL(POSTGRES_TEST_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

export async function adminQuery<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

// Migrating takes most of a store's set-up, so each process migrates once and reuses the result:
// SQLite copies a migrated file; PostgreSQL empties a returned schema (TRUNCATE … RESTART IDENTITY,
// which row triggers such as the audit log's append-only rule do not see) instead of building anew.
let sqliteTemplate: Promise<string> | undefined;
const emptySchemas: string[] = [];
let schemaTables: Promise<string[]> | undefined;

async function migratedSqliteTemplate(): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'vendor-risk-template-')), 'template.db');
  const store = await openStore(file);
  await migrateToLatest(store.db);
  await store.close();
  return file;
}

async function sqliteLocation(): Promise<Location> {
  sqliteTemplate ??= migratedSqliteTemplate();
  const template = await sqliteTemplate;
  const dir = mkdtempSync(join(tmpdir(), 'vendor-risk-test-'));
  const url = join(dir, 'test.db');
  copyFileSync(template, url);
  return { url, remove: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** The tables a migrated schema holds, when none of them holds rows (else a schema is never reused). */
async function reusableTables(schema: string): Promise<string[]> {
  const tables = await adminQuery<{ name: string }>(
    `select table_name as name from information_schema.tables
     where table_schema = '${schema}' and table_type = 'BASE TABLE' and table_name not like 'kysely_%'`,
  );
  for (const { name } of tables) {
    const [row] = await adminQuery<{ n: string }>(`select count(*) as n from ${schema}.${name}`);
    if (Number(row?.n) > 0) return [];
  }
  return tables.map((t) => t.name);
}

async function postgresLocation(): Promise<Location> {
  let schema = emptySchemas.pop();
  if (!schema) {
    schema = `${SCHEMA_PREFIX}${randomBytes(4).toString('hex')}`;
    await adminQuery(`create schema ${schema}`);
  }
  const name = schema;
  return {
    url: urlForSchema(name),
    schema: name,
    remove: async () => {
      const tables = await (schemaTables ?? []);
      if (tables.length === 0) return void (await adminQuery(`drop schema ${name} cascade`));
      await adminQuery(`truncate ${tables.map((t) => `${name}.${t}`).join(', ')} restart identity cascade`);
      emptySchemas.push(name);
    },
  };
}

/**
 * A real store (a SQLite file, or a PostgreSQL schema), migrated with the real migrations.
 * `on: 'postgres'` puts this one store on PostgreSQL whatever the run's store is.
 */
export async function createTestStore(
  now = '2026-06-01T09:00:00.000Z',
  options: { on?: 'postgres' } = {},
): Promise<TestStore> {
  const location = onPostgres || options.on === 'postgres' ? await postgresLocation() : await sqliteLocation();
  const store = await openStore(location.url);
  await migrateToLatest(store.db);
  useTestAuditKey();
  if (location.schema) schemaTables ??= reusableTables(location.schema);
  const clock = new ManualClock(now);
  const deps: CoreDeps = {
    db: store.db,
    clock,
    policy: DEFAULT_POLICY,
    routing: { findingsChannels: ['slack:CFINDINGS'], approvalsChannels: ['slack:CAPPROVALS'] },
    timeZone: 'UTC',
    // Tests of signing set 'pin' (test/integration/signing-pin.test.ts, test/scenarios/signing-pin.ts).
    signatureMode: 'chat-identity',
  };
  return {
    ...store,
    path: location.url,
    clock,
    deps,
    cleanup: async () => {
      await store.close();
      await location.remove();
    },
  };
}
