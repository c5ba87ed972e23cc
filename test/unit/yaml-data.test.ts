import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsedCopyOf, readYamlData } from '../../src/core/common/yaml-data.ts';

const dir = mkdtempSync(join(tmpdir(), 'yaml-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a file with a given modification time (seconds since the epoch). */
function write(path: string, text: string, mtime: number): void {
  writeFileSync(path, text);
  utimesSync(path, mtime, mtime);
}

describe('reading a YAML data file', () => {
  it('parses the YAML when there is no parsed copy beside it (a source checkout)', () => {
    const file = join(dir, 'plain.yaml');
    write(file, 'name: Plain\ncontrols:\n  - mfa\n', 1_000);
    expect(readYamlData(file)).toEqual({ name: 'Plain', controls: ['mfa'] });
  });

  it("reads the build's parsed copy while it is at least as new as the YAML", () => {
    const file = join(dir, 'built.yaml');
    write(file, 'name: From YAML\n', 1_000);
    write(parsedCopyOf(file), '{"name":"From the build"}', 2_000);
    expect(readYamlData(file)).toEqual({ name: 'From the build' });
  });

  it('parses the YAML again once it was edited after the build, so a deployment’s change wins', () => {
    const file = join(dir, 'edited.yaml');
    write(parsedCopyOf(file), '{"name":"From the build"}', 1_000);
    write(file, 'name: Edited by the deployment\n', 2_000);
    expect(readYamlData(file)).toEqual({ name: 'Edited by the deployment' });
  });
});
