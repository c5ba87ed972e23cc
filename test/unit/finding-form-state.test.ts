import { describe, expect, it } from 'vitest';
import { readFindingFormState } from '../../src/chat/views/finding-forms.ts';

describe('the finding id a button or form carries', () => {
  it('reads the id and the version the form was opened on', () => {
    expect(readFindingFormState('12')).toEqual({ id: 12, version: null });
    expect(readFindingFormState('12@v4')).toEqual({ id: 12, version: 4 });
  });

  it('takes nothing that merely parses to a number for an id: leading zeros, signs, exponents, hex', () => {
    for (const forged of ['0001', '00000000000000000001', '0', '-1', '+1', '1e0', '0x1', '1.0', '12@v0', '']) {
      expect(Number.isNaN(readFindingFormState(forged).id), forged).toBe(true);
    }
  });
});
