import type { Db } from '../../store/database.ts';
import type { AuditLogRow } from '../../store/tables.ts';
import { type Checkpoint, type CheckpointFile, checkpointMac } from './checkpoint.ts';
import { mac, sameMac } from './key.ts';
import { GENESIS_HASH, hashAuditRow, KEY_ADOPTED } from './log.ts';
import { verifySignature } from './signatures.ts';

// `audit verify`: everything the record can be checked against, in one pass. The rows (sequence,
// links, hashes), the MACs under the audit key (a rewrite with recomputed hashes), the order of time,
// the checkpoints kept outside the database (deleted newest rows), and every e-signature against the
// record it signs and against the audit row that recorded it. The first problem is named with where.

export type ProblemKind = 'row' | 'mac' | 'time' | 'checkpoint' | 'signature' | 'key';

export interface Problem {
  kind: ProblemKind;
  /** Where: `seq 12`, `signature #3`, `checkpoint line 4`. */
  where: string;
  message: string;
}

export interface TrailVerdict {
  ok: boolean;
  rows: number;
  /** Rows carrying a MAC that was checked. */
  keyedRows: number;
  signatures: number;
  checkpoints: number;
  /** The first problem found; verification stops at a broken chain, and goes on for the rest. */
  problem?: Problem;
  /** Weaknesses that are not tampering: no key configured, no checkpoints, … */
  warnings: string[];
}

export interface VerifyOptions {
  /** The audit key; null checks the plain chain only (and says so). */
  key: Buffer | null;
  /** The checkpoint file's contents, when one is configured. */
  checkpoints?: CheckpointFile;
  batchSize?: number;
}

/**
 * Replicas sharing one store each stamp rows with their own clock, so a row may read a moment earlier
 * than the one before it. Steps back up to this much are reported as a warning; larger ones fail.
 */
export const CLOCK_SKEW_TOLERANCE_MS = 5_000;

interface SignatureSeen {
  seq: number;
  recordHash: string;
}

export async function verifyAuditTrail(db: Db, options: VerifyOptions): Promise<TrailVerdict> {
  const { key } = options;
  const verdict: TrailVerdict = { ok: true, rows: 0, keyedRows: 0, signatures: 0, checkpoints: 0, warnings: [] };
  const fail = (problem: Problem): TrailVerdict => ({ ...verdict, ok: false, problem });
  const checkpoints = [...(options.checkpoints?.checkpoints ?? [])].sort((a, b) => a.seq - b.seq);
  const malformed = options.checkpoints?.malformed ?? [];
  if (malformed.length > 0) {
    return fail({ kind: 'checkpoint', where: `checkpoint line ${malformed[0]}`, message: 'is not a checkpoint' });
  }
  for (const [i, c] of (options.checkpoints?.checkpoints ?? []).entries()) {
    const checked = checkCheckpointMac(c, key);
    if (checked) return fail({ kind: 'checkpoint', where: `checkpoint line ${i + 1}`, message: checked });
  }

  const signed = new Map<number, SignatureSeen>();
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let prevAt = '';
  // With a key, unkeyed rows are accepted only as a leading run vouched for by an adoption row.
  let unkeyedFrom: number | null = null;
  let nextCheckpoint = 0;
  let skewed = 0;
  const batchSize = options.batchSize ?? 5000;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(batchSize)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      const where = `seq ${row.seq}`;
      if (row.seq !== expectedSeq) {
        return fail({ kind: 'row', where: `seq ${expectedSeq}`, message: `row ${expectedSeq} is missing` });
      }
      if (row.prev_hash !== prevHash) {
        return fail({
          kind: 'row',
          where,
          message: 'the link to the previous row is broken (rows removed, inserted or reordered)',
        });
      }
      const hash = hashAuditRow(row);
      if (hash !== row.hash) return fail({ kind: 'row', where, message: 'the row content does not match its hash' });
      const macProblem = checkRowMac(row, key);
      if (macProblem) return fail({ kind: macProblem.kind, where, message: macProblem.message });
      if (key && row.mac === null) {
        if (verdict.keyedRows > 0) return fail({ kind: 'mac', where, message: NO_MAC });
        unkeyedFrom ??= row.seq;
      } else if (key) {
        if (unkeyedFrom !== null && !(unkeyedFrom === 1 && vouchesForEarlierRows(row))) {
          return fail({ kind: 'mac', where: `seq ${unkeyedFrom}`, message: NO_MAC });
        }
        unkeyedFrom = null;
        verdict.keyedRows += 1;
      }
      if (row.at < prevAt) {
        const back = Date.parse(prevAt) - Date.parse(row.at);
        if (!(back <= CLOCK_SKEW_TOLERANCE_MS)) {
          return fail({ kind: 'time', where, message: `its time ${row.at} is before the previous row's ${prevAt}` });
        }
        skewed += 1;
      }
      while (nextCheckpoint < checkpoints.length && checkpoints[nextCheckpoint]!.seq <= row.seq) {
        const c = checkpoints[nextCheckpoint]!;
        if (c.seq === row.seq && c.hash !== row.hash) {
          return fail({
            kind: 'checkpoint',
            where,
            message: `the row differs from the checkpoint taken ${c.checkpointed_at}`,
          });
        }
        nextCheckpoint += 1;
        verdict.checkpoints += 1;
      }
      if (row.after?.includes('"signature":')) noteSignature(row, signed);
      prevHash = row.hash;
      prevAt = row.at;
      expectedSeq += 1;
      verdict.rows += 1;
    }
  }
  if (unkeyedFrom !== null) return fail({ kind: 'mac', where: `seq ${unkeyedFrom}`, message: NO_MAC });
  if (nextCheckpoint < checkpoints.length) {
    const last = checkpoints[checkpoints.length - 1]!;
    return fail({
      kind: 'checkpoint',
      where: `seq ${verdict.rows + 1}`,
      message: `rows ${verdict.rows + 1} to ${last.seq} are missing: the checkpoint taken ${last.checkpointed_at} saw the log up to seq ${last.seq}`,
    });
  }

  const signatureIds = await db.selectFrom('signatures').select('id').orderBy('id').execute();
  for (const { id } of signatureIds) {
    const where = `signature #${id}`;
    const result = await verifySignature(db, id);
    if (!result.ok) return fail({ kind: 'signature', where, message: result.problem });
    const seen = signed.get(id);
    if (seen && seen.recordHash !== result.signature.record_hash) {
      return fail({
        kind: 'signature',
        where,
        message: `it differs from what audit seq ${seen.seq} recorded at signing`,
      });
    }
    if (!seen) verdict.warnings.push(`signature #${id} is not recorded in the audit trail`);
    verdict.signatures += 1;
  }

  if (skewed > 0) {
    verdict.warnings.push(
      `${skewed} rows are dated up to ${CLOCK_SKEW_TOLERANCE_MS / 1000} s before the row preceding them (clocks of replicas differ); check NTP`,
    );
  }
  if (!key) {
    verdict.warnings.push(
      'no audit key configured (AUDIT_KEY or AUDIT_KEY_FILE): only the plain hash chain was checked, and a rewrite with recomputed hashes would not be detected',
    );
  }
  if (!options.checkpoints) {
    verdict.warnings.push(
      'no checkpoint file configured (AUDIT_CHECKPOINT_FILE): deleting the newest rows cannot be detected',
    );
  }
  return verdict;
}

const NO_MAC = 'the row has no MAC (written without the audit key, or its MAC was stripped)';

function checkRowMac(row: AuditLogRow, key: Buffer | null): { kind: ProblemKind; message: string } | undefined {
  if (!key) {
    return row.mac === null
      ? undefined
      : { kind: 'key', message: 'the row carries a MAC but no audit key is configured to check it (set AUDIT_KEY)' };
  }
  if (row.mac !== null && !sameMac(mac(key, row.hash), row.mac)) {
    return {
      kind: 'mac',
      message: 'the MAC does not match: the row was rewritten, or the audit key is not the one it was written with',
    };
  }
  return undefined;
}

/** The keyed row appendAudit writes when a key is first configured on a store with unkeyed rows. */
function vouchesForEarlierRows(row: AuditLogRow): boolean {
  if (row.action !== KEY_ADOPTED) return false;
  const after = JSON.parse(row.after ?? '{}') as { unkeyed_through?: number; head_hash?: string };
  return after.unkeyed_through === row.seq - 1 && after.head_hash === row.prev_hash;
}

function checkCheckpointMac(c: Checkpoint, key: Buffer | null): string | undefined {
  if (!key || c.mac === null) return key ? 'was taken without the audit key' : undefined;
  return sameMac(checkpointMac(key, c), c.mac)
    ? undefined
    : 'its MAC does not match (edited, or taken with another key)';
}

function noteSignature(row: AuditLogRow, signed: Map<number, SignatureSeen>): void {
  const after = JSON.parse(row.after ?? 'null') as { signature?: { id?: number; record_hash?: string } } | null;
  const sig = after?.signature;
  if (sig && typeof sig.id === 'number' && typeof sig.record_hash === 'string') {
    signed.set(sig.id, { seq: row.seq, recordHash: sig.record_hash });
  }
}
