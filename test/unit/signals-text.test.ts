import { describe, expect, it } from 'vitest';
import { opensFinding, ratingOf, signalFindingText } from '../../src/core/signals/findings.ts';

const vendor = { name: 'Acme', dataTypes: ['PII'], regulatoryScope: ['GDPR', 'NIS2'] };

describe('signal findings', () => {
  it('opens findings at medium or above, and for ratings only at D or F', () => {
    expect(opensFinding({ kind: 'breach_report', severity: 'medium', details: {} })).toBe(true);
    expect(opensFinding({ kind: 'breach_report', severity: 'low', details: {} })).toBe(false);
    expect(opensFinding({ kind: 'rating_change', severity: 'critical', details: { rating: 'C' } })).toBe(false);
    expect(opensFinding({ kind: 'rating_change', severity: 'medium', details: { rating: 'd' } })).toBe(true);
    expect(opensFinding({ kind: 'rating_change', severity: 'low', details: { rating: 'F' } })).toBe(false);
    expect(ratingOf({ rating: 'Z' })).toBeNull();
  });

  it('names the clocks of the regulations in scope for a breach', () => {
    const { title, detail } = signalFindingText(
      {
        source: 'news',
        kind: 'breach_report',
        severity: 'high',
        summary: 'Ransomware at Acme',
        details: { records: 40000 },
      },
      vendor,
    );
    expect(title).toBe('Acme: reported security breach');
    expect(detail).toContain('news reported: Ransomware at Acme. Reported scale: 40000 records.');
    expect(detail).toContain('Acme handles our personal data (PII). Our data may be part of it: ask Acme today');
    expect(detail).toContain('72 hours to notify the supervisory authority');
    expect(detail).toContain('NIS2: early warning within 24 hours');
    expect(detail).not.toContain('HIPAA');
  });

  it('says what drifted and from what', () => {
    const { title, detail } = signalFindingText(
      {
        source: 'cspm',
        kind: 'config_drift',
        severity: 'medium',
        summary: 'Bucket policy changed',
        details: { resource: 's3://acme-exports', setting: 'public access block', expected: 'on', actual: 'off' },
      },
      vendor,
    );
    expect(title).toBe('Acme: configuration drift on s3://acme-exports');
    expect(detail).toContain('On s3://acme-exports, public access block changed from the agreed on to off.');
  });

  it('explains what a certificate problem exposes', () => {
    const { title, detail } = signalFindingText(
      {
        source: 'ct',
        kind: 'tls_certificate',
        severity: 'high',
        summary: 'Expired',
        details: { host: 'api.acme.example', issue: 'expired' },
      },
      vendor,
    );
    expect(title).toBe('Acme: TLS certificate problem on api.acme.example (expired)');
    expect(detail).toMatch(/read or alter\s+the traffic/);
  });
});
