import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');
}

function violations(dir: string, forbidden: RegExp): string[] {
  return sources(dir).flatMap((file) =>
    imports(file)
      .filter((spec) => forbidden.test(spec.startsWith('.') ? relative(root, join(root, file, '..', spec)) : spec))
      .map((spec) => `${file} imports ${spec}`),
  );
}

describe('dependencies point inward', () => {
  it('the domain core imports no chat code, chat SDK, delivery or bottleneck', () => {
    expect(
      violations(
        'src/core',
        /^(src\/(chat|slack|teams|delivery|scheduler|playground|cli)\/|@slack\/|@microsoft\/|botbuilder|bottleneck|commands\/)/,
      ),
    ).toEqual([]);
  });

  it('commands use only the core and the neutral chat contract', () => {
    expect(
      violations(
        'commands',
        /^(src\/(slack|teams|delivery|playground|cli)\/|@slack\/|@microsoft\/|botbuilder|bottleneck)/,
      ),
    ).toEqual([]);
  });

  it('the neutral chat contract knows no platform', () => {
    expect(
      violations('src/chat', /^(src\/(slack|teams|delivery|playground)\/|@slack\/|@microsoft\/|botbuilder|bottleneck)/),
    ).toEqual([]);
  });

  it('only config.ts reads process.env', () => {
    const readers = [...sources('src'), ...sources('commands')].filter(
      (file) =>
        file !== 'src/config.ts' &&
        file !== 'src/cli/io.ts' &&
        /process\.env/.test(readFileSync(join(root, file), 'utf8')),
    );
    expect(readers).toEqual([]);
  });
});
