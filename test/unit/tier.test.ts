import { describe, expect, it } from 'vitest';
import { deriveTier } from '../../src/core/vendors/tier.ts';

describe('deriveTier', () => {
  it.each([
    [['PHI'], 'low', 'critical'],
    [['PHI', 'PII'], 'medium', 'critical'],
    [['PII'], 'high', 'critical'],
    [['PII'], 'medium', 'high'],
    [['PII', 'confidential'], 'low', 'high'],
    [['confidential'], 'high', 'high'],
    [['confidential'], 'medium', 'medium'],
    [['none'], 'high', 'medium'],
    [[], 'high', 'medium'],
    [['none'], 'medium', 'low'],
    [[], 'low', 'low'],
  ] as const)('%j with %s criticality is %s', (dataTypes, criticality, tier) => {
    expect(deriveTier(dataTypes, criticality)).toBe(tier);
  });
});
