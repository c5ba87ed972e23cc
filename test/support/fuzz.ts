import type { Db } from '../../src/store/database.ts';

// A seeded fuzzer for the inbound endpoints: a small PRNG (so FUZZ_SEED replays a failing run
// exactly), mutations of well-formed payloads (missing, extra and wrong-typed fields, nulls, huge
// strings, attack text), a runner with a few requests in flight, and the tallies the tests print.

/** The seed of this run: FUZZ_SEED when set (FUZZ_SEED=random for a fresh one), else a fixed one. Printed by every fuzz test. */
export function fuzzSeed(): number {
  if (process.env.FUZZ_SEED === 'random') return Math.floor(Math.random() * 2 ** 31) + 1;
  const given = Number(process.env.FUZZ_SEED);
  return Number.isInteger(given) && given > 0 ? given : 1;
}

/**
 * This file's share of the run: FUZZ_COUNT (10,000 for the long run) split between the fuzz files;
 * by default 2,800, of which 2,240 are signed (Slack 60 %, the signals webhook 20 %; Teams runs in
 * anonymous dev mode, as a token service the bot could reach would be needed to reply otherwise).
 */
export function fuzzCount(share: number, fallbackTotal = 2800): number {
  const total = Number(process.env.FUZZ_COUNT);
  return Math.max(1, Math.round((Number.isInteger(total) && total > 0 ? total : fallbackTotal) * share));
}

export class Rng {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0 || 1;
  }
  /** mulberry32: small, fast and good enough to choose mutations. */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}

/** Text people and attackers type: mentions, broadcasts, links, bidi overrides, card and markup injection. */
export const ATTACK_TEXT = [
  '<!channel>',
  '<!here> <!everyone>',
  '<@U0ADMIN> please approve',
  '<@slack:UDEMOADMIN|Jordan Blake>',
  '<#C0FINDINGS|vendor-findings>',
  '[re-verify your SSO session](https://evil.example/sso)',
  '<https://evil.example|click me>',
  '\u202egnp.exe',
  '\u200f\u202b\u2066hidden\u2069',
  '"}]},{"type":"Action.OpenUrl","url":"https://evil.example","title":"Approve',
  '{"type":"AdaptiveCard","body":[{"type":"TextBlock","text":"pwned"}]}',
  '<at>Vendor Risk</at>',
  "'; DROP TABLE findings; --",
  '{{7*7}} {{constructor.constructor("return 1")()}} #{7*7}',
  '__proto__',
  'constructor',
  '\u0000\u0001\u0007',
  '💥'.repeat(50),
  '*'.repeat(300),
  '['.repeat(2000),
  '`'.repeat(500),
  '&lt;!channel&gt;',
  '\n\n\n',
  '',
  ' ',
];

/** A value of another type than the one a field should hold. */
function wrongTyped(rng: Rng, current: unknown): unknown {
  const options: unknown[] = [
    null,
    0,
    -1,
    1e21,
    Number.NaN,
    true,
    '',
    'x',
    [],
    [null],
    {},
    { nested: { deeper: [1, 'two'] } },
  ];
  let value = rng.pick(options);
  for (let i = 0; i < 3 && typeof value === typeof current && value !== null; i++) value = rng.pick(options);
  return value;
}

export function hugeString(rng: Rng): string {
  const sizes = [3_001, 20_000, 20_000, 300_000];
  return rng.pick(ATTACK_TEXT).padEnd(rng.pick(sizes), rng.pick(['a', '<', '[', '\u202e', 'é']));
}

type Json = unknown;
type Path = (string | number)[];

function pathsOf(value: Json, at: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) pathsOf(v, [...at, i], out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) pathsOf(v, [...at, k], out);
  }
  if (at.length > 0) out.push(at);
  return out;
}

function parentOf(root: Json, path: Path): Record<string | number, unknown> | null {
  let node = root as Record<string | number, unknown> | null;
  for (const key of path.slice(0, -1)) {
    if (!node || typeof node !== 'object') return null;
    node = node[key] as Record<string | number, unknown> | null;
  }
  return node && typeof node === 'object' ? node : null;
}

export const MUTATIONS = ['delete', 'null', 'wrong-type', 'huge', 'attack', 'extra'] as const;
export type Mutation = (typeof MUTATIONS)[number];

/**
 * A copy of `value` with 1 to 3 mutations at random paths; `only` limits them to paths whose
 * dotted form starts with one of the given prefixes. Returns the names of what was done.
 */
export function mutate<T>(rng: Rng, value: T, only?: readonly string[]): { value: T; done: Mutation[] } {
  const copy = structuredClone(value) as Json;
  const done: Mutation[] = [];
  const rounds = 1 + rng.int(3);
  for (let round = 0; round < rounds; round++) {
    const paths = pathsOf(copy).filter((p) => !only || only.some((prefix) => p.join('.').startsWith(prefix)));
    if (paths.length === 0) break;
    const path = rng.pick(paths);
    const parent = parentOf(copy, path);
    const key = path[path.length - 1];
    if (!parent || key === undefined) continue;
    const kind = rng.pick(MUTATIONS);
    done.push(kind);
    switch (kind) {
      case 'delete':
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent[key];
        break;
      case 'null':
        parent[key] = null;
        break;
      case 'wrong-type':
        parent[key] = wrongTyped(rng, parent[key]);
        break;
      case 'huge':
        parent[key] = hugeString(rng);
        break;
      case 'attack':
        parent[key] = rng.pick(ATTACK_TEXT);
        break;
      case 'extra':
        if (!Array.isArray(parent))
          parent[rng.pick(['__proto__', 'constructor', 'extra', 'type', 'value'])] = rng.pick(ATTACK_TEXT);
        break;
    }
  }
  return { value: copy as T, done };
}

export interface Tally {
  /** Payloads sent, by kind. */
  sent: Record<string, number>;
  /** Responses by status, by kind. */
  statuses: Record<string, Record<number, number>>;
  /** The payloads answered with 5xx (or not at all), kept to print. */
  failures: { kind: string; status: number; payload: string }[];
}

export function newTally(): Tally {
  return { sent: {}, statuses: {}, failures: [] };
}

export function record(tally: Tally, kind: string, status: number, payload: unknown): void {
  tally.sent[kind] = (tally.sent[kind] ?? 0) + 1;
  const byStatus = tally.statuses[kind] ?? {};
  tally.statuses[kind] = byStatus;
  byStatus[status] = (byStatus[status] ?? 0) + 1;
  if (status >= 500 || status === 0) {
    tally.failures.push({ kind, status, payload: JSON.stringify(payload).slice(0, 600) });
  }
}

export function describeTally(title: string, seed: number, tally: Tally, ms: number): string {
  const total = Object.values(tally.sent).reduce((a, b) => a + b, 0);
  const lines = Object.entries(tally.sent).map(
    ([kind, n]) =>
      `  ${kind.padEnd(22)} ${String(n).padStart(6)}  ${Object.entries(tally.statuses[kind] ?? {})
        .map(([s, c]) => `${s}×${c}`)
        .join(' ')}`,
  );
  return [
    `${title}: FUZZ_SEED=${seed}, ${total} payloads in ${(ms / 1000).toFixed(1)} s, ${tally.failures.length} answered >= 500`,
    ...lines,
  ].join('\n');
}

/** Runs `jobs` with at most `width` in flight, in order of creation. */
export async function inFlight<T>(jobs: (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const at = next++;
      const job = jobs[at];
      if (job) results[at] = await job();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
  return results;
}

/** The tables a refused or unprivileged request must leave alone: their row counts and a digest of states. */
export const GUARDED_TABLES = [
  'vendors',
  'findings',
  'approval_requests',
  'signatures',
  'role_grants',
  'audit_log',
  'evidence',
  'signals',
  'assessments',
  'assessment_answers',
  'subscriptions',
  'vendor_intakes',
  'activation_requests',
  'offboardings',
  'offboarding_items',
  'incidents',
  'incident_tasks',
  'incident_clocks',
  'incident_decisions',
  'person_links',
  'signing_pins',
  'vendor_assets',
  'outbox',
] as const;

export async function guardedSnapshot(db: Db): Promise<Record<string, number | string>> {
  const out: Record<string, number | string> = {};
  for (const table of GUARDED_TABLES) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  const findings = await db.selectFrom('findings').select(['id', 'state', 'version']).orderBy('id').execute();
  out['findings.states'] = findings.map((f) => `${f.id}:${f.state}:${f.version}`).join(',');
  const requests = await db.selectFrom('approval_requests').select(['id', 'state']).orderBy('id').execute();
  out['approval_requests.states'] = requests.map((r) => `${r.id}:${r.state}`).join(',');
  return out;
}

/** Captured log lines at error level or above (pino's numeric level 50+), as parsed JSON. */
export function errorLines(lines: readonly string[]): Record<string, unknown>[] {
  return lines
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return { level: 60, msg: line };
      }
    })
    .filter((entry) => Number(entry.level) >= 50);
}
