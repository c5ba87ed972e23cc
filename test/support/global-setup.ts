import { randomBytes } from 'node:crypto';
import pg from 'pg';

// One id per run, inherited by every test process: the PostgreSQL schemas a run creates carry it,
// so the teardown drops exactly this run's schemas and never those of a run beside it.
export async function setup(): Promise<void> {
  process.env.TEST_RUN_ID ??= randomBytes(4).toString('hex');
}

export async function teardown(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL ?? '';
  if (!/^postgres(ql)?:\/\//.test(url)) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      'select schema_name as name from information_schema.schemata where schema_name like $1',
      [`t\\_${process.env.TEST_RUN_ID}\\_%`],
    );
    for (const { name } of rows) await client.query(`drop schema ${name} cascade`);
  } finally {
    await client.end();
  }
}
