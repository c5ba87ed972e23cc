#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so there is no build step to forget.
import { register } from 'tsx/esm/api';

register();
const { runFromEnvironment } = await import('../src/main.ts');
await runFromEnvironment();
