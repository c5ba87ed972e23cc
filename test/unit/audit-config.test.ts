import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, complianceWarnings, loadConfig } from '../../src/config.ts';

const KEY = 'cd'.repeat(32);

describe('audit settings', () => {
  it('reads the key from AUDIT_KEY or from the file AUDIT_KEY_FILE names, and routes checkpoints to both platforms', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vendor-risk-audit-key-'));
    try {
      writeFileSync(join(dir, 'key'), `${Buffer.from(KEY, 'hex').toString('base64')}\n`);
      const fromFile = loadConfig({
        AUDIT_KEY_FILE: join(dir, 'key'),
        AUDIT_CHECKPOINT_FILE: join(dir, 'checkpoints.jsonl'),
        SLACK_AUDIT_CHANNEL: 'CAUDIT',
        TEAMS_AUDIT_CONVERSATION: '19:audit@thread.tacv2',
      });
      expect(fromFile.audit.key?.toString('hex')).toBe(KEY);
      expect(fromFile.audit.channels).toEqual(['slack:CAUDIT', 'teams:conv:19:audit@thread.tacv2']);
      expect(loadConfig({ AUDIT_KEY: KEY }).audit.key?.toString('hex')).toBe(KEY);
      expect(() => loadConfig({ AUDIT_KEY_FILE: join(dir, 'missing') })).toThrow(
        /AUDIT_KEY_FILE .* could not be read: ENOENT/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses both settings at once, and warns at start-up when the key or the checkpoints are missing', () => {
    expect(() => loadConfig({ AUDIT_KEY: KEY, AUDIT_KEY_FILE: '/etc/key' })).toThrow(ConfigError);
    const bare = complianceWarnings(loadConfig({}));
    expect(bare).toEqual([
      expect.stringContaining('AUDIT_KEY (or AUDIT_KEY_FILE) is not set'),
      expect.stringContaining('deleting the newest audit rows could not be detected'),
    ]);
    expect(complianceWarnings(loadConfig({ AUDIT_KEY: KEY, AUDIT_CHECKPOINT_FILE: 'c.jsonl' }))).toEqual([]);
  });
});
