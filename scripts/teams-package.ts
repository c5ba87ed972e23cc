// Writes the sideloadable Teams app package (manifest.json, color.png, outline.png in one zip):
//
//   npm run teams:package -- --domain bot.example.com [--out dist/vendor-risk-teams.zip]
//       [--bot-id <MICROSOFT_APP_ID>] [--app-id <teams app guid>] [--version 1.2.0]
//       [--developer "Example Corp"] [--website https://…] [--privacy https://…] [--terms https://…]
//
// The bot id comes from MICROSOFT_APP_ID unless --bot-id is given (no secret is needed to package);
// the command menu comes from the command registry (commands/index.ts, export `registry`).

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Registry } from '../src/chat/command.ts';
import { teamsBotIdFrom } from '../src/config.ts';
import { buildTeamsPackage, ManifestError } from '../src/teams/package.ts';

const root = new URL('../', import.meta.url);

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      domain: { type: 'string', multiple: true, default: [] },
      out: { type: 'string', default: 'dist/vendor-risk-teams.zip' },
      'bot-id': { type: 'string' },
      'app-id': { type: 'string' },
      version: { type: 'string' },
      developer: { type: 'string', default: 'Vendor Risk' },
      website: { type: 'string' },
      privacy: { type: 'string' },
      terms: { type: 'string' },
    },
  });
  // Only the bot's app id goes into the package: no secret is needed, so none is asked for.
  const botId = values['bot-id'] ?? teamsBotIdFrom();
  if (!botId) {
    console.error("No bot id: set MICROSOFT_APP_ID (the bot registration's app id) or pass --bot-id.");
    return 2;
  }
  const domains = values.domain ?? [];
  const host = domains[0];
  if (!host) {
    console.error("Name the bot's public host with --domain (e.g. --domain bot.example.com).");
    return 2;
  }
  const site = values.website ?? `https://${host}/`;
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string };
  const { registry } = (await import(new URL('commands/index.ts', root).href)) as { registry?: Registry };
  if (!registry?.commands) {
    console.error('commands/index.ts exports no `registry`: the command menu cannot be built.');
    return 2;
  }
  try {
    const { zip } = buildTeamsPackage({
      botId,
      ...(values['app-id'] ? { appId: values['app-id'] } : {}),
      version: values.version ?? pkg.version,
      validDomains: domains,
      developer: {
        name: values.developer ?? 'Vendor Risk',
        websiteUrl: site,
        privacyUrl: values.privacy ?? new URL('privacy', site).href,
        termsOfUseUrl: values.terms ?? new URL('terms', site).href,
      },
      registry,
    });
    const out = resolve(values.out ?? 'dist/vendor-risk-teams.zip');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, zip);
    console.log(`Wrote ${out} (${zip.length} bytes). Upload it in Teams: Apps > Manage your apps > Upload an app.`);
    return 0;
  } catch (error) {
    if (error instanceof ManifestError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main();
