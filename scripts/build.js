#!/usr/bin/env node
// `npm run build`, also run by `npm ci` and `npm install` through `prepare`: bundles src/, commands/,
// migrations/ and the JavaScript packages they import into a few ES modules in dist/bundle/ (esbuild),
// and copies the data files to dist/src/. One bundle instead of ~1,000 modules is most of a fast start:
// resolving, reading and linking each module file cost more CPU than running the code in them.
// The stamp dist/.built carries the time the build began; bin/entry.js runs dist/ only while no source is
// newer than it, so an edited checkout never runs stale output. Type checking is `npm run typecheck`.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_DIR, BUNDLES } from '../bin/entry.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const dist = join(root, 'dist');
const bundle = join(root, BUNDLE_DIR);
const began = new Date();

// Loaded from node_modules at run time, as they ship: the native SQLite driver; packages that find files
// of their own beside their code (ioredis reads its package.json; the Teams SDKs' Azure identity opens a
// browser with a script it ships) or load drivers by name (pg, pg-native); and `yaml`, required by name
// only when a YAML file is newer than its parsed copy (src/core/common/yaml-data.ts). None of them is on
// the path of a Slack bot's start or of the CLI's help.
const EXTERNAL = ['better-sqlite3', 'pg', 'pg-native', 'ioredis', 'botbuilder', '@microsoft/teams-ai', 'yaml'];

rmSync(join(dist, '.built'), { force: true });
// commands/ and migrations/ are what earlier builds compiled module by module; dist/ also holds the Teams package.
for (const part of ['bundle', 'src', 'commands', 'migrations'])
  rmSync(join(dist, part), { recursive: true, force: true });

// Our modules locate their data files (questionnaire, playbooks, demo portfolio, playground files) from
// `import.meta.url`. In a bundle that would be the bundle's URL, so each is rewritten to the URL the module
// has under dist/, where the data files are copied below.
const ownFiles = new RegExp(`^${escapeRegExp(root)}(src|commands|migrations)\\${sep}.*\\.ts$`);
const moduleUrls = (format) => ({
  name: 'module-urls',
  setup(esbuild) {
    const bundleUrl = format === 'cjs' ? 'require("node:url").pathToFileURL(__filename)' : 'import.meta.url';
    esbuild.onLoad({ filter: ownFiles }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const compiled = relative(bundle, join(dist, relative(root, args.path))).replace(/\.ts$/, '.js');
      const url = `new URL(${JSON.stringify(compiled.split(sep).join('/'))}, ${bundleUrl}).href`;
      return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
});

// Package code a Slack bot over HTTP never runs, left out of the bundle and required from node_modules the
// first time it is used: the WebSocket client (undici) of Socket Mode, Bolt's OAuth installer (with its JWT
// and semver code) and iconv-lite's tables of legacy charsets. Every module loaded at start costs compile
// time in proportion to its size, and these three were a third of the bundle a Slack start loaded. Where the
// package requires one at load, the binding becomes a proxy that requires it on first property access.
const LAZY = [
  { importer: /node_modules\/@slack\/socket-mode\/dist\/src\/[^/]+\.js$/, request: 'undici', atLoad: true },
  { importer: /node_modules\/@slack\/bolt\/dist\/(receivers\/)?[^/]+\.js$/, request: '@slack/oauth', atLoad: true },
  { importer: /node_modules\/iconv-lite\/lib\/index\.js$/, request: '../encodings', atLoad: false },
];
const lazyRequires = {
  name: 'lazy-requires',
  setup(esbuild) {
    for (const lazy of LAZY) {
      const request = new RegExp(`^${escapeRegExp(lazy.request)}$`);
      esbuild.onResolve({ filter: request }, async (args) => {
        if (!lazy.importer.test(args.importer) || args.pluginData === 'lazy') return undefined;
        const resolved = await esbuild.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          pluginData: 'lazy',
        });
        if (resolved.errors.length) return { errors: resolved.errors };
        // Relative to the bundle's folder, where the banner's `require` resolves from.
        const path = relative(bundle, resolved.path).split(sep).join('/');
        return { path: path.startsWith('.') ? path : `./${path}`, external: true };
      });
      if (!lazy.atLoad) continue;
      const binding = new RegExp(`(?:const|var|let) (\\w+) = require\\("${escapeRegExp(lazy.request)}"\\);`, 'g');
      esbuild.onLoad({ filter: lazy.importer }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!binding.test(source)) return undefined;
        const contents = source.replace(
          binding,
          (_, name) =>
            `let ${name}$loaded; const ${name} = new Proxy({}, { get: (_, key) => (${name}$loaded ??= require("${lazy.request}"))[key] });`,
        );
        return { contents, loader: 'js' };
      });
    }
  },
};

const common = {
  absWorkingDir: root,
  outdir: bundle,
  bundle: true,
  platform: 'node',
  target: 'node20.11',
  external: EXTERNAL,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
};
const entries = (sources) => sources.map((source) => ({ in: source, out: BUNDLES[source].replace(/\.c?js$/, '') }));
const results = await Promise.all([
  // The bot: one CommonJS file, so everything it may need is one file to read and compile. What it imports
  // on demand (the Slack or Teams adapter, the playground) is in it too but runs only when imported, and
  // the packages it leaves out are required only then (an ES module would import them all at start).
  build({
    ...common,
    entryPoints: entries(['src/main.ts', 'src/config.ts']),
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    plugins: [moduleUrls('cjs'), lazyRequires],
  }),
  // The CLI: each verb, with the libraries only it uses, in chunks of its own, so `--help` loads commander
  // and nothing else.
  build({
    ...common,
    entryPoints: entries(['src/cli/main.ts']),
    format: 'esm',
    splitting: true,
    chunkNames: 'cli-[hash]',
    // CommonJS packages inside an ES module still find `require` (for node: built-ins and the externals).
    banner: {
      js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
    },
    plugins: [moduleUrls('esm'), lazyRequires],
  }),
]).catch(() => null);
if (!results || results.some((result) => result.errors.length)) {
  process.stderr.write('build failed: dist/ is incomplete and will not be used\n');
  process.exit(1);
}

// Questionnaire, demo portfolio, playbooks and the playground's browser files, where the bundle looks.
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

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
