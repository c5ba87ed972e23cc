import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseAuditKey } from '../core/audit/key.ts';

// The playground keys its audit trail like a deployment does, with a key of its own generated on first
// run and kept beside its database (not in it), so `audit verify` on the playground database checks MACs.

export function playgroundAuditKey(databaseFile: string): Buffer {
  const file = `${databaseFile}.audit-key`;
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  const key = parseAuditKey(readFileSync(file, 'utf8'));
  if (typeof key === 'string') throw new Error(`the playground audit key ${file} ${key}; delete it to get a new one`);
  return key;
}
