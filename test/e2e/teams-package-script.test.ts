import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';

// The README's command, as written: `MICROSOFT_APP_ID=<app id> npm run teams:package -- --domain <host>`.
// Packaging puts only the bot's app id into the manifest, so no client secret may be required.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BOT_ID = '0b1c2d3e-0000-4000-8000-0000000000ff';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function teamsPackage(env: Record<string, string>, ...args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'teams-package-'));
  dirs.push(dir);
  const out = join(dir, 'app.zip');
  const run = spawnSync('npm', ['run', '--silent', 'teams:package', '--', ...args, '--out', out], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, ...env },
  });
  return { ...run, out };
}

describe('npm run teams:package', () => {
  it('writes the package with only MICROSOFT_APP_ID set, no password', () => {
    const run = teamsPackage({ MICROSOFT_APP_ID: BOT_ID }, '--domain', 'bot.example.com');
    expect(run.stderr).not.toMatch(/PASSWORD|TENANT/);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Wrote ${run.out}`);
    const files = unzipSync(readFileSync(run.out));
    expect(Object.keys(files)).toEqual(['manifest.json', 'color.png', 'outline.png']);
    const manifest = JSON.parse(strFromU8(files['manifest.json'] ?? new Uint8Array()));
    expect(manifest).toMatchObject({ id: BOT_ID, validDomains: ['bot.example.com'] });
    expect(manifest.bots[0].botId).toBe(BOT_ID);
  }, 60_000);

  it('says what is missing when there is no bot id or no domain', () => {
    const noId = teamsPackage({}, '--domain', 'bot.example.com');
    expect(noId.status).toBe(2);
    expect(noId.stderr).toContain('set MICROSOFT_APP_ID');
    const noDomain = teamsPackage({ MICROSOFT_APP_ID: BOT_ID });
    expect(noDomain.status).toBe(2);
    expect(noDomain.stderr).toContain('--domain');
  }, 60_000);
});
