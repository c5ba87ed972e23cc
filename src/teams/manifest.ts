import { readFileSync } from 'node:fs';
import { Validator } from 'jsonschema';
import type { Registry } from '../chat/command.ts';
import { ACCENT } from './icons.ts';

// The Teams app manifest, built from the command registry so the command menu Teams shows cannot
// drift from what the bot understands. Checked against a copy of the relevant part of Microsoft's
// published v1.19 schema (teams-package/manifest.schema.json names its source): no installed package
// ships the Teams manifest schema, and the zip must not be handed to an admin only to be refused.

export const MANIFEST_VERSION = '1.19';
const SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;
const SCHEMA_FILE = new URL('../../teams-package/manifest.schema.json', import.meta.url);
/** v1.19 allows 10 commands in a command list. */
export const MAX_COMMANDS = 10;

export interface ManifestOptions {
  /** The Entra app id of the bot registration (MICROSOFT_APP_ID). */
  botId: string;
  /** The Teams app's own id; the bot id unless given. */
  appId?: string;
  /** Semantic version of the app package; bump it for every upload. */
  version: string;
  /** Host names the app may open (the bot's public host first). */
  validDomains: string[];
  developer: { name: string; websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
  registry: Pick<Registry, 'commands'>;
}

export type Manifest = Record<string, unknown>;

export function buildManifest(options: ManifestOptions): Manifest {
  const scopes = ['personal', 'team', 'groupChat'];
  return {
    $schema: SCHEMA_URL,
    manifestVersion: MANIFEST_VERSION,
    version: options.version,
    id: options.appId ?? options.botId,
    developer: options.developer,
    name: { short: 'Vendor Risk', full: 'Vendor Risk Reviews' },
    description: {
      short: 'Vendor risk reviews, findings and approvals in Teams.',
      full:
        'Look up a vendor’s risk posture, work findings, answer reassessments and approve risk decisions ' +
        'without leaving Teams. Every change is recorded in an audit trail. Type "help" to the bot to start.',
    },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: ACCENT.hex,
    bots: [
      {
        botId: options.botId,
        scopes,
        isNotificationOnly: false,
        supportsFiles: false,
        commandLists: [{ scopes, commands: commandList(options.registry) }],
      },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: options.validDomains,
  };
}

/** The command menu: `help` first, then the registry's order, as many as a list may hold. */
export function commandList(registry: Pick<Registry, 'commands'>): { title: string; description: string }[] {
  const ordered = [...registry.commands].sort((a, b) => Number(b.name === 'help') - Number(a.name === 'help'));
  return ordered.slice(0, MAX_COMMANDS).map((c) => ({
    title: c.name.slice(0, 32),
    description: (c.summary || c.usage).slice(0, 128),
  }));
}

/** Every way the manifest breaks the schema, one line each; empty when it is valid. */
export function validateManifest(manifest: Manifest): string[] {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
  const result = new Validator().validate(manifest, schema);
  return result.errors.map((e) => `${e.property.replace(/^instance\.?/, '') || '(manifest)'} ${e.message}`);
}
