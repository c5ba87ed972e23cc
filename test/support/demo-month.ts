import { renderNotification } from '../../src/chat/notifications/index.ts';
import type { Reply } from '../../src/chat/reply.ts';
import { addDaysIso, todayOf } from '../../src/core/common/dates.ts';
import type { CoreDeps } from '../../src/core/common/deps.ts';
import type { Policy } from '../../src/core/policy/policy.ts';
import { Relay } from '../../src/delivery/relay.ts';
import type { PlatformMessage, PostRequest, Sender, UpdateRequest } from '../../src/delivery/sender.ts';
import { DEMO_ROUTING } from '../../src/demo/routing.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { runSweep } from '../../src/scheduler/sweep.ts';
import type { Db } from '../../src/store/database.ts';
import type { TestStore } from './store.ts';

// The seeded demo driven forward with the real scheduler, the real outbox relay and every notification
// view, into a sender that remembers what each person saw: new messages (which notify) apart from
// edits (which do not). Each message is tied to the vendor it is about, read from its outbox row.

export interface SeenMessage {
  /** The platform message id: an edit names the message it changed. */
  id: string;
  target: string;
  /** The calendar day it was posted or last edited. */
  day: string;
  template: string;
  vendorId: number | null;
  reply: Reply;
}

/** A message as it reads now, after every edit, and whether it was ever a new post on `day`. */
export class RecordingSender implements Sender {
  readonly posts: SeenMessage[] = [];
  readonly edits: SeenMessage[] = [];
  /** The latest content of every message, by id. */
  readonly current = new Map<string, SeenMessage>();
  #next = 0;
  readonly db: Db;
  readonly today: () => string;
  constructor(db: Db, today: () => string) {
    this.db = db;
    this.today = today;
  }

  async #describe(key: string | undefined, target: string, id: string, reply: Reply): Promise<SeenMessage> {
    const row = key
      ? await this.db.selectFrom('outbox').selectAll().where('idempotency_key', '=', key).executeTakeFirst()
      : undefined;
    return {
      id,
      target,
      day: this.today(),
      template: row?.template ?? 'unknown',
      vendorId: row ? await vendorOf(this.db, row.template, JSON.parse(row.data), row.idempotency_key) : null,
      reply,
    };
  }

  async post(request: PostRequest): Promise<PlatformMessage> {
    const id = String(++this.#next);
    const seen = await this.#describe(request.key, request.target, id, request.reply);
    if (!request.threadParent) this.posts.push(seen);
    this.current.set(id, seen);
    return { conversation: request.target, id };
  }

  async update(request: UpdateRequest): Promise<PlatformMessage> {
    const before = this.current.get(request.message.id);
    const seen = { ...(before as SeenMessage), day: this.today(), reply: request.reply };
    this.edits.push(seen);
    this.current.set(request.message.id, seen);
    return request.message;
  }
}

/** The vendor an outbox row is about, from its data (or its key, for plain-text lifecycle notes). */
export async function vendorOf(
  db: Db,
  template: string,
  data: Record<string, unknown>,
  key: string,
): Promise<number | null> {
  const byId = async (table: 'assessments' | 'evidence' | 'findings', id: unknown) =>
    (await db.selectFrom(table).select('vendor_id').where('id', '=', Number(id)).executeTakeFirst())?.vendor_id ?? null;
  if (typeof data.vendorId === 'number') return data.vendorId;
  if (typeof data.assessmentId === 'number') return byId('assessments', data.assessmentId);
  if (typeof data.evidenceId === 'number') return byId('evidence', data.evidenceId);
  if (typeof data.findingId === 'number') return byId('findings', data.findingId);
  const keyed = /^(?:due-diligence|offboard-prompt):(\d+):/.exec(key);
  if (template === 'text' && keyed) return Number(keyed[1]);
  return null;
}

/** A person's DM (`slack:U…`), as opposed to a channel. */
export const isDm = (target: string) => /^slack:U/.test(target);

export interface DemoRun {
  deps: CoreDeps;
  sender: RecordingSender;
  relay: Relay;
  /** Sweeps at the clock's instant and delivers everything queued. */
  tick(): Promise<void>;
  /** Moves the clock to 09:30 UTC on each of the next `days` days, with a tick on each. */
  walk(days: number): Promise<void>;
  stop(): Promise<void>;
}

/** The playground's demo as it starts: seeded now, routed to the demo channels, first sweep at once (under `policy`). */
export async function startDemo(store: TestStore, policy: Policy = store.deps.policy): Promise<DemoRun> {
  const deps: CoreDeps = { ...store.deps, routing: DEMO_ROUTING, policy };
  await seedDemo(deps, { intake: true });
  const sender = new RecordingSender(store.db, () => todayOf(deps));
  const relay = new Relay({
    db: store.db,
    clock: store.clock,
    senders: { slack: sender },
    render: renderNotification(deps),
  });
  const tick = async () => {
    await runSweep(deps);
    await relay.drainOnce();
  };
  await tick();
  return {
    deps,
    sender,
    relay,
    tick,
    async walk(days) {
      for (let i = 0; i < days; i++) {
        store.clock.set(`${addDaysIso(todayOf(deps), 1)}T09:30:00.000Z`);
        await tick();
      }
    },
    stop: () => relay.stop(),
  };
}

/** A person's daily "Coming up" digest, as opposed to a message about one vendor. */
export const isDigest = (m: SeenMessage) => m.template === 'owner-digest';

/** New DMs per person; per person, vendor and day (digests apart); digests per person and day. */
export function dmCounts(posts: readonly SeenMessage[]) {
  const perPerson: Record<string, number> = {};
  const perVendorDay: Record<string, number> = {};
  const digestsPerDay: Record<string, number> = {};
  for (const p of posts.filter((m) => isDm(m.target))) {
    perPerson[p.target] = (perPerson[p.target] ?? 0) + 1;
    const k = isDigest(p) ? `${p.target} ${p.day}` : `${p.target} vendor ${p.vendorId ?? '?'} ${p.day}`;
    const counts = isDigest(p) ? digestsPerDay : perVendorDay;
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return { perPerson, perVendorDay, digestsPerDay };
}
