import { Command, Help } from 'commander';
import { describe, expect, it } from 'vitest';
import { processIO } from '../../src/cli/io.ts';
import { VERBS } from '../../src/cli/program.ts';

// The top-level help is drawn from the CLI's verb table so that it loads no verb; each verb's own module
// says the same thing when it is loaded for real.

describe('the CLI verb table', () => {
  for (const [name, verb] of Object.entries(VERBS)) {
    it(`lists ${name} as its own module registers it`, async () => {
      const program = new Command('vendor-risk');
      (await verb.load())(program, processIO);
      const command = program.commands.find((c) => c.name() === name);
      expect(command?.description()).toBe(verb.summary);
      expect(new Help().subcommandTerm(command!)).toBe(verb.term);
    });
  }
});
