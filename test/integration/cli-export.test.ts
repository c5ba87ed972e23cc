import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashAuditRow } from '../../src/core/audit/log.ts';
import type { AuditLogRow } from '../../src/store/tables.ts';
import { cliSandbox } from '../support/cli.ts';

describe('operator CLI: export vendors, findings and the audit log', () => {
  const cli = cliSandbox();
  beforeAll(async () => {
    expect((await cli.run('seed', '--demo')).code).toBe(0);
  });
  afterAll(() => cli.cleanup());

  const csv = (text: string) => parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];

  it('exports vendors as CSV with the import columns, and the sheet imports back unchanged', async () => {
    const add = await cli.run(
      'asset',
      'add',
      'Meridian Clinical Research',
      'db.meridian-cro.example:5433',
      'postgresql',
    );
    expect(add.code).toBe(0);
    const result = await cli.run('export', 'vendors');
    expect(result.code).toBe(0);
    const rows = csv(result.out);
    expect(rows).toHaveLength(25);
    expect(Object.keys(rows[0]!)).toEqual([
      'name',
      'services',
      'data_types',
      'criticality',
      'tier',
      'tier_reason',
      'owner',
      'channel',
      'regulatory_scope',
      'status',
      'contract_start',
      'contract_end',
      'last_review_on',
      'next_review_on',
      'assets',
    ]);
    expect(rows.find((r) => r.name === 'Courier Cold Chain Logistics')).toMatchObject({
      tier: 'high',
      tier_reason: expect.stringContaining('GxP-critical'),
      data_types: 'none',
    });
    expect(rows.find((r) => r.name === 'Meridian Clinical Research')).toMatchObject({
      regulatory_scope: 'HIPAA; GDPR; 21 CFR Part 11',
      // Sorted by what is stored; the kind is written where nothing in the target implies it.
      assets: 'db.meridian-cro.example:5433 postgresql; edc.meridian-cro.example; sftp.meridian-cro.example',
    });
    const file = cli.file('vendors.csv');
    writeFileSync(file, result.out);
    expect((await cli.run('import', 'vendors', file)).out).toContain('0 created, 0 updated, 25 unchanged');
  });

  it('exports findings as JSON with every state, vendor and assignee names', async () => {
    const result = await cli.run('export', 'findings', '--format', 'json');
    const findings = JSON.parse(result.out) as Record<string, unknown>[];
    expect(findings.length).toBeGreaterThanOrEqual(7);
    expect(new Set(findings.map((f) => f.state)).size).toBe(7);
    expect(findings).toContainEqual(
      expect.objectContaining({
        vendor: 'Helix EDC',
        state: 'assigned',
        assignee_id: 'slack:UDEMOOWNER2',
        assignee: 'Priya Nair',
      }),
    );
  });

  it('exports the audit log to a file whose every row still matches its hash', async () => {
    const out = cli.file('audit.csv');
    const result = await cli.run('export', 'audit', '--out', out);
    expect(result.code).toBe(0);
    const rows = csv(readFileSync(out, 'utf8'));
    expect(result.out).toBe(`exported ${rows.length} audit rows to ${out}\n`);
    expect((await cli.run('audit', 'verify')).out).toContain(`${rows.length} rows verified`);
    for (const r of rows) {
      const row = {
        ...r,
        seq: Number(r.seq),
        before: r.before || null,
        after: r.after || null,
        reason: r.reason || null,
      } as AuditLogRow;
      expect(hashAuditRow(row)).toBe(r.hash);
    }
    const json = JSON.parse((await cli.run('export', 'audit', '--format', 'json')).out) as AuditLogRow[];
    expect(json).toHaveLength(rows.length);
    expect(json.every((r) => hashAuditRow(r) === r.hash)).toBe(true);
  });

  it('keeps a spreadsheet from running a cell as a formula, and reads such a cell back as written', async () => {
    const sheet = cli.file('formula.csv');
    writeFileSync(sheet, 'name,criticality,services\n"=HYPERLINK(""http://x.example"")",low,@SUM(A1)\n');
    expect((await cli.run('import', 'vendors', sheet)).code).toBe(0);
    const exported = await cli.run('export', 'vendors');
    const row = csv(exported.out).find((r) => r.name?.includes('HYPERLINK'));
    expect(row).toMatchObject({ name: `'=HYPERLINK("http://x.example")`, services: "'@SUM(A1)" });
    writeFileSync(sheet, exported.out);
    expect((await cli.run('import', 'vendors', sheet)).out).toContain('26 unchanged');
  });

  it('refuses an unknown export or format with exit code 2', async () => {
    for (const argv of [
      ['export', 'people'],
      ['export', 'vendors', '--format', 'xml'],
    ]) {
      const result = await cli.run(...argv);
      expect(result.code).toBe(2);
      expect(result.err.trim().split('\n')).toHaveLength(1);
    }
  });
});
