#!/usr/bin/env node
// The operator CLI: the compiled program (dist/), or its TypeScript sources when dist/ is older than them.
import { importEntry } from './entry.js';

await importEntry('src/cli/main.ts');
