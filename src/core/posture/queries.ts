import { type Compilable, type CompiledQuery, sql } from 'kysely';
import type { DbOrTx } from '../../store/database.ts';
import { ACTIVE_STATES } from '../findings/states.ts';

// The five statements behind a posture lookup. Posture is read on every lookup, card and digest, so
// each statement is built and compiled once per database handle and then run with the vendor id
// swapped in: what is left per call is SQLite's own work. Every statement is a seek on an index:
//   vendors by id; findings by (vendor_id, state); evidence by its (vendor_id, type, expires_on) key;
//   the latest submitted assessment by (vendor_id, status), then its answers by (assessment_id, ...);
//   rating signals by (vendor_id, received_at).

/** Stands in for the vendor id while compiling; no vendor has a negative id. */
const VENDOR = -424_242;

/**
 * `limit 1` written into the SQL rather than bound: SQLite plans a bound limit for any row count, and
 * the latest-rating read took more than twice as long with `limit ?` (the raw floor writes `limit 1`).
 */
const ONE = sql.lit(1);

function prepared<O>(build: (db: DbOrTx, vendorId: number) => Compilable<O>) {
  const compiledFor = new WeakMap<DbOrTx, CompiledQuery<O>>();
  return async (db: DbOrTx, vendorId: number): Promise<O[]> => {
    let compiled = compiledFor.get(db);
    if (!compiled) {
      compiled = build(db, VENDOR).compile();
      compiledFor.set(db, compiled);
    }
    const parameters = compiled.parameters.map((p) => (p === VENDOR ? vendorId : p));
    return (await db.executeQuery<O>({ ...compiled, parameters })).rows;
  };
}

export const vendorRow = prepared((db, vendorId) => db.selectFrom('vendors').selectAll().where('id', '=', vendorId));

export const openFindingsBySeverity = prepared((db, vendorId) =>
  db
    .selectFrom('findings')
    .select(['severity', (eb) => eb.fn.countAll<number>().as('n')])
    .where('vendor_id', '=', vendorId)
    .where('state', 'in', ACTIVE_STATES)
    .groupBy('severity'),
);

/** The active findings themselves: the score counts each once and reads from its key what it stands for. */
export const activeFindingRows = prepared((db, vendorId) =>
  db
    .selectFrom('findings')
    .select(['id', 'severity', 'source', 'dedupe_key', 'title', 'opened_at'])
    .where('vendor_id', '=', vendorId)
    .where('state', 'in', ACTIVE_STATES)
    .orderBy('id'),
);

export const evidenceRows = prepared((db, vendorId) =>
  db.selectFrom('evidence').selectAll().where('vendor_id', '=', vendorId),
);

/** "no" and "partial" answers in the vendor's most recently submitted assessment. */
export const failedAnswerRows = prepared((db, vendorId) =>
  db
    .selectFrom('assessment_answers')
    .select(['control_id', 'answer'])
    .where('assessment_id', '=', (eb) =>
      eb
        .selectFrom('assessments')
        .select('id')
        .where('vendor_id', '=', vendorId)
        .where('status', '=', 'submitted')
        .orderBy('submitted_at', 'desc')
        .orderBy('id', 'desc')
        .limit(ONE),
    )
    .where('answer', 'in', ['no', 'partial'])
    // The same order on every store (PostgreSQL keeps no implicit order): the drivers list them in it.
    .orderBy('control_id'),
);

export const latestRatingRow = prepared((db, vendorId) =>
  db
    .selectFrom('signals')
    .select(['details', 'source', 'observed_at', 'finding_id'])
    .where('vendor_id', '=', vendorId)
    .where('kind', '=', 'rating_change')
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(ONE),
);
