import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliSandbox } from '../support/cli.ts';

// The incident verbs as an operator or a script uses them: declare prints the number, list shows it,
// report writes the regulator-ready record with its clocks.

describe('vendor-risk incident', () => {
  let cli: ReturnType<typeof cliSandbox>;
  beforeEach(() => {
    cli = cliSandbox();
  });
  afterEach(() => cli.cleanup());

  it('declares, lists and reports an incident; bad input is one line and exit code 2', async () => {
    await cli.run('seed', '--demo');
    // The demo has one incident in progress: the open Elasticsearch at the clinical-trial site network.
    const demo = await cli.run('incident', 'list');
    expect(demo.out).toMatch(/^#1\tNorthstar Trials Network\tdatastore-exposed\tcritical\topen\tnext deadline /);
    const demoReport = JSON.parse((await cli.run('incident', 'report', '1', '--format', 'json')).out);
    expect(demoReport.clocks.find((c: { recipient: string }) => c.recipient === 'Us, from the vendor').state).toBe(
      'met',
    );
    expect(demoReport.tasks.filter((t: { done_at: string | null }) => t.done_at)).toHaveLength(2);
    const declared = await cli.run(
      'incident',
      'declare',
      'Helix EDC',
      'ransomware',
      'Systems encrypted, ransom note names our data',
      '--aware-at',
      '2020-01-06T08:00:00Z',
    );
    expect(declared.err).toBe('');
    const number = declared.out.trim();
    expect(number).toMatch(/^\d+$/);
    const listed = await cli.run('incident', 'list');
    expect(listed.out).toContain(`#${number}\tHelix EDC\transomware\tcritical\topen`);

    const out = cli.file('report.json');
    expect((await cli.run('incident', 'report', number, '--format', 'json', '--out', out)).code).toBe(0);
    const { readFileSync } = await import('node:fs');
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.incident).toMatchObject({
      summary: 'Systems encrypted, ransom note names our data',
      aware_at: '2020-01-06T08:00:00.000Z',
    });
    expect(report.clocks.length).toBeGreaterThan(0);
    for (const clock of report.clocks) {
      expect(Object.keys(clock)).toEqual(
        expect.arrayContaining(['regulation', 'recipient', 'starts_at', 'deadline', 'state']),
      );
    }
    expect(report.timeline[0].text).toContain(`declared incident #${number}`);
    const md = await cli.run('incident', 'report', number);
    expect(md.out).toContain(`# Incident #${number}: Helix EDC (Ransomware at vendor)`);
    expect(md.out).toContain('## Regulatory clocks');

    for (const argv of [
      ['incident', 'declare', 'Helix EDC', 'meteor', 'x'],
      ['incident', 'declare', 'Helix EDC', 'ransomware', 'x', '--aware-at', 'yesterday'],
      ['incident', 'report', 'abc'],
    ]) {
      const result = await cli.run(...argv);
      expect(result.code).toBe(2);
      expect(result.err.trim().split('\n')).toHaveLength(1);
    }
  });
});
