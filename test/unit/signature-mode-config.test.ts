import { describe, expect, it } from 'vitest';
import { ConfigError, complianceWarnings, loadConfig } from '../../src/config.ts';

const KEY = 'a'.repeat(64);
const STRONG = { AUDIT_KEY: KEY, AUDIT_CHECKPOINT_FILE: 'c.jsonl' };

describe('SIGNATURE_MODE', () => {
  it('signs with a PIN by default and warns at start-up when chat identity alone is chosen', () => {
    expect(loadConfig(STRONG).signatureMode).toBe('pin');
    expect(complianceWarnings(loadConfig(STRONG))).toEqual([]);
    const weak = loadConfig({ ...STRONG, SIGNATURE_MODE: 'chat-identity' });
    expect(weak.signatureMode).toBe('chat-identity');
    expect(complianceWarnings(weak)).toEqual([expect.stringContaining('does not meet 21 CFR 11.200(a)(1)')]);
    expect(() => loadConfig({ SIGNATURE_MODE: 'password' })).toThrow(ConfigError);
  });
});
