import { readdirSync } from 'node:fs';
import { expect, it } from 'vitest';
import { migrations } from '../../migrations/index.ts';

it('lists every migration file, in order, so none is silently skipped', () => {
  const files = readdirSync(new URL('../../migrations/', import.meta.url))
    .filter((f) => /^\d{4}_.*\.ts$/.test(f))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
  expect(Object.keys(migrations)).toEqual(files);
});
