/** Where the CLI writes and what it reads, injected so tests run verbs in-process. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

/** A mistake in how the CLI was called: one line on stderr, exit code 2, nothing changed. */
export class UsageError extends Error {}

/** The verb ran but its answer is "no" (e.g. the audit chain is broken): exit code 1. */
export class FailedCheck extends Error {}

/** The verb ran and its answer has its own exit code (e.g. `check`: 3 when an exposure was found). */
export class ExitWith extends Error {
  readonly code: number;
  constructor(code: number, message = '') {
    super(message);
    this.code = code;
  }
}

export const processIO: CliIO = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  env: process.env,
};
