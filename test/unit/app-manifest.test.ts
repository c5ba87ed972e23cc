import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument, type Scalar, type YAMLSeq } from 'yaml';
import { registry } from '../../commands/index.ts';
import { SLACK_COMMAND, SLACK_EVENTS_PATH } from '../../src/slack/app.ts';

// The Slack app manifest is imported by hand ("Create app from manifest"), so nothing else would
// notice it drifting: a subcommand missing from the usage hint, a scope added without a reason, or
// an endpoint the app does not serve. Limits are Slack's manifest limits.

const text = readFileSync(new URL('../../app-manifest.yml', import.meta.url), 'utf8');
const doc = parseDocument(text);
const manifest = doc.toJS() as {
  display_information: { name: string; description: string; long_description: string };
  features: {
    app_home: Record<string, boolean>;
    bot_user: { display_name: string; always_online: boolean };
    slash_commands: { command: string; url: string; description: string; usage_hint: string; should_escape: boolean }[];
  };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
  };
};

/** Least privilege: every bot scope the app holds, each for a reason the manifest states beside it. */
const JUSTIFIED_SCOPES = ['commands', 'chat:write', 'users:read', 'im:write'];

describe('Slack app manifest', () => {
  it('parses, and describes the app within Slack limits', () => {
    expect(doc.errors).toEqual([]);
    const info = manifest.display_information;
    expect(info.name.length).toBeLessThanOrEqual(35);
    expect(info.description.length).toBeLessThanOrEqual(140);
    expect(info.long_description.length).toBeGreaterThanOrEqual(175);
    expect(info.long_description.length).toBeLessThanOrEqual(4000);
    expect(manifest.features.bot_user.display_name).toMatch(/^[a-z0-9._-]{1,80}$/);
  });

  it('declares the /vendor command with escaping, and a usage hint naming every registered subcommand', () => {
    const [command, ...others] = manifest.features.slash_commands;
    expect(others).toEqual([]);
    expect(command?.command).toBe(SLACK_COMMAND);
    expect(command?.should_escape).toBe(true);
    expect(command?.description.trim()).not.toBe('');
    const hint = command?.usage_hint ?? '';
    expect(hint.length).toBeLessThanOrEqual(1000);
    const missing = registry.commands.map((c) => c.name).filter((name) => !new RegExp(`(^|\\| )${name}\\b`).test(hint));
    expect(missing).toEqual([]);
  });

  it('sends the command, interactivity and events to the one endpoint the app serves, over https', () => {
    const urls = [
      manifest.features.slash_commands[0]?.url,
      manifest.settings.interactivity.request_url,
      manifest.settings.event_subscriptions.request_url,
    ];
    for (const url of urls) {
      expect(url).toMatch(/^https:\/\//);
      expect(new URL(url ?? '').pathname).toBe(SLACK_EVENTS_PATH);
    }
    expect(new Set(urls.map((u) => new URL(u ?? '').host)).size).toBe(1);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened']);
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    expect(typeof manifest.settings.socket_mode_enabled).toBe('boolean');
  });

  it('asks for exactly the justified bot scopes, each with its reason beside it, and no user scopes', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(JUSTIFIED_SCOPES);
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
    const items = (doc.getIn(['oauth_config', 'scopes', 'bot'], true) as YAMLSeq<Scalar<string>>).items;
    const unexplained = items.filter((item) => (item.comment ?? '').trim().length < 10).map((item) => item.value);
    expect(unexplained).toEqual([]);
  });
});
