import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeTarget } from '../../src/exposure/probe.ts';
import { PROBES } from '../../src/exposure/probes/index.ts';
import {
  makeCertificates,
  type RunningServer,
  startPostgresWithPassword,
  startRedisWithPassword,
  startTlsServer,
  type TestCertificates,
} from '../support/exposure-servers.ts';
import {
  closedPort,
  closeServer,
  couchDbStandIn,
  elasticsearchStandIn,
  kibanaStandIn,
  mongodbStandIn,
  type StandIn,
  s3StandIn,
  trackSockets,
} from '../support/exposure-stand-ins.ts';

// Every probe against a real server on loopback: the machine's PostgreSQL (trust authentication) and
// Redis (no password) are the open ones; a throwaway PostgreSQL cluster and Redis that require a
// password are started here; the HTTP datastores and MongoDB are small stand-ins speaking their protocol.

const options = { timeoutMs: 5_000 };
const at = (port: number, extra: Partial<ProbeTarget> = {}): ProbeTarget => ({
  address: '127.0.0.1',
  port,
  hostname: '127.0.0.1',
  secure: false,
  path: '/',
  ...extra,
});

const started: { close?: () => Promise<void>; stop?: () => Promise<void> }[] = [];
afterAll(async () => {
  for (const s of started.reverse()) await (s.close ?? s.stop)?.();
});
async function keep<T extends StandIn | RunningServer>(server: Promise<T>): Promise<T> {
  const s = await server;
  started.push(s);
  return s;
}

describe('datastore probes', () => {
  it('PostgreSQL with trust authentication is open; with a password it is protected', async () => {
    const open = await PROBES.postgresql(at(5432), options);
    expect(open.access).toBe('open');
    expect(open.answered).toMatch(/startup accepted without a password/);
    const protectedPg = await keep(startPostgresWithPassword());
    const closed = await PROBES.postgresql(at(protectedPg.port), options);
    expect(closed).toMatchObject({ access: 'protected', reached: true, answered: 'the server asked for a password' });
  }, 60_000);

  it('Redis without requirepass is open; with it, NOAUTH is protected', async () => {
    const open = await PROBES.redis(at(6379), options);
    expect(open.access).toBe('open');
    expect(open.facts.product).toBe('Redis');
    const redis = await keep(startRedisWithPassword('x'));
    const closed = await PROBES.redis(at(redis.port), options);
    expect(closed).toMatchObject({ access: 'protected', answered: 'NOAUTH: a password is required' });
  });

  it('Elasticsearch and OpenSearch: open lists index names, protected answers 401', async () => {
    const es = await keep(elasticsearchStandIn(true));
    const open = await PROBES.elasticsearch(at(es.port), options);
    expect(open).toMatchObject({ access: 'open', facts: { product: 'Elasticsearch', indices: 2 } });
    expect(es.asked).toEqual(['GET /', 'GET /_cat/indices?h=index']);
    expect(es.connections).toBe(1);
    const os = await keep(elasticsearchStandIn(true, 'opensearch'));
    expect((await PROBES.opensearch(at(os.port), options)).facts.product).toBe('OpenSearch');
    const locked = await keep(elasticsearchStandIn(false));
    const closed = await PROBES.elasticsearch(at(locked.port), options);
    expect(closed.access).toBe('protected');
    expect(locked.asked).toEqual(['GET /']);
  });

  it('MongoDB: listDatabases without credentials is open; Unauthorized is protected', async () => {
    const mongo = await keep(mongodbStandIn(true));
    const open = await PROBES.mongodb(at(mongo.port), options);
    expect(open).toMatchObject({ access: 'open', facts: { databases: 2, databaseNames: 'clinical, billing' } });
    expect(mongo.asked).toEqual(['hello', 'listDatabases']);
    expect(mongo.connections).toBe(1);
    const locked = await keep(mongodbStandIn(false));
    const closed = await PROBES.mongodb(at(locked.port), options);
    expect(closed).toMatchObject({ access: 'protected', answered: 'listDatabases refused: Unauthorized' });
  });

  it('CouchDB, S3 and Kibana: open and protected', async () => {
    const couchOpen = await keep(couchDbStandIn(true));
    expect(await PROBES.couchdb(at(couchOpen.port), options)).toMatchObject({
      access: 'open',
      facts: { databases: 2 },
    });
    const couchShut = await keep(couchDbStandIn(false));
    expect((await PROBES.couchdb(at(couchShut.port), options)).access).toBe('protected');

    const bucket = await keep(s3StandIn(true));
    const listed = await PROBES.s3(at(bucket.port, { path: '/trial-exports' }), options);
    expect(listed).toMatchObject({ access: 'open', facts: { bucket: 'trial-exports', objectsOnFirstPage: 2 } });
    expect(bucket.asked).toEqual(['GET /trial-exports/?max-keys=100']);
    const privateBucket = await keep(s3StandIn(false));
    expect((await PROBES.s3(at(privateBucket.port, { path: '/trial-exports' }), options)).access).toBe('protected');

    const kibana = await keep(kibanaStandIn(true));
    expect((await PROBES.kibana(at(kibana.port), options)).access).toBe('open');
    const kibanaShut = await keep(kibanaStandIn(false));
    expect((await PROBES.kibana(at(kibanaShut.port), options)).access).toBe('protected');
  });

  it('nothing listening: every probe reports not reached, never open', async () => {
    const port = await closedPort();
    for (const probe of Object.values(PROBES)) {
      const seen = await probe(at(port), options);
      expect(seen.reached).toBe(false);
      expect(seen.access).toBe('unknown');
      expect(seen.answered).toMatch(/ECONNREFUSED/);
    }
  });

  it('a server that never answers is given up on at the deadline', async () => {
    const silent = trackSockets(createServer(() => undefined));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    started.push({ close: () => closeServer(silent) });
    const port = (silent.address() as { port: number }).port;
    const seen = await PROBES.mongodb(at(port), { timeoutMs: 300 });
    expect(seen).toMatchObject({ reached: false, access: 'unknown' });
    expect(seen.answered).toMatch(/ETIMEDOUT/);
  });
});

describe('TLS probe', () => {
  let certs: TestCertificates;
  beforeAll(async () => {
    certs = await makeCertificates(new Date());
  }, 60_000);
  const tlsAt = (port: number, hostname = 'localhost') => at(port, { hostname, secure: true });

  it('a certificate from a trusted CA for this host is trusted and matches', async () => {
    const server = await keep(startTlsServer(certs.valid));
    const seen = await PROBES.tls(tlsAt(server.port), { ...options, ca: [certs.ca] });
    expect(seen.tls).toMatchObject({ trusted: true, hostMatches: true, selfSigned: false, verifyError: null });
    expect(seen.tls?.protocol).toBe('TLSv1.3');
  });

  it('describes an expired, a self-signed and a wrongly named certificate', async () => {
    const expired = await keep(startTlsServer(certs.expired));
    const e = await PROBES.tls(tlsAt(expired.port), { ...options, ca: [certs.ca] });
    expect(e.tls).toMatchObject({ trusted: false, verifyError: 'CERT_HAS_EXPIRED' });
    expect(new Date(e.tls?.validTo ?? '').getTime()).toBeLessThan(Date.now());

    const self = await keep(startTlsServer(certs.selfSigned));
    expect((await PROBES.tls(tlsAt(self.port), { ...options, ca: [certs.ca] })).tls).toMatchObject({
      selfSigned: true,
      trusted: false,
    });

    const other = await keep(startTlsServer(certs.otherHost));
    expect((await PROBES.tls(tlsAt(other.port), { ...options, ca: [certs.ca] })).tls).toMatchObject({
      trusted: true,
      hostMatches: false,
    });
  });

  it('reports the protocol of a server that offers nothing above TLS 1.1', async () => {
    const old = await keep(startTlsServer(certs.valid, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1' }));
    const seen = await PROBES.tls(tlsAt(old.port), { ...options, ca: [certs.ca] });
    expect(seen.tls?.protocol).toBe('TLSv1.1');
  });
});
