import { randomBytes } from 'node:crypto';
import { useAuditKey } from '../../src/core/audit/key.ts';

/** Each test process keys its audit rows with a fresh random key, as a deployment keys them with AUDIT_KEY. */
export const TEST_AUDIT_KEY_HEX = randomBytes(32).toString('hex');
export const TEST_AUDIT_KEY = Buffer.from(TEST_AUDIT_KEY_HEX, 'hex');

export function useTestAuditKey(): void {
  useAuditKey(TEST_AUDIT_KEY);
}
