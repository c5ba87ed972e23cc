import type { Kysely } from 'kysely';

// Replicas share one store; a lease row names the one process that does a cluster-wide job (the
// scheduled sweep) until it stops renewing. A plain row works the same on SQLite and PostgreSQL.

// biome-ignore lint/suspicious/noExplicitAny: kysely requires Kysely<any> in migrations so they stay frozen in time.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('leases')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('holder', 'text', (col) => col.notNull())
    .addColumn('until', 'text', (col) => col.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: as above.
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('leases').execute();
}
