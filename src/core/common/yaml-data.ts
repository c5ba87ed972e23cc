import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';

// The YAML data files shipped with the code (questionnaire, incident playbooks, demo portfolio) are read
// at start. Parsing YAML is slow in a fresh process (the parser's own code has to be compiled first), so
// the build stores each one already parsed, as JSON beside it (`default-controls.yaml.json`), and a
// process reads that copy instead. A YAML file edited after the build is newer than its copy and is
// parsed again, so a deployment's own changes always win. The YAML parser is loaded only then.

/** Parses YAML text, loading the parser on first use. */
export function parseYamlText(text: string): unknown {
  const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return yaml.parse(text);
}

/** Where the build stores the parsed copy of a YAML data file. */
export const parsedCopyOf = (file: string) => `${file}.json`;

/** The data in a YAML file: its parsed copy while that is current, otherwise the file itself, parsed. */
export function readYamlData(file: string): unknown {
  const copy = statSync(parsedCopyOf(file), { throwIfNoEntry: false });
  if (copy && copy.mtimeMs >= statSync(file).mtimeMs) return JSON.parse(readFileSync(parsedCopyOf(file), 'utf8'));
  return parseYamlText(readFileSync(file, 'utf8'));
}
