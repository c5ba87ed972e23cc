import { createHmac, timingSafeEqual } from 'node:crypto';

// The audit key: a secret kept outside the database (AUDIT_KEY or AUDIT_KEY_FILE, read by config.ts)
// that MACs every audit row and every checkpoint. Whoever can write the database file can recompute a
// plain SHA-256 chain; without this key they cannot recompute the MACs, so a rewrite shows up.
//
// Every audit append needs it, and appends happen deep inside the domain, so the composition roots
// (the bot, the CLI, the playground, the test store) install it once at start-up with `useAuditKey`.

let active: Buffer | null = null;

/** Installs the key for this process; `null` writes rows unkeyed (start-up warns about that). */
export function useAuditKey(key: Buffer | null): void {
  active = key && key.length > 0 ? Buffer.from(key) : null;
}

export function auditKey(): Buffer | null {
  return active;
}

/** HMAC-SHA256 of `text` under `key`, hex. */
export function mac(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}

export function sameMac(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The smallest key we accept: 32 bytes, as `openssl rand -hex 32` gives (64 hex characters). */
export const MIN_AUDIT_KEY_BYTES = 32;

/** A key as written in AUDIT_KEY or its file: 64+ hex characters, or base64 of 32+ bytes. */
export function parseAuditKey(text: string): Buffer | string {
  const t = text.trim();
  const bytes = /^[0-9a-fA-F]+$/.test(t) && t.length % 2 === 0 ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (bytes.length < MIN_AUDIT_KEY_BYTES) {
    return `must be at least ${MIN_AUDIT_KEY_BYTES} random bytes, hex or base64 (e.g. openssl rand -hex 32)`;
  }
  return bytes;
}
