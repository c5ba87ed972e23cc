import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { connectSharedPacing, createSlackPacer, type Pacer, type SharedPacing } from '../../src/delivery/pacing.ts';

// Two replicas, each with its own pacer, post to the same channel. Paced alone, each keeps to the
// channel's rate but together they double it; sharing the limiters through Redis keeps the pair to
// one channel's rate. Observed as a lower bound on the time the posts need (a busy machine only
// lengthens it, so the bound never fails by chance), against the real Redis a deployment uses.

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PER_SECOND = 20;
const INTERVAL_MS = 1000 / PER_SECOND;
const POSTS_EACH = 6;

const open: { pacers: Pacer[]; shared: SharedPacing[] } = { pacers: [], shared: [] };

afterEach(async () => {
  await Promise.all(open.pacers.map((p) => p.stop()));
  await Promise.all(open.shared.map((s) => s.connection.disconnect()));
  open.pacers = [];
  open.shared = [];
});

function replica(prefix?: string, jobExpirationMs?: number): Pacer {
  const shared = prefix ? connectSharedPacing(REDIS_URL, prefix, jobExpirationMs) : undefined;
  if (shared) open.shared.push(shared);
  const pacer = createSlackPacer({ postsPerSecondPerChannel: PER_SECOND, shared });
  open.pacers.push(pacer);
  return pacer;
}

/** Both replicas post POSTS_EACH messages to one channel at once; returns the ms from first to last start. */
async function spanOfPosts(a: Pacer, b: Pacer): Promise<number> {
  const starts: number[] = [];
  const post = (pacer: Pacer) => pacer.schedule('chat.postMessage', 'C1', async () => void starts.push(Date.now()));
  await Promise.all(Array.from({ length: POSTS_EACH }, () => [post(a), post(b)]).flat());
  return Math.max(...starts) - Math.min(...starts);
}

describe('pacing shared by replicas through Redis', () => {
  it('keeps two replicas together within one channel’s rate', async () => {
    const prefix = `test-${randomBytes(4).toString('hex')}`;
    const span = await spanOfPosts(replica(prefix), replica(prefix));
    expect(span).toBeGreaterThanOrEqual((2 * POSTS_EACH - 1) * INTERVAL_MS * 0.95);
  });

  it('frees the channel of a replica that died mid-call, so the others go on posting there', async () => {
    const prefix = `test-${randomBytes(4).toString('hex')}`;
    const dead = connectSharedPacing(REDIS_URL, prefix, 300);
    const dying = createSlackPacer({ postsPerSecondPerChannel: PER_SECOND, shared: dead });
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    // Its call never returns and its process is gone: nothing will ever tell Redis the call ended.
    void dying
      .schedule('chat.postMessage', 'C1', () => {
        started();
        return new Promise(() => undefined);
      })
      .catch(() => undefined);
    await running;
    await dead.connection.disconnect();

    const posted = await replica(prefix, 300).schedule('chat.postMessage', 'C1', async () => 'posted');
    expect(posted).toBe('posted');
  });
});
