import { createHmac, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNAL_KINDS } from '../../src/core/common/vocabulary.ts';
import { createHttpApp, finishHttpApp, listen } from '../../src/http/server.ts';
import { signalsWebhook } from '../../src/http/signals-webhook.ts';
import { insertVendor } from '../support/fixtures.ts';
import {
  ATTACK_TEXT,
  describeTally,
  errorLines,
  fuzzCount,
  fuzzSeed,
  guardedSnapshot,
  mutate,
  newTally,
  Rng,
  record,
} from '../support/fuzz.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

// Seeded fuzzing of POST /signals (Standard Webhooks signing) over real HTTP: signals and batches,
// well-formed and mutated, every one validly signed. A refusal must change nothing; only a 200 may
// record a signal. Sent one at a time so each answer is checked against the store.

const KEY = randomBytes(24);
const SECRET = `whsec_${KEY.toString('base64')}`;

describe('fuzzing the signals webhook', () => {
  const seed = fuzzSeed();
  const logs: string[] = [];
  let store: TestStore;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    store = await createTestStore();
    await insertVendor(store, { name: 'Acme Health Cloud' });
    const log = pino({ level: 'info' }, { write: (line: string) => logs.push(line) });
    const app = createHttpApp(store.db, log);
    app.use(signalsWebhook(store.deps, { secret: SECRET, log }));
    finishHttpApp(app, log);
    server = await listen(app, 0, '127.0.0.1');
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/signals`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await store.cleanup();
  });

  const signal = (rng: Rng) => ({
    source: rng.pick(['scanner', 'bitsight', ...ATTACK_TEXT.slice(0, 4)]),
    externalId: `ext-${rng.int(1e9)}`,
    ...(rng.chance(0.5)
      ? { vendor: rng.pick(['Acme Health Cloud', 'Nope Inc', '<!channel>']) }
      : { vendorId: rng.pick([1, 1, 999, -1]) }),
    kind: rng.pick([...SIGNAL_KINDS, 'EXPOSED_DATASTORE', 'nuke']),
    severity: rng.pick(['low', 'medium', 'high', 'critical', 'apocalyptic']),
    summary: `${rng.pick(ATTACK_TEXT)} summary`,
    details: { note: rng.pick(ATTACK_TEXT) },
  });

  async function post(body: string) {
    const id = `msg_${randomBytes(6).toString('hex')}`;
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = `v1,${createHmac('sha256', KEY).update(`${id}.${ts}.${body}`).digest('base64')}`;
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': ts,
        'webhook-signature': signature,
      },
      body,
    });
    await response.arrayBuffer();
    return response.status;
  }

  it('refuses every malformed signal below 500 with nothing written; logs no error', async () => {
    const rng = new Rng(seed + 2);
    const tally = newTally();
    const started = Date.now();
    for (let i = fuzzCount(0.2); i > 0; i--) {
      const built = rng.chance(0.2) ? { signals: [signal(rng), signal(rng)] } : signal(rng);
      const payload = rng.chance(0.6) ? mutate(rng, built).value : built;
      const body = rng.chance(0.05)
        ? rng.pick(['{', 'null', '[]', '"x"', '5', '{"signals":null}'])
        : JSON.stringify(payload);
      const before = await guardedSnapshot(store.db);
      const status = await post(body).catch(() => 0);
      record(tally, 'signals', status, payload);
      if (status !== 200)
        expect(await guardedSnapshot(store.db), `FUZZ_SEED=${seed}: ${body.slice(0, 300)}`).toEqual(before);
    }
    console.log(describeTally('Signals webhook fuzz', seed, tally, Date.now() - started));
    expect(tally.failures, `FUZZ_SEED=${seed}`).toEqual([]);
    expect(errorLines(logs), `FUZZ_SEED=${seed}`).toEqual([]);
    // Some well-formed signals do get through: the refusals above are not all there is.
    expect(tally.statuses.signals?.[200] ?? 0).toBeGreaterThan(0);
  }, 120_000);
});
