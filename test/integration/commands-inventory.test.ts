import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditTrail } from '../../src/core/audit/log.ts';
import { listEvidence } from '../../src/core/evidence/record.ts';
import { findVendorByName } from '../../src/core/vendors/lookup.ts';
import { commandWorld, formOf, ref, shown, type World } from '../support/command-world.ts';
import { dana, olive, vic } from '../support/fixtures.ts';

// Changing the inventory from chat: add (words and form), owner, evidence, signal. Each change goes
// through the core, is audited there, and a mistake or a refusal changes nothing (audit count equal).

describe('inventory subcommands', () => {
  let w: World;
  beforeEach(async () => {
    w = await commandWorld();
  });
  afterEach(() => w.cleanup());

  /** The reply text, and proof that nothing was written while producing it. */
  async function unchanged(actor = dana, text: string): Promise<string> {
    const before = await w.audits();
    const answer = shown(await w.run(actor, text));
    expect(await w.audits()).toBe(before);
    return answer;
  }

  it('add derives the tier, records owner, channel and regulations, audited', async () => {
    const answer = shown(
      await w.run(
        dana,
        `add "Acme Health" data:PHI,PII criticality:high owner:${ref(olive)} channel:<#slack:CACME|acme> regs:hipaa,gdpr`,
      ),
    );
    expect(answer).toContain('Added **Acme Health**: tier **critical** (derived from PHI, PII and high criticality)');
    expect(answer).toContain('Not approved for use yet: start due diligence with `review "Acme Health"`.');
    expect(answer).toContain('Olive Owner');
    const acme = await findVendorByName(w.store.db, 'acme health');
    expect(acme).toMatchObject({ owner_id: olive.id, channel: 'slack:CACME', regulatory_scope: '["HIPAA","GDPR"]' });
    expect((await auditTrail(w.store.db, 'vendor', acme.id)).map((a) => a.action)).toEqual(['vendor.create']);
  });

  it('add with a tier unlike the derived one needs a reason, and records it as an override', async () => {
    const refused = await unchanged(dana, 'add Globex data:none tier:critical');
    expect(refused).toContain('Globex is a **low**-tier vendor. To make it **critical** instead, add a reason');
    const answer = shown(await w.run(dana, 'add Globex data:none tier:critical reason:"runs our payroll batch"'));
    expect(answer).toContain('tier **critical** (override: runs our payroll batch)');
    const trail = await auditTrail(w.store.db, 'vendor', (await findVendorByName(w.store.db, 'Globex')).id);
    expect(trail[0]?.reason).toBe('runs our payroll batch');
    // Naming the derived tier is not an override and needs no reason.
    expect(shown(await w.run(dana, 'add Initech data:PHI tier:critical'))).toContain('derived from PHI');
  });

  it('add refuses duplicates, unknown options and viewers, and writes nothing', async () => {
    await w.vendor({ name: 'Acme Health' });
    expect(await unchanged(dana, 'add acme health')).toBe(
      'A vendor named “Acme Health” already exists. Nothing was added.',
    );
    expect(await unchanged(dana, 'add Foo data:DNA')).toContain('Usage: `add [<vendor>');
    expect(await unchanged(dana, 'add Foo owner:dana')).toContain('`owner:` must be a person');
    expect(await unchanged(vic, 'add Foo')).toContain("You don't have permission to change the vendor inventory");
    expect(await unchanged(vic, 'add')).toContain("You don't have permission");
  });

  it('bare add opens a form; its submission creates the vendor or names the field at fault', async () => {
    const form = formOf(await w.run(dana, 'add', 'slack:CRISK'));
    expect(form.fields.map((f) => f.id)).toEqual([
      'name',
      'services',
      'data',
      'criticality',
      'owner',
      'channel',
      'regs',
    ]);
    expect(form.fields.find((f) => f.id === 'channel')?.options?.[0]).toEqual({
      value: 'slack:CRISK',
      label: 'This conversation',
    });
    const values = {
      name: 'Acme Health',
      services: 'Claims',
      data: ['PHI'],
      criticality: 'high',
      owner: olive.id,
      channel: 'slack:CRISK',
      regs: ['HIPAA'],
    };
    const created = await w.submit(dana, form.id, values, form.state);
    expect(shown(created)).toContain('Added **Acme Health**: tier **critical**');
    expect(await findVendorByName(w.store.db, 'Acme Health')).toMatchObject({
      channel: 'slack:CRISK',
      services: 'Claims',
    });
    const before = await w.audits();
    expect(await w.submit(dana, form.id, values, form.state)).toEqual({
      fieldErrors: { name: 'A vendor named “Acme Health” already exists. Nothing was added.' },
    });
    expect(await w.submit(dana, form.id, { name: ' ', data: [], criticality: 'high' })).toEqual({
      fieldErrors: { name: 'A vendor needs a name.', data: 'Choose at least one, or “No sensitive data”.' },
    });
    expect(await w.audits()).toBe(before);
    // A DM is no place for findings: the form does not offer it.
    const dm = formOf(await w.run(dana, 'add', 'slack:DDANA'));
    expect(dm.fields.find((f) => f.id === 'channel')?.options?.map((o) => o.value)).toEqual(['none']);
  });

  it('owner sets and clears the owner; unknown vendors and non-analysts change nothing', async () => {
    await w.vendor({ name: 'Acme Health' });
    expect(shown(await w.run(dana, `owner Acme Health ${ref(olive)}`))).toBe(
      '<@slack:UOLIVE|Olive Owner> now owns **Acme Health**.',
    );
    expect(await unchanged(dana, `owner Acme Health ${ref(olive)}`)).toContain('already owns');
    expect(await unchanged(dana, `owner Acme Helth ${ref(olive)}`)).toContain('Did you mean “Acme Health”?');
    expect(await unchanged(dana, 'owner Acme Health olive')).toContain('Usage: `owner <vendor> @user|none`');
    expect(await unchanged(olive, `owner Acme Health ${ref(vic)}`)).toContain("You don't have permission");
    expect(shown(await w.run(dana, 'owner "Acme Health" none'))).toBe('Acme Health has no owner now.');
  });

  it('evidence takes friendly type names, an expiry and a link; the vendor owner may record it', async () => {
    const acme = await w.vendor({ name: 'Acme Health', ownerId: olive.id });
    const answer = shown(
      await w.run(olive, 'evidence Acme Health soc2 expires:2027-03-31 https://trust.acme.example/soc2.pdf'),
    );
    expect(answer).toBe('Recorded **SOC 2 Type II** for **Acme Health**: expires 2027-03-31 (in 303 days).');
    expect(await unchanged(olive, 'evidence Acme Health soc2 expires:2027-03-31')).toContain('already recorded');
    expect(shown(await w.run(dana, 'evidence "Acme Health" baa expires:2028-01-01'))).toContain('HIPAA BAA');
    expect((await listEvidence(w.store.db, acme.id)).map((e) => [e.type, e.url])).toEqual([
      ['hipaa_baa', null],
      ['soc2_type2', 'https://trust.acme.example/soc2.pdf'],
    ]);
    expect(await unchanged(dana, 'evidence Acme Health soc3 expires:2027-01-01')).toContain(
      'use one of soc2, iso, pentest',
    );
    expect(await unchanged(dana, 'evidence Acme Health iso expires:2027-02-30')).toContain('Usage: `evidence');
    expect(await unchanged(dana, 'evidence Acme Health iso')).toContain('Add `expires:YYYY-MM-DD`');
    expect(await unchanged(vic, 'evidence Acme Health iso expires:2027-01-01')).toContain("You don't have permission");
  });

  it('signal records with source chat, opens a finding when medium or worse, and a same-day repeat is a no-op', async () => {
    await w.vendor({ name: 'Acme Health', dataTypes: ['PHI'] });
    const text = 'signal Acme Health exposed high Unauthenticated Elasticsearch at es.acme.example';
    const first = shown(await w.run(dana, text));
    expect(first).toMatch(
      /Recorded signal #\d+ for \*\*Acme Health\*\* \(high exposed datastore\)\. Opened finding #\d+/,
    );
    expect(await unchanged(dana, text.replace('Elasticsearch', 'elasticsearch  '))).toContain('already recorded today');
    const signals = await w.store.db.selectFrom('signals').selectAll().execute();
    expect(signals).toHaveLength(1);
    expect(signals[0]).toMatchObject({ source: 'chat', kind: 'exposed_datastore', severity: 'high' });
    // The next day the same words are a new observation.
    w.store.clock.set('2026-06-02T09:00:00.000Z');
    expect(shown(await w.run(dana, text))).toMatch(/Recorded signal #\d+/);
    expect(shown(await w.run(dana, 'signal Acme Health rating medium Rating dropped rating:D'))).toContain(
      'Opened finding',
    );
    expect(await unchanged(dana, 'signal Acme Health sideways high Hmm')).toContain('Usage: `signal');
    expect(await unchanged(dana, 'signal Acme Health rating low Rating moved')).toContain('`rating:D`');
    expect(await unchanged(olive, text.replace('high', 'low'))).toContain(
      "You don't have permission to record monitoring signals",
    );
  });
});
