import { describe, expect, it } from 'vitest';
import { mergePolicy } from '../../src/config.ts';
import { describeRule, requiredEvidenceOf, requiredEvidenceRules } from '../../src/core/evidence/required.ts';
import { DEFAULT_POLICY as policy } from '../../src/core/policy/policy.ts';

const vendor = (tier: string, data: string[], regs: string[]) => ({
  tier,
  data_types: JSON.stringify(data),
  regulatory_scope: JSON.stringify(regs),
});

const doc = (type: string, issued: string | null, expires: string) => ({
  type,
  issued_on: issued,
  expires_on: expires,
});

describe('required evidence', () => {
  it('asks a PHI processor in GDPR and Part 11 scope for a BAA, a DPA, an attestation, SOC 2 or ISO and a pen test', () => {
    const rules = requiredEvidenceRules(policy, vendor('high', ['PHI', 'PII'], ['HIPAA', 'GDPR', '21 CFR Part 11']));
    expect(rules.map(describeRule)).toEqual([
      'HIPAA BAA (holds PHI)',
      'GDPR DPA (in GDPR scope)',
      'SOC 2 Type II or ISO 27001 (critical or high tier)',
      'Penetration test within 12 months (critical or high tier)',
      '21 CFR Part 11 / CSV attestation (in 21 CFR Part 11 scope)',
    ]);
    expect(requiredEvidenceRules(policy, vendor('low', ['none'], []))).toEqual([]);
  });

  it('counts a document only while it is unexpired and, for a pen test, issued within a year', () => {
    const rules = requiredEvidenceRules(policy, vendor('critical', [], []));
    const status = requiredEvidenceOf(
      rules,
      [doc('iso27001', '2025-01-01', '2026-06-01'), doc('pentest', '2025-05-01', '2026-12-01')],
      '2026-06-01',
    );
    // The ISO certificate expires today, so it no longer counts; the pen test is 13 months old.
    expect(status.map((s) => s.satisfiedBy)).toEqual([null, null]);
    const renewed = requiredEvidenceOf(
      rules,
      [doc('soc2_type2', null, '2027-01-01'), doc('pentest', '2026-01-10', '2027-01-10')],
      '2026-06-01',
    );
    expect(renewed.map((s) => s.satisfiedBy?.type)).toEqual(['soc2_type2', 'pentest']);
  });

  it('can be replaced from a policy file, and a wrong evidence type is an error', () => {
    const merged = mergePolicy(policy, {
      requiredEvidence: [{ when: { tiers: ['low'] }, anyOf: ['insurance'], maxAgeMonths: null, because: 'we say so' }],
    });
    expect(requiredEvidenceRules(merged, vendor('low', [], [])).map(describeRule)).toEqual([
      'Cyber insurance (we say so)',
    ]);
    expect(() =>
      mergePolicy(policy, { requiredEvidence: [{ anyOf: ['passport'], maxAgeMonths: null, because: 'x' }] }),
    ).toThrow(/anyOf must list evidence types/);
  });
});
