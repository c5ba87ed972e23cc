import { type Kysely, sql } from 'kysely';

// A vendor's missing required documents used to open one finding each; now one finding lists them all.
// The vendors that still hold findings of the old form are marked to be scored at the next sweep, which
// folds them into one (the others closed, audited, as "merged into #N"). Nothing is rewritten here: the
// folding is a change to findings, so it goes through the core with its audit records and card edits.

// biome-ignore lint/suspicious/noExplicitAny: kysely requires Kysely<any> in migrations so they stay frozen in time.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`update posture_schedule set rescore_on = '0000-00-00'
    where vendor_id in (
      select vendor_id from findings where source = 'required_evidence' and state <> 'resolved'
    )`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: as above.
export async function down(_db: Kysely<any>): Promise<void> {
  // Marking vendors due changes no data; there is nothing to undo.
}
