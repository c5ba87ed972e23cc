import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.ts';
import { recordEvidence } from '../../src/core/evidence/record.ts';
import { assign, openFinding } from '../../src/core/findings/actions.ts';
import { inTransaction } from '../../src/store/database.ts';
import { buttons, commandWorld, ref, replyOf, shown, type World } from '../support/command-world.ts';
import { ada, dana, olive, vic } from '../support/fixtures.ts';

// Looking things up: help, posture, list, due and findings, as anyone (viewers included) sees them.

describe('lookup subcommands', () => {
  let w: World;
  beforeEach(async () => {
    w = await commandWorld();
  });
  afterEach(() => w.cleanup());

  const finding = (vendorId: number, key: string, severity: 'critical' | 'high' | 'medium' | 'low', title: string) =>
    inTransaction(w.store.db, (tx) =>
      openFinding(tx, w.store.deps, dana, { vendorId, dedupeKey: key, source: 'test', title, detail: 'd', severity }),
    ).then((r) => r.finding);

  it('help lists what the asker may use, with its usage and an example; empty and unknown text too', async () => {
    const viewer = shown(await w.run(vic, 'help'));
    for (const c of registry.commands) {
      if (c.permission) expect(viewer, c.name).not.toContain(`/vendor ${c.usage}`);
      else expect(viewer, c.name).toContain(`/vendor ${c.usage}`);
      if (c.examples[0] && !c.permission) expect(viewer).toContain(`/vendor ${c.examples[0]}`);
    }
    expect(viewer).toContain('Commands your role does not allow are left out.');
    const admin = shown(await w.run(ada, 'help'));
    for (const name of ['role', 'add', 'signal', 'subscribe', 'pin']) {
      expect(admin).toContain(`/vendor ${registry.commands.find((c) => c.name === name)?.usage}`);
    }
    // Approving is a separate duty, never an admin's.
    expect(admin).not.toContain('/vendor approvals');
    // Any one command is still explained on request.
    expect(shown(await w.run(vic, 'help role'))).toContain('/vendor role @dana approver');
    expect(shown(await w.run(vic, ''))).toContain('/vendor posture <vendor>');
    const unknown = shown(await w.run(vic, 'frobnicate Acme'));
    expect(unknown).toContain("I don't know `frobnicate`");
    expect(unknown).toContain('/vendor list');
    expect(shown(await w.run(vic, 'help due'))).toContain('/vendor due 14d');
  });

  it('help examples name vendors from the inventory, not invented ones', async () => {
    await w.vendor({ name: 'Meridian Clinical Research' });
    await w.vendor({ name: 'Harness Labs Ltd' });
    const help = shown(await w.run(dana, 'help'));
    expect(help).toContain('/vendor posture "Harness Labs Ltd"');
    expect(help).toContain('/vendor evidence "Harness Labs Ltd" soc2 expires:2027-03-31');
    expect(help).toContain('/vendor incident "Harness Labs Ltd" datastore');
    expect(help).not.toMatch(/Acme Health|Globex|Northstar/);
    const posture = shown(await w.run(dana, 'help posture'));
    expect(posture).toContain('/vendor posture "Harness Labs Ltd"');
    expect(posture).toContain('/vendor posture "Meridian Clinical Research"');
  });

  it('a mistyped subcommand names the one meant, with a button that runs it, not the whole help', async () => {
    await w.vendor({ name: 'Harness Labs Ltd' });
    const outcome = await w.run(vic, 'postur "Harness Labs Ltd"');
    const typo = shown(outcome);
    expect(typo).toContain("I don't know `postur`. Did you mean `posture`? Try `/vendor posture Harness Labs Ltd`");
    expect(typo).not.toContain('/vendor list');
    const [run] = buttons(outcome);
    expect(run).toMatchObject({ label: '/vendor posture "Harness Labs Ltd"', value: 'posture "Harness Labs Ltd"' });
    expect(shown(await w.click(vic, run!.action, run!.value))).toContain('Harness Labs Ltd: grade');
  });

  it('"Did you mean" offers each suggested vendor as a button that runs the same command on it', async () => {
    await w.vendor({ name: 'Harness Labs Ltd' });
    await w.vendor({ name: 'Northwind Trials' });
    await w.vendor({ name: 'Northwind Imaging' });
    const miss = await w.run(vic, 'posture "Harnes Labs"');
    expect(replyOf(miss).text).toBe('No vendor named “Harnes Labs”. Did you mean “Harness Labs Ltd”?');
    const [suggested, ...others] = buttons(miss);
    expect(others).toEqual([]);
    expect(suggested).toMatchObject({ label: 'Harness Labs Ltd', value: 'posture "Harness Labs Ltd"' });
    expect(shown(await w.click(vic, suggested!.action, suggested!.value))).toContain('Harness Labs Ltd: grade');
    // Several matches: one button each, and the rest of the command is kept.
    const several = await w.run(vic, 'findings northwind severity:high');
    expect(buttons(several).map((b) => b.value)).toEqual([
      'findings "Northwind Imaging" severity:high',
      'findings "Northwind Trials" severity:high',
    ]);
  });

  it('posture shows grade, drivers with points, evidence expiry, findings by severity, reviews and the two buttons', async () => {
    const acme = await w.vendor({ name: 'Acme Health', dataTypes: ['PHI'], criticality: 'high', ownerId: olive.id });
    await inTransaction(w.store.deps.db, (tx) =>
      recordEvidence(tx, w.store.deps, dana, { vendorId: acme.id, type: 'soc2_type2', expiresOn: '2026-06-20' }),
    );
    await inTransaction(w.store.deps.db, (tx) =>
      recordEvidence(tx, w.store.deps, dana, { vendorId: acme.id, type: 'hipaa_baa', expiresOn: '2026-05-01' }),
    );
    await finding(acme.id, 'k1', 'critical', 'Open S3 bucket');
    w.store.clock.set('2026-07-05T09:00:00.000Z'); // the first review was due 2026-07-01
    const outcome = await w.run(vic, 'posture "acme health"');
    const text = shown(outcome);
    expect(text).toContain('Acme Health: grade');
    expect(text).toContain('Residual risk: critical');
    // Each cause once, with where it comes from.
    expect(text).toMatch(/-25`? Open S3 bucket _\(finding #\d+\)_/);
    expect(text).toMatch(/-15`? Required HIPAA BAA expired on 2026-05-01 _\(required-evidence policy\)_/);
    expect(text).toContain('❌ HIPAA BAA (holds PHI): **missing**');
    expect(text).toMatch(/-10`? Reassessment overdue/);
    expect(text).toContain('SOC 2 Type II: **expired** 2026-06-20');
    expect(text).toContain('HIPAA BAA: **expired** 2026-05-01');
    expect(text).toContain('ISO 27001: missing');
    expect(text).toContain('🔴 1 critical');
    expect(text).toContain('next review overdue** since 2026-07-01 (4 days)');
    expect(text).toContain('Olive Owner');
    expect(buttons(outcome).map((b) => [b.action, b.value])).toEqual([
      ['assessment.start', `vendor:${acme.id}`],
      ['findings.page', `vendor=${acme.id}`],
    ]);
    expect('reply' in outcome && outcome.reply.visibility).toBe('ephemeral');
  });

  it("posture's buttons work: the owner starts a reassessment in a form, a viewer is refused and nothing is written", async () => {
    const acme = await w.vendor({ name: 'Acme Health', ownerId: olive.id });
    const start = buttons(await w.run(olive, 'posture Acme Health')).find((b) => b.label === 'Start reassessment')!;
    const before = await w.audits();
    expect(shown(await w.click(vic, start.action, start.value))).toContain("You don't have permission");
    expect(await w.audits()).toBe(before);
    const opened = await w.click(olive, start.action, start.value);
    expect('form' in opened && opened.form.intro).toContain('Acme Health');
    const requested = await w.store.db.selectFrom('assessments').selectAll().execute();
    expect(requested).toMatchObject([{ vendor_id: acme.id, status: 'requested', requested_by: olive.id }]);
  });

  it('posture of an unknown vendor suggests the nearest name; without a name it shows the usage', async () => {
    await w.vendor({ name: 'Acme Health' });
    expect(replyOf(await w.run(vic, 'posture Acme Helth')).text).toBe(
      'No vendor named “Acme Helth”. Did you mean “Acme Health”?',
    );
    const usage = shown(await w.run(vic, 'posture'));
    expect(usage).toContain('Usage: `posture <vendor>`');
    expect(usage).toContain('Example: `posture "Acme Health"`');
  });

  it('list filters by tier, overdue review and owner', async () => {
    await w.vendor({ name: 'Acme Health', dataTypes: ['PHI'], ownerId: olive.id });
    await w.vendor({ name: 'Globex', dataTypes: ['none'], lastReviewOn: '2023-01-01' });
    await w.vendor({ name: 'Initech', dataTypes: ['confidential'], ownerId: olive.id });
    const all = shown(await w.run(vic, 'list'));
    expect(all).toMatch(/Acme Health[\s\S]*Globex[\s\S]*Initech/);
    const critical = shown(await w.run(vic, 'list tier:critical'));
    expect(critical).toContain('Acme Health');
    expect(critical).not.toContain('Globex');
    const overdue = shown(await w.run(vic, 'list overdue'));
    expect(overdue).toContain('**Globex** · low · owner _no owner_ · ⚠️ review overdue 2026-01-01 (151 days overdue)');
    expect(overdue).not.toContain('Acme');
    const olives = shown(await w.run(vic, `list owner:${ref(olive)}`));
    expect(olives).toContain('Initech');
    expect(olives).not.toContain('Globex');
    expect(shown(await w.run(olive, 'list owner:me'))).toContain('Filtered: owner you');
    expect(shown(await w.run(vic, 'list tier:critical overdue'))).toContain(
      'No vendors match those filters.\nFiltered: tier critical, review overdue',
    );
  });

  it('list refuses words it does not know with the usage', async () => {
    expect(shown(await w.run(vic, 'list tier:huge'))).toContain('Tier must be one of critical, high, medium, low');
    expect(shown(await w.run(vic, 'list everything'))).toContain(
      'Usage: `list [tier:<tier>] [overdue] [owner:@user|me]`',
    );
    expect(shown(await w.run(vic, 'list owner:dana'))).toContain('`owner:` needs a person');
  });

  it('due lists reassessments and evidence within the window, overdue first, 30 days by default', async () => {
    const acme = await w.vendor({ name: 'Acme Health', ownerId: olive.id }); // first review 2026-07-01
    await w.vendor({ name: 'Globex', dataTypes: ['confidential'], lastReviewOn: '2024-05-20' }); // medium: due 2026-05-20
    await inTransaction(w.store.deps.db, (tx) =>
      recordEvidence(tx, w.store.deps, dana, { vendorId: acme.id, type: 'soc2_type2', expiresOn: '2026-06-10' }),
    );
    await inTransaction(w.store.deps.db, (tx) =>
      recordEvidence(tx, w.store.deps, dana, { vendorId: acme.id, type: 'iso27001', expiresOn: '2026-09-01' }),
    );
    const due = shown(await w.run(vic, 'due'));
    expect(due).toMatch(
      /\*\*Globex\*\* · ⚠️ due 2026-05-20 \(12 days overdue\)[\s\S]*SOC 2 Type II[\s\S]*\*\*Acme Health\*\* · due 2026-07-01/,
    );
    expect(due).not.toContain('ISO 27001');
    const week = shown(await w.run(vic, 'due 14d'));
    expect(week).toContain('SOC 2 Type II · **Acme Health** · expires 2026-06-10 (in 9 days)');
    expect(week).not.toContain('2026-07-01');
    expect(shown(await w.run(vic, 'due 120d'))).toContain('ISO 27001');
    expect(shown(await w.run(vic, 'due soon'))).toContain('Usage: `due [<days>d]`');
  });

  it('findings filter by vendor, severity and assignee, most severe first', async () => {
    const acme = await w.vendor({ name: 'Acme Health', ownerId: olive.id });
    const globex = await w.vendor({ name: 'Globex' });
    await finding(acme.id, 'a1', 'medium', 'Weak TLS');
    const crit = await finding(acme.id, 'a2', 'critical', 'Open S3 bucket');
    await finding(globex.id, 'g1', 'high', 'Leaked key');
    await inTransaction(w.store.deps.db, (tx) => assign(tx, w.store.deps, dana, crit.id, olive));
    const all = shown(await w.run(vic, 'findings'));
    expect(all).toMatch(/Open S3 bucket[\s\S]*Leaked key[\s\S]*Weak TLS/);
    const acmeOnly = shown(await w.run(vic, 'findings "Acme Health"'));
    expect(acmeOnly).toContain('Open findings: Acme Health');
    expect(acmeOnly).not.toContain('Leaked key');
    expect(shown(await w.run(vic, 'findings severity:high'))).not.toContain('Weak TLS');
    const mine = shown(await w.run(olive, 'findings mine'));
    expect(mine).toContain(`🔴 #${crit.id} **critical** · Acme Health · Open S3 bucket · Assigned`);
    expect(mine).not.toContain('Weak TLS');
    expect(shown(await w.run(vic, 'findings Acme Helth'))).toContain('Did you mean “Acme Health”?');
    expect(shown(await w.run(vic, 'findings severity:urgent'))).toContain('Usage: `findings');
  });
  it('marks read-only only commands that change nothing, so skipping their replay receipt is safe', async () => {
    const counts = async () => {
      const tables = (await w.store.db.introspection.getTables()).map((t) => t.name).sort();
      const out: Record<string, number> = {};
      for (const name of tables) {
        const { rows } = await sql<{ n: string | number }>`select count(*) as n from ${sql.table(name)}`.execute(
          w.store.db,
        );
        out[name] = Number(rows[0]?.n);
      }
      return out;
    };
    const readOnly = registry.commands.filter((c) => c.readOnly);
    expect(readOnly.map((c) => c.name).sort()).toEqual(['due', 'findings', 'help', 'incidents', 'list', 'posture']);
    const before = await counts();
    for (const c of readOnly) {
      for (const text of [c.name, ...c.examples]) {
        for (const who of [ada, dana, vic]) await w.run(who, text);
      }
    }
    expect(await counts()).toEqual(before);
  });
});
