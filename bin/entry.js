// Where bin/* load the program from: the bundle in dist/ (built by `npm ci` through `prepare`, or
// `npm run build`) when it is at least as new as every source file, otherwise the TypeScript sources
// through tsx. A checkout that was edited, pulled or switched after its last build therefore still runs
// exactly its sources, only slower to start; production installs run dist/. VENDOR_RISK_RUN=sources
// runs the sources whatever the state of dist/ (tests that look at which modules a process loads).
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const STAMP = join(ROOT, 'dist', '.built');
const SOURCES = ['src', 'commands', 'migrations'];
const CONFIGS = ['tsconfig.json'];

/**
 * The bundles scripts/build.js writes to BUNDLE_DIR, by the source they start from: the bot (and its
 * configuration, which bench/startup.ts starts it with) as CommonJS, the CLI as an ES module with chunks.
 */
export const BUNDLE_DIR = 'dist/bundle';
export const BUNDLES = { 'src/main.ts': 'bot.cjs', 'src/config.ts': 'config.cjs', 'src/cli/main.ts': 'cli.js' };

/** Newest modification time under `dir`; 0 when it is absent (an image may ship dist/ without sources). */
function newestIn(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when dist/ was built after the last change to any source, data file or compiler setting. */
export function compiledIsCurrent() {
  let built;
  try {
    built = statSync(STAMP).mtimeMs;
  } catch {
    return false;
  }
  for (const dir of SOURCES) if (newestIn(join(ROOT, dir)) > built) return false;
  for (const file of CONFIGS)
    if ((statSync(join(ROOT, file), { throwIfNoEntry: false })?.mtimeMs ?? 0) > built) return false;
  return true;
}

let fromDist;
let tsxRegistered;

/**
 * Imports a module named by its source path, e.g. `src/main.ts`; every call of a process reads the same
 * tree. Only the sources named in BUNDLES exist in dist/.
 */
export async function importEntry(sourcePath) {
  fromDist ??= process.env.VENDOR_RISK_RUN !== 'sources' && compiledIsCurrent();
  if (fromDist) {
    const file = join(ROOT, BUNDLE_DIR, BUNDLES[sourcePath]);
    // require() skips the ES module loader's scan of a CommonJS file for its export names.
    return file.endsWith('.cjs') ? createRequire(import.meta.url)(file) : import(pathToFileURL(file).href);
  }
  tsxRegistered ??= import('tsx/esm/api').then(({ register }) => register());
  await tsxRegistered;
  return import(pathToFileURL(join(ROOT, sourcePath)).href);
}
