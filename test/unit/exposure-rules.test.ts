import { describe, expect, it } from 'vitest';
import { isNonPublicAddress, vetAddresses } from '../../src/core/exposure/addresses.ts';
import { judge } from '../../src/core/exposure/judge.ts';
import type { Observation, TlsFacts } from '../../src/core/exposure/observation.ts';
import { nextCheckAt, slotMinute } from '../../src/core/exposure/schedule.ts';
import { exposureLine } from '../../src/core/exposure/summary.ts';
import { parseTarget } from '../../src/core/exposure/targets.ts';
import { DEFAULT_POLICY } from '../../src/core/policy/policy.ts';

describe('declared targets', () => {
  it('implies the kind of check from a well-known port or https', () => {
    expect(parseTarget('search.acme.example:9200')).toMatchObject({
      kind: 'elasticsearch',
      port: 9200,
      secure: false,
      canonical: 'http://search.acme.example:9200',
    });
    expect(parseTarget('db.acme.example:5432')).toMatchObject({
      kind: 'postgresql',
      canonical: 'db.acme.example:5432',
    });
    expect(parseTarget('https://portal.acme.example/')).toMatchObject({
      kind: 'tls',
      port: 443,
      canonical: 'https://portal.acme.example',
    });
  });

  it('takes a named kind, its default port, and a bucket path for S3', () => {
    expect(parseTarget('cache.acme.example', 'redis')).toMatchObject({
      port: 6379,
      canonical: 'cache.acme.example:6379',
    });
    expect(parseTarget('https://files.acme.example/trial-exports/', 's3')).toMatchObject({
      path: '/trial-exports',
      secure: true,
      canonical: 'https://files.acme.example/trial-exports',
    });
    expect(parseTarget('[2001:db8::1]:27017').canonical).toBe('[2001:db8::1]:27017');
  });

  it('refuses what cannot be checked, saying why', () => {
    expect(() => parseTarget('files.acme.example')).toThrow(/Say what runs/);
    expect(() => parseTarget('db.acme.example:5432', 'oracle')).toThrow(/not a kind of check/);
    expect(() => parseTarget('https://user:pw@acme.example')).toThrow(/credentials/);
    expect(() => parseTarget('not a host')).toThrow(/not a host/);
  });
});

describe('addresses a check may connect to', () => {
  it('knows loopback, private, link-local and mapped addresses from public ones', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:10.0.0.1',
    ]) {
      expect(isNonPublicAddress(a), a).toBe(true);
    }
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700::1111']) expect(isNonPublicAddress(a), a).toBe(false);
  });

  it('refuses a name when any address it resolves to is private, unless private checks are allowed', () => {
    expect(vetAddresses('x.example', ['93.184.216.34', '10.0.0.5'], false)).toEqual({
      refused: expect.stringMatching(/10\.0\.0\.5, a private/),
    });
    expect(vetAddresses('x.example', ['127.0.0.1'], true)).toEqual({ address: '127.0.0.1' });
    expect(vetAddresses('x.example', [], true)).toEqual({ refused: 'x.example did not resolve to any address' });
  });
});

const now = new Date('2026-06-01T00:00:00Z');
const at = { host: 'portal.acme.example', port: 443 };
const datastore = (access: Observation['access']): Observation => ({
  check: 'redis',
  asked: 'PING',
  answered: 'PONG',
  reached: access !== 'unknown',
  access,
  facts: { product: 'Redis' },
});
const tls = (facts: Partial<TlsFacts>): Observation => ({
  check: 'tls',
  asked: 'handshake',
  answered: 'ok',
  reached: true,
  access: 'unknown',
  facts: {},
  tls: {
    protocol: 'TLSv1.3',
    subject: 'CN=portal.acme.example',
    issuer: 'CN=CA',
    validFrom: '2026-01-01T00:00:00.000Z',
    validTo: '2026-12-01T00:00:00.000Z',
    selfSigned: false,
    hostMatches: true,
    trusted: true,
    verifyError: null,
    ...facts,
  },
});

describe('judging what a probe saw', () => {
  it('open is a critical exposed datastore; protected passes; no answer is "could not check"', () => {
    const open = judge(datastore('open'), { host: 'cache.acme.example', port: 6379 }, now, 30);
    expect(open.outcome).toBe('exposed');
    expect(open.problems).toEqual([
      expect.objectContaining({ issue: 'unauthenticated', severity: 'critical', signalKind: 'exposed_datastore' }),
    ]);
    expect(judge(datastore('protected'), at, now, 30)).toEqual({ outcome: 'passed', problems: [] });
    expect(judge(datastore('unknown'), at, now, 30)).toEqual({ outcome: 'could_not_check', problems: [] });
  });

  it('a good certificate passes; each TLS problem is named with its severity', () => {
    expect(judge(tls({}), at, now, 30).outcome).toBe('passed');
    const issues = (o: Observation) => judge(o, at, now, 30).problems.map((p) => `${p.issue}:${p.severity}`);
    expect(
      issues(tls({ validTo: '2026-05-01T00:00:00.000Z', trusted: false, verifyError: 'CERT_HAS_EXPIRED' })),
    ).toEqual(['certificate_expired:high']);
    expect(issues(tls({ validTo: '2026-06-20T00:00:00.000Z' }))).toEqual(['certificate_expiring:medium']);
    expect(issues(tls({ hostMatches: false }))).toEqual(['hostname_mismatch:high']);
    expect(issues(tls({ selfSigned: true, trusted: false, verifyError: 'DEPTH_ZERO_SELF_SIGNED_CERT' }))).toEqual([
      'self_signed:high',
    ]);
    expect(issues(tls({ protocol: 'TLSv1.1' }))).toEqual(['old_tls:medium']);
    expect(judge({ ...tls({}), reached: false, tls: undefined }, at, now, 30).outcome).toBe('could_not_check');
  });
});

describe('when assets are checked', () => {
  it('by tier: critical daily, high weekly, others monthly, at a minute of the day fixed per asset', () => {
    const last = '2026-06-01T10:00:00.000Z';
    const day = (tier: 'critical' | 'high' | 'medium' | 'low') =>
      nextCheckAt(5, tier, last, DEFAULT_POLICY)?.toISOString().slice(0, 10);
    expect([day('critical'), day('high'), day('medium'), day('low')]).toEqual([
      '2026-06-02',
      '2026-06-08',
      '2026-07-01',
      '2026-07-01',
    ]);
    expect(nextCheckAt(5, 'critical', null, DEFAULT_POLICY)).toBeNull();
    const minutes = new Set(Array.from({ length: 100 }, (_, i) => slotMinute(i + 1)));
    expect(minutes.size).toBe(100);
  });

  it('sums the evidence of checks up for the posture', () => {
    const now = new Date('2026-06-01T12:00:00Z');
    expect(exposureLine({ assets: 3, exposed: 0, unchecked: 0, lastCheckedAt: '2026-06-01T10:00:00Z' }, now)).toBe(
      'Exposure checks: last checked 2 h ago: 3 assets, 0 exposed',
    );
    expect(exposureLine({ assets: 1, exposed: 1, unchecked: 0, lastCheckedAt: null }, now)).toBe(
      'Exposure checks: not checked yet: 1 asset, 1 exposed',
    );
  });
});
