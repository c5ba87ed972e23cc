import { appendFileSync, closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import type { Db } from '../../store/database.ts';
import { inTransaction } from '../../store/database.ts';
import { canonicalJson } from '../common/canonical.ts';
import type { Clock } from '../common/clock.ts';
import { enqueue } from '../messaging/outbox.ts';
import { auditKey, mac } from './key.ts';

// Checkpoints: the head of the audit chain (seq, hash, its time, a MAC) written outside the database,
// to an append-only JSON-lines file and, when one is configured, to an audit channel. They are the
// witness for what a chain cannot show by itself: rows deleted from its end. `audit verify` reads
// the file back and fails when the database no longer holds a row a checkpoint saw.

export interface Checkpoint {
  seq: number;
  hash: string;
  /** The head row's own time. */
  at: string;
  /** When the checkpoint was taken. */
  checkpointed_at: string;
  /** HMAC of the four fields above under the audit key; null when taken without a key. */
  mac: string | null;
}

export interface CheckpointTarget {
  /** AUDIT_CHECKPOINT_FILE: the JSON-lines file appended to. */
  file?: string | undefined;
  /** Chat targets (`slack:C…`, `teams:conv:…`) that receive a one-line copy through the outbox. */
  channels?: string[];
}

export function checkpointMac(key: Buffer, c: Omit<Checkpoint, 'mac'>): string {
  return mac(key, canonicalJson({ seq: c.seq, hash: c.hash, at: c.at, checkpointed_at: c.checkpointed_at }));
}

/** One line for the audit channel: short, and enough to compare against the database by hand. */
export function checkpointText(c: Checkpoint): string {
  return `Audit checkpoint: seq ${c.seq}, hash ${c.hash.slice(0, 16)}…, head at ${c.at}, taken ${c.checkpointed_at}${c.mac ? `, MAC ${c.mac.slice(0, 16)}…` : ' (no audit key)'}`;
}

/** The last checkpoint in the file, if any: only its tail is read, as sweeps ask every minute. */
export function lastCheckpoint(file: string): Checkpoint | undefined {
  if (!existsSync(file)) return undefined;
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, 4096);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').trim().split('\n');
    const line = lines.at(-1);
    if (!line) return undefined;
    try {
      return JSON.parse(line) as Checkpoint;
    } catch {
      return undefined;
    }
  } finally {
    closeSync(fd);
  }
}

export interface CheckpointFile {
  checkpoints: Checkpoint[];
  /** Lines that are not a checkpoint: named by line number, a verify problem. */
  malformed: number[];
}

export function readCheckpoints(file: string): CheckpointFile {
  if (!existsSync(file)) return { checkpoints: [], malformed: [] };
  const checkpoints: Checkpoint[] = [];
  const malformed: number[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (!line.trim()) return;
      try {
        const c = JSON.parse(line) as Checkpoint;
        if (typeof c.seq !== 'number' || typeof c.hash !== 'string' || typeof c.at !== 'string') throw new Error();
        checkpoints.push({ ...c, mac: c.mac ?? null });
      } catch {
        malformed.push(index + 1);
      }
    });
  return { checkpoints, malformed };
}

export type CheckpointOutcome = { written: false; reason: string } | { written: true; checkpoint: Checkpoint };

/**
 * Appends the current head to the checkpoint file and queues it for the audit channels. Skips when
 * the head is the one the file already ends with, so the per-minute sweep adds a line only when
 * something was recorded since.
 */
export async function takeCheckpoint(
  db: Db,
  clock: Clock,
  target: CheckpointTarget,
  options: { force?: boolean } = {},
): Promise<CheckpointOutcome> {
  const channels = target.channels ?? [];
  if (!target.file && channels.length === 0) return { written: false, reason: 'no checkpoint file or audit channel' };
  const head = await db
    .selectFrom('audit_log')
    .select(['seq', 'hash', 'at'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!head) return { written: false, reason: 'the audit log is empty' };
  if (!options.force && target.file) {
    const last = lastCheckpoint(target.file);
    if (last && last.seq === head.seq && last.hash === head.hash) {
      return { written: false, reason: `seq ${head.seq} is already checkpointed` };
    }
  }
  const body = { seq: head.seq, hash: head.hash, at: head.at, checkpointed_at: clock.now().toISOString() };
  const key = auditKey();
  const checkpoint: Checkpoint = { ...body, mac: key ? checkpointMac(key, body) : null };
  if (target.file) appendFileSync(target.file, `${JSON.stringify(checkpoint)}\n`, { mode: 0o600 });
  if (channels.length > 0) {
    await inTransaction(db, async (tx) => {
      for (const channel of channels) {
        await enqueue(tx, clock, {
          key: `audit-checkpoint:${head.seq}:${head.hash}:${channel}`,
          target: channel,
          template: 'text',
          data: { text: checkpointText(checkpoint) },
        });
      }
    });
  }
  return { written: true, checkpoint };
}
