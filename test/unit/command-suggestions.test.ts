import { describe, expect, it } from 'vitest';
import { realExample } from '../../commands/help.ts';
import { registry } from '../../commands/index.ts';
import { choiceButtons, quotedName, withName, withSubcommand } from '../../src/chat/suggestions.ts';

// The corrected commands behind "Did you mean" buttons, and help's examples with real vendor names.

describe('"Did you mean" commands', () => {
  it('put the suggested name where the typed one was, quoted or not, keeping the rest', () => {
    expect(withName('posture "Harnes Labs"', 'Harnes Labs', 'Harness Labs Ltd')).toBe('posture "Harness Labs Ltd"');
    expect(withName('posture Harnes  Labs', 'Harnes Labs', 'Harness Labs Ltd')).toBe('posture "Harness Labs Ltd"');
    expect(withName('findings “merid” severity:high', 'merid', 'Meridian')).toBe('findings Meridian severity:high');
    expect(withName('posture Acme', 'Globex', 'Globex Payroll')).toBeNull();
    expect(quotedName('Say "Hi" Ltd')).toBe('“Say "Hi" Ltd”');
  });

  it('offer one button per name that fits back into the command', () => {
    const buttons = choiceButtons('evidence northwind soc2 expires:2027-01-01', {
      typed: 'northwind',
      names: ['Northwind Imaging', 'Northwind Trials'],
    });
    expect(buttons.map((b) => [b.label, b.value])).toEqual([
      ['Northwind Imaging', 'evidence "Northwind Imaging" soc2 expires:2027-01-01'],
      ['Northwind Trials', 'evidence "Northwind Trials" soc2 expires:2027-01-01'],
    ]);
    expect(withSubcommand(' postur "Harness Labs Ltd"', 'posture')).toBe('posture "Harness Labs Ltd"');
  });
});

describe('help examples', () => {
  const real = ['Zephyr Bio', 'Yarrow CRO'];

  it('name inventory vendors in place of every stand-in, in one pass', () => {
    expect(realExample('posture "Acme Health"', real)).toBe('posture "Zephyr Bio"');
    expect(realExample('posture Globex', real)).toBe('posture "Yarrow CRO"');
    expect(realExample('asset add Globex https://portal.globex.example', real)).toBe(
      'asset add "Yarrow CRO" https://portal.globex.example',
    );
    expect(realExample('reassess "Acme Health Cloud"', ['Acme Health Cloud'])).toBe('reassess "Acme Health Cloud"');
    expect(realExample('posture Globex', [])).toBe('posture Globex');
  });

  it('of every command that takes a vendor name a vendor from the inventory', () => {
    const named = registry.commands.filter((c) => /<vendor>/.test(c.usage) && !/\[<vendor>\]/.test(c.usage));
    expect(named.length).toBeGreaterThan(5);
    for (const c of named) {
      for (const example of c.examples.filter((e) => e.split(' ').length > 2)) {
        expect(realExample(example, real), example).toMatch(/Zephyr Bio|Yarrow CRO/);
      }
    }
  });
});
