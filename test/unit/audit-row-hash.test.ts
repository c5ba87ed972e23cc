import { describe, expect, it } from 'vitest';
import { hashAuditRow } from '../../src/core/audit/log.ts';
import { canonicalJson, sha256 } from '../../src/core/common/canonical.ts';

describe('audit row hash', () => {
  it('is the SHA-256 of the row’s canonical JSON, so rows written before it changed still verify', () => {
    const row = {
      seq: 42,
      at: '2026-06-01T09:00:00.000Z',
      actor_id: 'slack:U1',
      actor_name: 'Dana Analyst',
      action: 'vendor.update',
      entity_type: 'vendor',
      entity_id: '7',
      before: '{"tier":"low"}',
      after: null,
      reason: 'quarterly review',
      prev_hash: 'a'.repeat(64),
    };
    expect(hashAuditRow(row)).toBe(sha256(canonicalJson(row)));
    expect(hashAuditRow({ ...row, reason: 'quarterly review.' })).not.toBe(hashAuditRow(row));
  });
});
