import { zipSync } from 'fflate';
import { drawColorIcon, drawOutlineIcon } from './icons.ts';
import { buildManifest, type Manifest, type ManifestOptions, validateManifest } from './manifest.ts';

// The sideloadable Teams app package: manifest.json plus the two icons it names, in one zip. Entries
// carry a fixed time (1980-01-01, the earliest a ZIP can hold) so the same inputs give the same bytes.

const FIXED_TIME = new Date(1980, 0, 1);

export class ManifestError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`The Teams manifest is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ManifestError';
    this.problems = problems;
  }
}

export function buildTeamsPackage(options: ManifestOptions): { manifest: Manifest; zip: Buffer } {
  const manifest = buildManifest(options);
  const problems = validateManifest(manifest);
  if (problems.length > 0) throw new ManifestError(problems);
  return {
    manifest,
    zip: Buffer.from(
      zipSync(
        {
          'manifest.json': Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'),
          'color.png': drawColorIcon(),
          'outline.png': drawOutlineIcon(),
        },
        { mtime: FIXED_TIME },
      ),
    ),
  };
}
