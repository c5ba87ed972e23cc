import { inflateRawSync, inflateSync, crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/chat/command.ts';
import { buildManifest, validateManifest } from '../../src/teams/manifest.ts';
import { buildTeamsPackage, ManifestError } from '../../src/teams/package.ts';

// The sideloadable Teams package, read back with an independent reader: the ZIP central directory,
// zlib's inflate and CRC-32, and the PNG chunk layout.

const BOT_ID = '0b1c2d3e-0000-4000-8000-0000000000ff';

function command(name: string, summary = `The ${name} command`): Command<null> {
  return { name, summary, usage: name, examples: [], parse: () => null, run: async () => ({ done: true }) };
}

const options = {
  botId: BOT_ID,
  version: '1.4.0',
  validDomains: ['bot.example.com'],
  developer: {
    name: 'Example Corp',
    websiteUrl: 'https://bot.example.com/',
    privacyUrl: 'https://bot.example.com/privacy',
    termsOfUseUrl: 'https://bot.example.com/terms',
  },
  registry: { commands: [command('posture', 'Show a vendor’s risk posture'), command('help', 'What I can do')] },
};

function unzip(data: Buffer): Map<string, Buffer> {
  const end = data.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = data.readUInt16LE(end + 10);
  let at = data.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(data.readUInt32LE(at)).toBe(0x02014b50);
    const crc = data.readUInt32LE(at + 16);
    const size = data.readUInt32LE(at + 20);
    const nameLength = data.readUInt16LE(at + 28);
    const local = data.readUInt32LE(at + 42);
    const name = data.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
    const content = inflateRawSync(data.subarray(start, start + size));
    expect(zlibCrc32(content)).toBe(crc);
    files.set(name, content);
    at += 46 + nameLength;
  }
  return files;
}

function readPng(png: Buffer): { width: number; height: number; pixel(x: number, y: number): number[] } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let at = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString('ascii');
    const body = png.subarray(at + 8, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length)).toBe(zlibCrc32(png.subarray(at + 4, at + 8 + length)));
    if (type === 'IHDR') [width, height] = [body.readUInt32BE(0), body.readUInt32BE(4)];
    if (type === 'IDAT') idat.push(body);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixel = (x: number, y: number) => [
    ...raw.subarray(y * (width * 4 + 1) + 1 + x * 4, y * (width * 4 + 1) + 5 + x * 4),
  ];
  return { width, height, pixel };
}

describe('the Teams app package', () => {
  const { zip, manifest } = buildTeamsPackage(options);
  const files = unzip(zip);

  it('holds a manifest of schema 1.19 for the bot, in personal, team and group chat scopes', () => {
    expect([...files.keys()]).toEqual(['manifest.json', 'color.png', 'outline.png']);
    const written = JSON.parse(files.get('manifest.json')?.toString('utf8') ?? '{}');
    expect(written).toEqual(manifest);
    expect(written).toMatchObject({
      manifestVersion: '1.19',
      id: BOT_ID,
      version: '1.4.0',
      validDomains: ['bot.example.com'],
    });
    expect(written.bots[0]).toMatchObject({ botId: BOT_ID, scopes: ['personal', 'team', 'groupChat'] });
  });

  it('lists the registry’s commands in the command menu, help first', () => {
    const commands = (manifest.bots as { commandLists: { commands: unknown[] }[] }[])[0]?.commandLists[0]?.commands;
    expect(commands).toEqual([
      { title: 'help', description: 'What I can do' },
      { title: 'posture', description: 'Show a vendor’s risk posture' },
    ]);
  });

  it('draws a 192x192 colour icon and a 32x32 white-on-transparent outline icon', () => {
    const color = readPng(files.get('color.png') ?? Buffer.alloc(0));
    expect([color.width, color.height]).toEqual([192, 192]);
    expect(color.pixel(0, 0)).toEqual([0x1f, 0x6f, 0x5c, 255]);
    expect(color.pixel(96, 50)).toEqual([255, 255, 255, 255]);
    const outline = readPng(files.get('outline.png') ?? Buffer.alloc(0));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    expect(outline.pixel(0, 0)[3]).toBe(0);
    const opaque = Array.from({ length: 32 * 32 }, (_, i) => outline.pixel(i % 32, Math.floor(i / 32))).filter(
      (p) => p[3] === 255,
    );
    expect(opaque.length).toBeGreaterThan(20);
    expect(opaque.every((p) => p[0] === 255 && p[1] === 255 && p[2] === 255)).toBe(true);
  });

  it('refuses a manifest the schema rejects, naming each problem', () => {
    const tooMany = { ...options, registry: { commands: [] }, botId: 'not-a-guid' };
    expect(() => buildTeamsPackage(tooMany)).toThrow(ManifestError);
    const problems = validateManifest({ ...buildManifest(options), accentColor: 'green', extra: true });
    expect(problems.join('\n')).toMatch(/accentColor does not match pattern/);
    expect(problems.join('\n')).toMatch(/not allowed to have the additional property "extra"/);
  });

  it('stamps every entry 1980-01-01 00:00, so the same inputs give the same bytes', () => {
    const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    let at = zip.readUInt32LE(end + 16);
    const stamps: number[][] = [];
    while (zip.readUInt32LE(at) === 0x02014b50) {
      stamps.push([zip.readUInt16LE(at + 12), zip.readUInt16LE(at + 14)]);
      at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    }
    expect(stamps).toEqual([
      [0, 0x21],
      [0, 0x21],
      [0, 0x21],
    ]);
    expect(buildTeamsPackage(options).zip.equals(zip)).toBe(true);
  });

  it('keeps the command menu within the ten commands a list may hold', () => {
    const many = { ...options, registry: { commands: Array.from({ length: 14 }, (_, i) => command(`c${i}`)) } };
    expect(validateManifest(buildManifest(many))).toEqual([]);
  });
});
