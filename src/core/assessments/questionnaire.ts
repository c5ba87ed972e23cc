import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { REGULATIONS } from '../common/vocabulary.ts';
import { readYamlData } from '../common/yaml-data.ts';

// The reassessment questionnaire is data (a YAML file), validated on load: a deployment can adapt the
// controls without touching code, and a broken file stops the bot at start with the exact problem
// instead of failing halfway through someone's reassessment.

export const DEFAULT_QUESTIONNAIRE_FILE = fileURLToPath(new URL('./default-controls.yaml', import.meta.url));

export const ANSWERS = ['yes', 'partial', 'no', 'n/a'] as const;
export type Answer = (typeof ANSWERS)[number];

const text = z.string().trim().min(1);

const controlSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case, like mfa-admin'),
    title: text,
    question: text,
    weight: z.number().int().min(1).max(5),
    why: text,
    frameworks: z.array(z.object({ framework: z.enum(REGULATIONS), ref: text }).strict()).min(1),
  })
  .strict();

const questionnaireSchema = z
  .object({
    version: z.union([text, z.number().transform(String)]),
    name: text,
    controls: z.array(controlSchema).min(1),
  })
  .strict()
  .superRefine((q, ctx) => {
    const seen = new Set<string>();
    q.controls.forEach((c, i) => {
      if (seen.has(c.id)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['controls', i, 'id'], message: `duplicate id ${c.id}` });
      }
      seen.add(c.id);
    });
  });

export type Control = z.infer<typeof controlSchema>;

export interface Questionnaire {
  version: string;
  name: string;
  controls: Control[];
  byId: ReadonlyMap<string, Control>;
}

export class QuestionnaireError extends Error {
  constructor(file: string, problems: string[]) {
    super(`The questionnaire in ${file} is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'QuestionnaireError';
  }
}

/** Validates parsed questionnaire data; `source` names the file in the error. */
export function parseQuestionnaire(data: unknown, source: string): Questionnaire {
  const parsed = questionnaireSchema.safeParse(data);
  if (!parsed.success) {
    throw new QuestionnaireError(
      source,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`),
    );
  }
  const { version, name, controls } = parsed.data;
  return { version, name, controls, byId: new Map(controls.map((c) => [c.id, c])) };
}

const cache = new Map<string, Questionnaire>();

/** Reads, validates and caches a questionnaire file (the default control set unless told otherwise). */
export function loadQuestionnaire(file: string = DEFAULT_QUESTIONNAIRE_FILE): Questionnaire {
  const cached = cache.get(file);
  if (cached) return cached;
  let data: unknown;
  try {
    data = readYamlData(file);
  } catch (error) {
    throw new QuestionnaireError(file, [error instanceof Error ? error.message : String(error)]);
  }
  const questionnaire = parseQuestionnaire(data, file);
  cache.set(file, questionnaire);
  return questionnaire;
}

/** The questionnaire a deployment configured, else the default control set. */
export function questionnaireOf(deps: { questionnaire?: Questionnaire }): Questionnaire {
  return deps.questionnaire ?? loadQuestionnaire();
}
