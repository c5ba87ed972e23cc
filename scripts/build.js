#!/usr/bin/env node
// `npm run build`, also run by `npm ci` and `npm install` through `prepare`: compiles src/, commands/ and
// migrations/ to dist/ (tsc, relative imports rewritten from .ts to .js) and copies the data files beside
// them. The stamp dist/.built carries the time the build began; bin/entry.js runs dist/ only while no
// source is newer than it, so an edited checkout never runs stale output.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const dist = join(root, 'dist');
const began = new Date();

rmSync(join(dist, '.built'), { force: true });
for (const part of ['src', 'commands', 'migrations']) rmSync(join(dist, part), { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) {
  process.stderr.write('build failed: dist/ is incomplete and will not be used\n');
  process.exit(compiled.status ?? 1);
}

// Questionnaire, demo portfolio and the playground's browser files are read next to the code that uses them.
cpSync(join(root, 'src'), join(dist, 'src'), {
  recursive: true,
  filter: (path) => statSync(path).isDirectory() || !path.endsWith('.ts'),
});

// Each YAML data file also gets its parsed copy (src/core/common/yaml-data.ts), so a start parses no YAML.
const { parse: parseYaml } = createRequire(import.meta.url)('yaml');
for (const entry of readdirSync(join(dist, 'src'), { recursive: true, withFileTypes: true })) {
  if (!/\.ya?ml$/.test(entry.name)) continue;
  const file = join(entry.parentPath ?? entry.path, entry.name);
  writeFileSync(`${file}.json`, JSON.stringify(parseYaml(readFileSync(file, 'utf8'))));
}

mkdirSync(dist, { recursive: true });
writeFileSync(join(dist, '.built'), `${began.toISOString()}\n`);
utimesSync(join(dist, '.built'), began, began);
