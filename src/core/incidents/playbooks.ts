import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { INCIDENT_PHASES, SEVERITIES } from '../common/vocabulary.ts';
import { parseYamlText, readYamlData } from '../common/yaml-data.ts';

// Incident playbooks are data: one YAML file per scenario in ./playbooks, validated when first loaded
// (the bot loads them at start, so a broken file stops it with the exact problem). A deployment adds a
// scenario by adding a file.

export const PLAYBOOK_DIR = fileURLToPath(new URL('./playbooks/', import.meta.url));

const text = z.string().trim().min(1);

const playbookSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case, like lost-device'),
    title: text,
    summary: text,
    severity: z.enum(SEVERITIES),
    questions: z.array(text).min(1),
    tasks: z
      .array(z.object({ phase: z.enum(INCIDENT_PHASES), title: text.max(150), role: text }).strict())
      .min(1)
      .superRefine((tasks, ctx) => {
        for (const phase of INCIDENT_PHASES) {
          if (!tasks.some((t) => t.phase === phase)) {
            ctx.addIssue({ code: z.ZodIssueCode.custom, message: `has no task in the ${phase} phase` });
          }
        }
      }),
  })
  .strict();

export type Playbook = z.infer<typeof playbookSchema>;

export class PlaybookError extends Error {
  constructor(file: string, problems: string[]) {
    super(`The incident playbook ${file} is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PlaybookError';
  }
}

export function parsePlaybook(file: string, source: string): Playbook {
  return playbookFrom(file, parseYamlText(source));
}

/** Validates a playbook's parsed data; `file` names it in errors and fixes its id. */
function playbookFrom(file: string, data: unknown): Playbook {
  const parsed = playbookSchema.safeParse(data);
  if (!parsed.success) {
    throw new PlaybookError(
      file,
      parsed.error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`),
    );
  }
  const expected = file.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, '');
  if (parsed.data.id !== expected) throw new PlaybookError(file, [`id ${parsed.data.id} must match the file name`]);
  // Tasks run in phase order, whatever order the file lists them in.
  const order = (phase: string) => INCIDENT_PHASES.indexOf(phase as (typeof INCIDENT_PHASES)[number]);
  return { ...parsed.data, tasks: [...parsed.data.tasks].sort((a, b) => order(a.phase) - order(b.phase)) };
}

const cache = new Map<string, ReadonlyMap<string, Playbook>>();

/** Every playbook in the folder, by id; read and validated once per folder. */
export function loadPlaybooks(dir = PLAYBOOK_DIR): ReadonlyMap<string, Playbook> {
  const known = cache.get(dir);
  if (known) return known;
  const books = new Map<string, Playbook>();
  for (const name of readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(name)) continue;
    const file = join(dir, name);
    const book = playbookFrom(file, readYamlData(file));
    books.set(book.id, book);
  }
  if (books.size === 0) throw new PlaybookError(dir, ['no playbooks (*.yaml) found']);
  cache.set(dir, books);
  return books;
}

/** A scenario typed by a person: its id, or a word of it (`ransomware`, `datastore`). */
export function findPlaybook(word: string, books = loadPlaybooks()): Playbook | null {
  const key = word.trim().toLowerCase();
  const exact = books.get(key);
  if (exact) return exact;
  const partial = [...books.values()].filter((b) => b.id.split('-').includes(key) || b.id.startsWith(key));
  return partial.length === 1 ? (partial[0] ?? null) : null;
}
