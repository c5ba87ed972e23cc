import { randomBytes } from 'node:crypto';

// One id per run, inherited by every test process: the PostgreSQL schemas a run creates carry it,
// so the teardown drops exactly this run's schemas and never those of a run beside it.
export async function setup(): Promise<void> {
  process.env.TEST_RUN_ID ??= randomBytes(4).toString('hex');
}

export async function teardown(): Promise<void> {
  const { adminQuery, SCHEMA_PREFIX, onPostgres } = await import('./store.ts');
  let schemas: { name: string }[];
  try {
    schemas = await adminQuery<{ name: string }>(
      `select schema_name as name from information_schema.schemata where starts_with(schema_name, '${SCHEMA_PREFIX}')`,
    );
  } catch (error) {
    // A SQLite run that never reached PostgreSQL has nothing to drop there.
    if (onPostgres) throw error;
    return;
  }
  for (const { name } of schemas) await adminQuery(`drop schema ${name} cascade`);
}
