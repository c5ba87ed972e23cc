import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, mergePolicy } from '../../src/config.ts';
import { DEFAULT_POLICY } from '../../src/core/policy/policy.ts';
import { bindHost } from '../../src/main.ts';

describe('configuration', () => {
  it('starts with no platform when no credentials are set (the playground case)', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, slack: null, teams: null, timeZone: 'UTC' });
  });

  it('names every missing or malformed setting, one line each', () => {
    try {
      loadConfig({ SLACK_BOT_TOKEN: 'xoxp-user-token', PORT: 'eighty', BOT_TIMEZONE: 'Mars/Olympus' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/SLACK_BOT_TOKEN must be a bot token/);
      expect(problems).toMatch(/BOT_TIMEZONE is not an IANA time zone/);
    }
  });

  it('requires the signing secret with a bot token', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_SIGNING_SECRET is missing/);
  });

  it('refuses an anonymous Teams bot unless the development flag is set', () => {
    expect(() => loadConfig({ TEAMS_ALLOW_ANONYMOUS_DEV: 'false', MICROSOFT_APP_PASSWORD: 'x' })).toThrow(
      /MICROSOFT_APP_ID is missing/,
    );
    expect(loadConfig({ TEAMS_ALLOW_ANONYMOUS_DEV: 'true' }).teams).toMatchObject({
      appId: '',
      allowAnonymousDev: true,
    });
  });

  it('refuses Teams anonymous dev mode beside any live credential, naming them', () => {
    expect(() =>
      loadConfig({ TEAMS_ALLOW_ANONYMOUS_DEV: 'true', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }),
    ).toThrow(/may not run beside SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET/);
    expect(() => loadConfig({ TEAMS_ALLOW_ANONYMOUS_DEV: 'true', SIGNALS_WEBHOOK_SECRET: 'whsec_x' })).toThrow(
      /SIGNALS_WEBHOOK_SECRET/,
    );
  });

  it('binds anonymous dev mode to loopback only, and leaves authenticated bots where they were asked', () => {
    const anonymous = loadConfig({ TEAMS_ALLOW_ANONYMOUS_DEV: 'true' });
    expect(bindHost(anonymous, undefined)).toBe('127.0.0.1');
    expect(bindHost(anonymous, '::1')).toBe('::1');
    expect(() => bindHost(anonymous, '0.0.0.0')).toThrow(/loopback only, not on 0\.0\.0\.0/);
    const live = loadConfig({ MICROSOFT_APP_ID: 'a', MICROSOFT_APP_PASSWORD: 'p', MICROSOFT_APP_TENANT_ID: 't' });
    expect(bindHost(live, undefined)).toBeUndefined();
    expect(bindHost(live, '0.0.0.0')).toBe('0.0.0.0');
  });

  it('overrides policy numbers key by key and rejects unknown keys', () => {
    const merged = mergePolicy(DEFAULT_POLICY, { reassessmentMonths: { critical: 3 } });
    expect(merged.reassessmentMonths).toEqual({ ...DEFAULT_POLICY.reassessmentMonths, critical: 3 });
    expect(() => mergePolicy(DEFAULT_POLICY, { reassesmentMonths: {} })).toThrow(/not a policy setting/);
    expect(() => mergePolicy(DEFAULT_POLICY, { findingSlaDays: { critical: 'soon' } })).toThrow(/number/);
  });
});
