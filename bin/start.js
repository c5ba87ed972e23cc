#!/usr/bin/env node
// `npm start`: the compiled bot (dist/), or its TypeScript sources when dist/ is older than them.
import { importEntry } from './entry.js';

const { runFromEnvironment } = await importEntry('src/main.ts');
await runFromEnvironment();
