import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findVendorByExactName, findVendorByName } from '../../src/core/vendors/lookup.ts';
import { createTeamStore, insertVendor } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

describe('finding a vendor by the name people type', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTeamStore();
    for (const name of [
      'Harness Labs Ltd',
      'Meridian Clinical Research',
      'Northstar Trials Network',
      'Helix EDC',
      'Helios Pay',
    ]) {
      await insertVendor(store, { name });
    }
  });
  afterEach(() => store.cleanup());

  const nameOf = async (typed: string) => (await findVendorByName(store.db, typed)).name;

  it('takes a unique prefix or a unique part of the name', async () => {
    expect(await nameOf('meridian')).toBe('Meridian Clinical Research');
    expect(await nameOf('trials network')).toBe('Northstar Trials Network');
    expect(await nameOf('HELIX')).toBe('Helix EDC');
  });

  it('lists the candidates when the prefix is shared, and ranks close names when nothing matches', async () => {
    await expect(nameOf('hel')).rejects.toThrow('“hel” matches several vendors: “Helios Pay”, “Helix EDC”. Which one?');
    await expect(nameOf('Harnes Labs')).rejects.toThrow(
      'No vendor named “Harnes Labs”. Did you mean “Harness Labs Ltd”?',
    );
    await expect(nameOf('Helis')).rejects.toThrow('Did you mean “Helios Pay” or “Helix EDC”?');
    await expect(nameOf('Zebra')).rejects.toThrow(/^No vendor named “Zebra”\.$/);
  });

  it('never takes a prefix for a name from machine input', async () => {
    await expect(findVendorByExactName(store.db, 'meridian')).rejects.toThrow(
      'No vendor named “meridian”. Did you mean “Meridian Clinical Research”?',
    );
  });
});
