import { drawColorIcon, drawOutlineIcon } from './icons.ts';
import { buildManifest, type Manifest, type ManifestOptions, validateManifest } from './manifest.ts';
import { zip } from './zip.ts';

// The sideloadable Teams app package: manifest.json plus the two icons it names, in one zip.

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
    zip: zip([
      { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
      { name: 'color.png', data: drawColorIcon() },
      { name: 'outline.png', data: drawOutlineIcon() },
    ]),
  };
}
