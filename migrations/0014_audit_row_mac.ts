import type { Kysely } from 'kysely';

// The audit key (issue 10): each audit row carries the HMAC of its hash under a secret kept outside
// the database, so a rewrite with recomputed hashes is detected. Rows written before, or without a
// key, keep a null MAC. Adding a nullable column touches no existing row, so the append-only
// triggers are not involved.

// biome-ignore lint/suspicious/noExplicitAny: kysely requires Kysely<any> in migrations so they stay frozen in time.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('mac', 'text').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: as above.
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log').dropColumn('mac').execute();
}
