import { writeFileSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliSandbox } from '../support/cli.ts';

// A sheet as a spreadsheet saves it: byte-order mark, CRLF line ends, quoted commas, a value spanning
// two lines, accented and non-Latin names.
const GOOD_VENDORS = [
  'Name,Services,Data Types,Criticality,Tier,Tier Reason,Owner,Channel,Regulatory Scope,Status,Contract Start,Contract End,Last Review On',
  '"Acme Labs, Inc.","Bioanalysis, PK and ""GLP"" studies",PHI,high,,,slack:U0ACME,,"HIPAA; GDPR",active,2025-01-01,2027-12-31,2025-03-01',
  'Zürich Biobank AG,"Sample storage',
  'and shipping",PII; confidential,medium,,,,slack:CBIOBANK,GDPR,onboarding,,,',
  '京都ゲノミクス,Sequencing,confidential,low,high,Holds unpublished trial genomics,teams:aad-123,,,active,,,',
].join('\r\n');

describe('operator CLI: import vendors and evidence', () => {
  let cli: ReturnType<typeof cliSandbox>;
  beforeEach(async () => {
    cli = cliSandbox();
    await cli.run('migrate');
  });
  afterEach(() => cli.cleanup());

  const write = (name: string, text: string, bom = false) => {
    const file = cli.file(name);
    writeFileSync(file, bom ? `\ufeff${text}` : text);
    return file;
  };
  const query = <T>(sql: string): T[] => {
    const db = new SqliteDatabase(cli.env.DATABASE_URL, { readonly: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  };
  const counts = () =>
    query<{ vendors: number; evidence: number; audit: number }>(
      'select (select count(*) from vendors) as vendors, (select count(*) from evidence) as evidence, (select count(*) from audit_log) as audit',
    )[0]!;

  it('imports quoted commas, UTF-8 names, a BOM and CRLF; re-importing changes nothing', async () => {
    const file = write('vendors.csv', GOOD_VENDORS, true);
    // The sheet lists vendors in use before the bot: --legacy says so (audited once per import).
    const first = await cli.run('import', 'vendors', file, '--legacy');
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(first.out).toContain('3 created, 0 updated, 0 unchanged');
    const rows = query<Record<string, string | null>>(
      'select name, services, data_types, tier, tier_override_reason, owner_id, channel, status, next_review_on from vendors order by id',
    );
    expect(rows).toEqual([
      expect.objectContaining({
        name: 'Acme Labs, Inc.',
        services: 'Bioanalysis, PK and "GLP" studies',
        data_types: '["PHI"]',
        tier: 'critical',
        owner_id: 'slack:U0ACME',
        next_review_on: '2025-09-01',
      }),
      expect.objectContaining({
        name: 'Zürich Biobank AG',
        services: 'Sample storage\r\nand shipping',
        tier: 'high',
        channel: 'slack:CBIOBANK',
        status: 'in_review',
      }),
      expect.objectContaining({
        name: '京都ゲノミクス',
        tier: 'high',
        tier_override_reason: 'Holds unpublished trial genomics',
      }),
    ]);
    const after = counts();

    const again = await cli.run('import', 'vendors', file, '--legacy');
    expect(again.out).toContain('0 created, 0 updated, 3 unchanged');
    expect(counts()).toEqual(after);

    // One changed cell updates that vendor only, and the change is audited as the operator.
    writeFileSync(file, GOOD_VENDORS.replace('Sequencing', 'Sequencing and analysis'));
    expect((await cli.run('import', 'vendors', file, '--legacy')).out).toContain('0 created, 1 updated, 2 unchanged');
    const [audit] = query<{ action: string; actor_id: string; after: string }>(
      'select action, actor_id, after from audit_log order by seq desc limit 1',
    );
    expect(audit).toEqual({
      action: 'vendor.update',
      actor_id: expect.stringMatching(/^cli:/),
      after: '{"services":"Sequencing and analysis"}',
    });
  });

  it('refuses to make a vendor active without a signed activation unless --legacy, which is audited once', async () => {
    const file = write(
      'live.csv',
      'name,criticality,status\nOld Lab,low,active\nOld CRO,high,active\nNew App,low,requested\n',
    );
    const refused = await cli.run('import', 'vendors', file);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(
      'line 2: status active needs a signed activation (/vendor activate); for vendors in use before this bot, import with --legacy',
    );
    expect(counts().vendors).toBe(0);
    expect((await cli.run('import', 'vendors', file, '--legacy')).out).toContain('3 created');
    const legacy = query<{ action: string; after: string }>(
      "select action, after from audit_log where action = 'vendor.import.legacy'",
    );
    expect(legacy).toEqual([{ action: 'vendor.import.legacy', after: '{"vendors":["Old Lab","Old CRO"]}' }]);
    expect(query<{ name: string; status: string }>('select name, status from vendors order by id')).toEqual([
      { name: 'Old Lab', status: 'active' },
      { name: 'Old CRO', status: 'active' },
      { name: 'New App', status: 'requested' },
    ]);
    // The status column round-trips through export, and list filters by it, showing the gate.
    const exported = await cli.run('export', 'vendors');
    expect(exported.out).toMatch(/New App,.*,requested,/);
    const requested = await cli.run('list', '--status', 'requested');
    expect(requested.out).toContain('requested (not approved for use)');
    expect(requested.out).not.toContain('Old Lab');
    expect((await cli.run('posture', 'New App')).out.split('\n')[1]).toBe('NOT APPROVED FOR USE (REQUESTED)');
  });

  it('reports every bad row with its line number and writes nothing', async () => {
    await cli.run('import', 'vendors', write('seed.csv', 'name,criticality\nExisting Vendor,low\n'));
    const before = counts();
    const file = write(
      'bad.csv',
      [
        'name,data_types,criticality,tier,tier_reason,contract_start,last_review_on',
        'Good Row Ltd,PII,medium,,,2025-01-01,',
        'Tiered Co,none,low,urgent,because,,',
        'Dated Co,none,low,,,2025-02-30,',
        '"Good Row Ltd",PII,medium,,,,',
        'Short Co,none,low',
        'Override Co,PHI,high,low,,,',
        'Unknown Data Co,PHX,high,,,,',
        'Future Co,none,low,,,,2999-01-01',
      ].join('\n'),
    );
    const result = await cli.run('import', 'vendors', file);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    const lines = result.err.trim().split('\n');
    expect(lines[0]).toBe('error: 7 bad rows; nothing was imported');
    expect(lines.slice(1)).toEqual([
      `${file} line 3: Tier must be one of critical, high, medium, low; “urgent” is not`,
      `${file} line 4: contract_start must be a date like 2026-03-31, not “2025-02-30”`,
      `${file} line 5: duplicate of line 2: “Good Row Ltd” appears twice in the file`,
      `${file} line 6: has 3 fields but the header has 7: a column is missing`,
      `${file} line 7: tier low differs from the derived tier critical: give a tier_reason`,
      `${file} line 8: Data types must be one of PHI, PII, confidential, none; “PHX” is not`,
      `${file} line 9: last_review_on 2999-01-01 is in the future`,
    ]);
    expect(counts()).toEqual(before);
  });

  it('refuses a file without a required column, naming it, and writes nothing', async () => {
    const result = await cli.run('import', 'vendors', write('nocrit.csv', 'name,tier\nAcme,low\n'));
    expect(result.code).toBe(2);
    expect(result.err.trim().split('\n')).toEqual([expect.stringContaining('line 1: missing column criticality')]);
    const missing = await cli.run('import', 'vendors', cli.file('nope.csv'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('cannot read');
    expect(counts().vendors).toBe(0);
  });

  it('imports evidence by vendor name, idempotently; unknown vendors and types are reported by line', async () => {
    await cli.run('import', 'vendors', write('vendors.csv', GOOD_VENDORS), '--legacy');
    const good = write(
      'evidence.csv',
      [
        'vendor,type,issued_on,expires_on,url',
        '"acme labs, inc.",SOC 2 Type II,2026-01-15,2027-01-15,https://trust.acme.example/soc2.pdf',
        'Zürich Biobank AG,gdpr_dpa,,2028-06-30,',
      ].join('\r\n'),
      true,
    );
    expect((await cli.run('import', 'evidence', good)).out).toContain('2 created, 0 updated, 0 unchanged');
    const after = counts();
    expect((await cli.run('import', 'evidence', good)).out).toContain('0 created, 0 updated, 2 unchanged');
    expect(counts()).toEqual(after);

    const bad = write(
      'bad-evidence.csv',
      [
        'vendor,type,issued_on,expires_on',
        'Acme Labs Inc,soc2_type2,,2027-01-15',
        'Zürich Biobank AG,SOC 3,,2027-01-15',
        'Zürich Biobank AG,iso27001,2026-05-01,2026-04-01',
        'Zürich Biobank AG,pentest,,2027-02-01',
      ].join('\n'),
    );
    const result = await cli.run('import', 'evidence', bad);
    expect(result.code).toBe(2);
    expect(result.err.trim().split('\n').slice(1)).toEqual([
      `${bad} line 2: no vendor named “Acme Labs Inc” (did you mean “Acme Labs, Inc.”?)`,
      `${bad} line 3: Evidence type must be one of SOC 2 Type II, ISO 27001, Penetration test, HIPAA BAA, GDPR DPA, Cyber insurance, 21 CFR Part 11 / CSV attestation; “SOC 3” is not`,
      `${bad} line 4: expires_on 2026-04-01 is before issued_on 2026-05-01`,
    ]);
    expect(counts()).toEqual(after);
  });

  it('declares the assets column unauthorised, removes what the sheet drops, and a re-import changes nothing', async () => {
    const assets = () =>
      query<{ vendor: string; value: string; check_kind: string | null; authorised_by: string | null }>(
        'select v.name as vendor, a.value, a.check_kind, a.authorised_by from vendor_assets a join vendors v on v.id = a.vendor_id where a.removed_at is null order by a.id',
      );
    const file = write(
      'assets.csv',
      [
        'name,criticality,assets',
        'Acme Health Cloud,high,"search.acme.example:9200; db.acme.example:5433 postgresql; api.acme.example"',
        'Beta Payroll,low,',
      ].join('\n'),
    );
    expect((await cli.run('import', 'vendors', file)).out).toContain('2 created, 0 updated, 0 unchanged');
    expect(assets()).toEqual([
      {
        vendor: 'Acme Health Cloud',
        value: 'http://search.acme.example:9200',
        check_kind: 'elasticsearch',
        authorised_by: null,
      },
      { vendor: 'Acme Health Cloud', value: 'db.acme.example:5433', check_kind: 'postgresql', authorised_by: null },
      { vendor: 'Acme Health Cloud', value: 'api.acme.example', check_kind: null, authorised_by: null },
    ]);
    expect((await cli.run('import', 'vendors', file)).out).toContain('0 created, 0 updated, 2 unchanged');

    // An authorisation given since is kept; a dropped asset is removed (audited); a new one is declared.
    const authorise = await cli.run(
      'asset',
      'authorise',
      'Acme Health Cloud',
      'db.acme.example:5433',
      '--authorised-by',
      'Dana',
    );
    expect(authorise.code).toBe(0);
    writeFileSync(
      file,
      [
        'name,criticality,assets',
        'Acme Health Cloud,high,"db.acme.example:5433 postgresql; https://portal.acme.example"',
      ].join('\n'),
    );
    expect((await cli.run('import', 'vendors', file)).out).toContain('0 created, 1 updated, 0 unchanged');
    expect(assets()).toEqual([
      { vendor: 'Acme Health Cloud', value: 'db.acme.example:5433', check_kind: 'postgresql', authorised_by: 'Dana' },
      { vendor: 'Acme Health Cloud', value: 'https://portal.acme.example', check_kind: 'tls', authorised_by: null },
    ]);
    const actions = query<{ action: string }>(
      "select action from audit_log where action like 'vendor.asset%' order by seq",
    ).map((a) => a.action);
    expect(actions.filter((a) => a === 'vendor.asset_remove')).toHaveLength(2);
  });

  it('reports a bad asset by line and writes nothing', async () => {
    const before = counts();
    const file = write(
      'bad-assets.csv',
      [
        'name,criticality,assets',
        'Good Co,low,api.good.example',
        'Bad Co,low,"db.bad.example:5433 oracle; two words here"',
      ].join('\n'),
    );
    const result = await cli.run('import', 'vendors', file);
    expect(result.code).toBe(2);
    expect(result.err.trim().split('\n').slice(1)).toEqual([
      `${file} line 3: “oracle” is not a kind of check; use one of elasticsearch, opensearch, kibana, mongodb, redis, postgresql, couchdb, s3, tls`,
    ]);
    expect(counts()).toEqual(before);
    expect(query('select * from vendor_assets')).toEqual([]);
  });
});
