import { createHmac, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { request } from 'node:http';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpApp, finishHttpApp, listen } from '../../src/http/server.ts';
import { signalsWebhook } from '../../src/http/signals-webhook.ts';
import { insertVendor } from '../support/fixtures.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

// POST /signals over real HTTP: Standard Webhooks signatures, a 5-minute window, replay and duplicate
// safety, a size cap, and refusals that say what was wrong. Signatures here are computed from the
// spec (HMAC-SHA256 of "id.timestamp.body", base64), not with the code under test.

const KEY = randomBytes(24);
const SECRET = `whsec_${KEY.toString('base64')}`;

interface Sent {
  status: number;
  body: Record<string, unknown>;
}

describe('signals webhook', () => {
  let store: TestStore;
  let server: Server;
  let url: string;
  let committed: number;
  let logs: { msg: string; error?: string }[];

  async function start(secret: string | undefined) {
    logs = [];
    const log = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
    const app = createHttpApp(store.db, log);
    app.use(signalsWebhook(store.deps, { secret, log, onCommitted: () => committed++ }));
    finishHttpApp(app, log);
    server = await listen(app, 0, '127.0.0.1');
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/signals`;
  }

  beforeEach(async () => {
    store = await createTestStore('2026-06-01T09:00:00.000Z');
    committed = 0;
    await insertVendor(store, { name: 'Acme Health Cloud' });
    await insertVendor(store, { name: 'Beta Payroll', tier: 'medium' });
    await start(SECRET);
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await store.cleanup();
  });

  // Senders sign with the time of day; the store's clock stands months away, which proves the
  // freshness check uses real time and not the domain clock.
  const nowSeconds = () => String(Math.floor(Date.now() / 1000));
  const sign = (id: string, ts: string, body: string, key: Buffer = KEY) =>
    `v1,${createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64')}`;

  async function post(
    body: string,
    headers: Record<string, string> = {},
    id = `msg_${randomBytes(6).toString('hex')}`,
  ) {
    const ts = headers['webhook-timestamp'] ?? nowSeconds();
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': ts,
        'webhook-signature': sign(id, ts, body),
        ...headers,
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> } satisfies Sent;
  }

  const signal = (overrides: Record<string, unknown> = {}) => ({
    source: 'scanner',
    externalId: 'scan-1',
    vendor: 'acme health cloud',
    kind: 'exposed_datastore',
    severity: 'critical',
    summary: 'Elasticsearch on es.acme.example:9200 answers without authentication',
    details: { host: 'es.acme.example', port: 9200 },
    observedAt: '2026-06-01T08:55:00Z',
    ...overrides,
  });

  const count = async (table: 'signals' | 'inbound_receipts' | 'findings' | 'outbox') =>
    Number(
      (
        await store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('records a signed critical signal, opens its finding card and nudges the relay', async () => {
    const sent = await post(JSON.stringify(signal()));
    expect(sent).toEqual({
      status: 200,
      body: { ok: true, externalId: 'scan-1', duplicate: false, signalId: 1, findingId: 1 },
    });
    expect(committed).toBe(1);
    const cards = await store.db.selectFrom('outbox').select(['template', 'target']).execute();
    expect(cards).toEqual([{ template: 'finding-card', target: 'slack:CFINDINGS' }]);
    const audit = await store.db.selectFrom('audit_log').select(['action', 'actor_id', 'actor_name']).execute();
    expect(audit).toContainEqual({
      action: 'signal.record',
      actor_id: 'system:signals:scanner',
      actor_name: 'scanner (monitoring)',
    });
  });

  it('applies a batch all or nothing, by vendor name or id', async () => {
    const batch = {
      signals: [
        signal(),
        signal({ externalId: 'tls-9', vendor: undefined, vendorId: 2, kind: 'TLS_Certificate', severity: 'Low' }),
      ],
    };
    const sent = await post(JSON.stringify(batch));
    expect(sent.status).toBe(200);
    expect(sent.body.results).toEqual([
      { externalId: 'scan-1', duplicate: false, signalId: 1, findingId: 1 },
      { externalId: 'tls-9', duplicate: false, signalId: 2, findingId: null },
    ]);
    const mixed = {
      signals: [signal({ externalId: 'scan-2' }), signal({ externalId: 'scan-3', vendor: 'Acme Helth Cloud' })],
    };
    const refused = await post(JSON.stringify(mixed));
    expect(refused).toEqual({
      status: 422,
      body: {
        error: 'unknown vendor',
        vendors: ['No vendor named “Acme Helth Cloud”. Did you mean “Acme Health Cloud”?'],
      },
    });
    expect(await count('signals')).toBe(2);
  });

  it('refuses a bad signature, a stale or future timestamp and missing headers with 401, writing nothing', async () => {
    const body = JSON.stringify(signal());
    expect(
      (await post(body, { 'webhook-signature': sign('msg_x', nowSeconds(), body, randomBytes(24)) }, 'msg_x')).status,
    ).toBe(401);
    expect((await post(`${body} `, { 'webhook-signature': sign('msg_y', nowSeconds(), body) }, 'msg_y')).status).toBe(
      401,
    );
    const old = String(Number(nowSeconds()) - 301);
    const stale = await post(body, { 'webhook-timestamp': old });
    expect(stale).toEqual({ status: 401, body: { error: 'webhook-timestamp is more than 5 minutes away from now' } });
    expect((await post(body, { 'webhook-timestamp': String(Number(nowSeconds()) + 330) })).status).toBe(401);
    expect((await post(body, { 'webhook-timestamp': String(Number(nowSeconds()) - 270) })).status).toBe(200);
    const bare = await fetch(url, { method: 'POST', body });
    expect(bare.status).toBe(401);
    expect(await count('signals')).toBe(1);
    expect(await count('inbound_receipts')).toBe(1);
  });

  it('accepts any matching v1 signature, so secrets can rotate, and a plain-text secret', async () => {
    const body = JSON.stringify(signal());
    const ts = nowSeconds();
    const rotating = `v1,${randomBytes(32).toString('base64')} v2,whatever ${sign('msg_rot', ts, body)}`;
    expect((await post(body, { 'webhook-signature': rotating, 'webhook-timestamp': ts }, 'msg_rot')).status).toBe(200);
    await new Promise((resolve) => server.close(resolve));
    await start('a plain shared secret');
    const plain = JSON.stringify(signal({ externalId: 'scan-2' }));
    const signed = sign('msg_plain', ts, plain, Buffer.from('a plain shared secret'));
    expect((await post(plain, { 'webhook-signature': signed, 'webhook-timestamp': ts }, 'msg_plain')).status).toBe(200);
  });

  it('applies a repeated delivery once: same webhook-id, or the same source and external id', async () => {
    const body = JSON.stringify(signal());
    expect((await post(body, {}, 'msg_1')).body.duplicate).toBe(false);
    const before = {
      signals: await count('signals'),
      outbox: await count('outbox'),
      findings: await count('findings'),
    };
    expect(await post(body, {}, 'msg_1')).toEqual({ status: 200, body: { ok: true, duplicate: true } });
    const again = await post(JSON.stringify(signal({ summary: 'Seen again' })), {}, 'msg_2');
    expect(again).toEqual({
      status: 200,
      body: { ok: true, externalId: 'scan-1', duplicate: true, signalId: 1, findingId: 1 },
    });
    expect({
      signals: await count('signals'),
      outbox: await count('outbox'),
      findings: await count('findings'),
    }).toEqual(before);
    expect(committed).toBe(1);
  });

  it('refuses a body over 256 KB with 413, declared or streamed', async () => {
    const big = JSON.stringify(signal({ details: { blob: 'x'.repeat(300 * 1024) } }));
    expect((await post(big)).status).toBe(413);
    const id = 'msg_stream';
    const ts = nowSeconds();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url, {
        method: 'POST',
        headers: { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': sign(id, ts, big) },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < big.length; i += 16 * 1024) req.write(big.slice(i, i + 16 * 1024));
      req.end();
    });
    expect(status).toBe(413);
    expect(await count('signals')).toBe(0);
  });

  it('says what is wrong with malformed JSON and with a body that breaks the schema (400)', async () => {
    const malformed = await post('{"source": "scanner",');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatch(/^the body is not valid JSON: /);
    const broken = await post(JSON.stringify(signal({ kind: 'earthquake', summary: undefined })));
    expect(broken.status).toBe(400);
    expect(broken.body.error).toMatch(/^the body does not match the signal schema: /);
    expect(broken.body.error).toContain('kind: Invalid enum value');
    expect(broken.body.error).toContain('summary: Required');
    const twice = await post(JSON.stringify(signal({ vendorId: 1 })));
    expect(twice).toEqual({
      status: 400,
      body: {
        error:
          'the body does not match the signal schema: name the vendor by exactly one of vendor (its name) or vendorId',
      },
    });
    const emptyBatch = await post(JSON.stringify({ signals: [] }));
    expect(emptyBatch.body.error).toContain('signals: Array must contain at least 1 element(s)');
    expect(await count('signals')).toBe(0);
  });

  it('without a secret answers 503 to everyone and logs why', async () => {
    await new Promise((resolve) => server.close(resolve));
    await start(undefined);
    expect(logs.map((l) => l.msg)).toContain(
      'SIGNALS_WEBHOOK_SECRET is not set: POST /signals refuses every request (503)',
    );
    const sent = await post(JSON.stringify(signal()));
    expect(sent).toEqual({
      status: 503,
      body: { error: 'the signals webhook is not configured: set SIGNALS_WEBHOOK_SECRET' },
    });
    expect(logs.at(-1)).toMatchObject({ msg: 'signals webhook refused a request', error: sent.body.error });
    expect(await count('signals')).toBe(0);
  });
});
