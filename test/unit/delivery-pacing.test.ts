import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSlackPacer, createTeamsPacer, type Pacer } from '../../src/delivery/pacing.ts';

// What pacing guarantees, observed without timing thresholds (bottleneck's timers run on vitest's fake
// clock): calls to one channel never overlap and wait for their interval, other channels are not held
// up, tiers allow their burst and then their rate, and a failing call is handed back, not retried.

let pacer: Pacer;

afterEach(async () => {
  vi.useRealTimers();
  await pacer.stop();
});

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('Slack pacing', () => {
  it('runs posts to one channel one at a time and lets other channels through meanwhile', async () => {
    pacer = createSlackPacer({ postsPerSecondPerChannel: 50 });
    const events: string[] = [];
    const first = gate();
    const a = pacer.schedule('chat.postMessage', 'C1', async () => {
      events.push('C1 first starts');
      await first.opened;
      events.push('C1 first ends');
    });
    const b = pacer.schedule('chat.postMessage', 'C1', async () => {
      events.push('C1 second starts');
    });
    await pacer.schedule('chat.postMessage', 'C2', async () => {
      events.push('C2 runs');
    });
    expect(events).toEqual(['C1 first starts', 'C2 runs']);
    first.open();
    await Promise.all([a, b]);
    expect(events).toEqual(['C1 first starts', 'C2 runs', 'C1 first ends', 'C1 second starts']);
  });

  it('holds the next post to a channel for a second, and other methods to their tier', async () => {
    vi.useFakeTimers();
    pacer = createSlackPacer();
    const ran: string[] = [];
    const post = (name: string) => pacer.schedule('chat.postMessage', 'C1', async () => ran.push(name));
    void post('first');
    void post('second');
    for (let i = 0; i < 12; i += 1) void pacer.schedule('chat.update', 'C1', async () => ran.push(`update ${i}`));
    // Bottleneck's own bookkeeping takes a few (fake) milliseconds per job, hence the margins.
    await vi.advanceTimersByTimeAsync(950);
    // Tier 3 lets a burst of 10 edits through at once, then one every 1.5 s.
    expect(ran).toEqual(['first', ...Array.from({ length: 10 }, (_, i) => `update ${i}`)]);
    await vi.advanceTimersByTimeAsync(100);
    expect(ran.at(-1)).toBe('second');
    await vi.advanceTimersByTimeAsync(600);
    expect(ran.at(-1)).toBe('update 10');
    await vi.advanceTimersByTimeAsync(1_300);
    expect(ran.at(-1)).toBe('update 10');
    await vi.advanceTimersByTimeAsync(300);
    expect(ran.at(-1)).toBe('update 11');
  });

  it('hands a failure back once, without retrying it', async () => {
    pacer = createSlackPacer();
    let calls = 0;
    const failing = pacer.schedule('chat.update', 'C1', async () => {
      calls += 1;
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    expect(calls).toBe(1);
  });
});

describe('Teams pacing', () => {
  it('spaces sends to one conversation by 250 ms while another conversation goes ahead', async () => {
    vi.useFakeTimers();
    pacer = createTeamsPacer();
    const ran: string[] = [];
    for (const [conversation, n] of [
      ['a', 1],
      ['a', 2],
      ['b', 1],
      ['a', 3],
    ] as const) {
      void pacer.schedule('send', conversation, async () => ran.push(`${conversation}${n}`));
    }
    await vi.advanceTimersByTimeAsync(200);
    expect(ran).toEqual(['a1', 'b1']);
    await vi.advanceTimersByTimeAsync(100);
    expect(ran).toEqual(['a1', 'b1', 'a2']);
    await vi.advanceTimersByTimeAsync(250);
    expect(ran).toEqual(['a1', 'b1', 'a2', 'a3']);
  });
});
