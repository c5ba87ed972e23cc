import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.ts';
import { recordEvidence } from '../../src/core/evidence/record.ts';
import { assign, openFinding } from '../../src/core/findings/actions.ts';
import { inTransaction } from '../../src/store/database.ts';
import { buttons, commandWorld, ref, shown, type World } from '../support/command-world.ts';
import { dana, olive, vic } from '../support/fixtures.ts';

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

  it('help lists every registered subcommand with its usage and an example, also for empty and unknown text', async () => {
    const help = shown(await w.run(vic, 'help'));
    for (const c of registry.commands) {
      expect(help).toContain(`/vendor ${c.usage}`);
      if (c.examples[0]) expect(help).toContain(`/vendor ${c.examples[0]}`);
    }
    expect(shown(await w.run(vic, ''))).toContain('/vendor posture <vendor>');
    const unknown = shown(await w.run(vic, 'frobnicate Acme'));
    expect(unknown).toContain("I don't know `frobnicate`");
    expect(unknown).toContain('/vendor list');
    expect(shown(await w.run(vic, 'help due'))).toContain('/vendor due 14d');
    // A typo names the command meant, not the whole help.
    const typo = shown(await w.run(vic, 'postur Acme'));
    expect(typo).toContain("I don't know `postur`. Did you mean `posture`? Try `/vendor posture Acme`");
    expect(typo).not.toContain('/vendor list');
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
    expect(shown(await w.run(vic, 'posture Acme Helth'))).toBe(
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
});
