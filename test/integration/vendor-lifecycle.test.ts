import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditTrail } from '../../src/core/audit/log.ts';
import { verifySignature } from '../../src/core/audit/signatures.ts';
import { recordEvidence } from '../../src/core/evidence/record.ts';
import { decideActivation, markReceivingData, requestActivation } from '../../src/core/lifecycle/activation.ts';
import { startDueDiligence } from '../../src/core/lifecycle/due-diligence.ts';
import { acknowledgeIntake, assignIntake, requestVendor } from '../../src/core/lifecycle/intake.ts';
import { completeItem, signOffOffboarding, startOffboarding } from '../../src/core/lifecycle/offboarding.ts';
import { inTransaction } from '../../src/store/database.ts';
import { createTeamStore, dana, olive, openTestFinding, outbox, pat, sam, vendorRow } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

// The lifecycle through the core: intake by anyone, due diligence, activation as a signed four-eyes
// approval refused while required evidence is missing, and offboarding to offboarded.

describe('vendor lifecycle', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTeamStore();
  });
  afterEach(() => store.cleanup());

  const run = <T>(work: Parameters<typeof inTransaction<T>>[1]) => inTransaction(store.db, work);

  async function requested() {
    const { vendor } = await run((tx) =>
      requestVendor(tx, store.deps, sam, {
        name: 'Trialwave eCOA',
        website: 'trialwave.example',
        service: 'Patient diaries for study TW-201',
        data: ['PHI', 'trial data'],
        recordCount: 40_000,
        systems: 'EDC',
        businessOwner: olive.id,
      }),
    );
    return vendor;
  }

  it('creates a requested vendor with a derived tier, one intake card for the risk team and news for the requester', async () => {
    const vendor = await requested();
    expect(vendor.status).toBe('requested');
    expect(vendor.tier).toBe('critical');
    expect(vendor.owner_id).toBe(olive.id);
    await run((tx) => acknowledgeIntake(tx, store.deps, dana, vendor.id));
    const rows = await outbox(store);
    expect(rows.filter((r) => r.template === 'intake-card').map((r) => r.target)).toEqual([
      'slack:CFINDINGS',
      'slack:CFINDINGS',
    ]);
    expect(new Set(rows.filter((r) => r.template === 'intake-card').map((r) => r.subject))).toEqual(
      new Set([`intake:${vendor.id}`]),
    );
    const told = rows.filter((r) => r.target === sam.id).map((r) => JSON.parse(r.data).text);
    expect(told).toEqual(['Dana Analyst on the risk team has your vendor request.']);
  });

  it('assigns due diligence only to an analyst, and tells the requester who runs it', async () => {
    const vendor = await requested();
    await expect(run((tx) => assignIntake(tx, store.deps, dana, vendor.id, olive))).rejects.toThrow(
      'Olive Owner is not an analyst, so they cannot run the due diligence.',
    );
    await expect(run((tx) => assignIntake(tx, store.deps, sam, vendor.id, dana))).rejects.toThrow(
      "You don't have permission to change the vendor inventory",
    );
    const intake = await run((tx) => assignIntake(tx, store.deps, dana, vendor.id, dana));
    expect([intake.assignee_id, intake.acknowledged_by]).toEqual([dana.id, dana.id]);
    const told = (await outbox(store)).filter((r) => r.target === sam.id).map((r) => JSON.parse(r.data).text);
    expect(told).toEqual(['Dana Analyst will run the due diligence for Trialwave eCOA.']);
  });

  it('refuses activation while the BAA is missing, then a second person signs it and the vendor goes live', async () => {
    const vendor = await requested();
    const status = await run((tx) => startDueDiligence(tx, store.deps, dana, vendor.id));
    expect(status.missing).toContain('HIPAA BAA (holds PHI)');
    expect((await vendorRow(store, vendor.id)).status).toBe('in_review');
    expect((await outbox(store)).some((r) => r.template === 'reassessment-prompt' && r.target === olive.id)).toBe(true);
    await expect(run((tx) => requestActivation(tx, store.deps, dana, vendor.id, 'done'))).rejects.toThrow(
      /required evidence is missing: HIPAA BAA \(holds PHI\)/,
    );
    await expect(run((tx) => markReceivingData(tx, store.deps, dana, vendor.id))).rejects.toThrow(
      'Trialwave eCOA is not approved for use, so it cannot be marked as receiving data.',
    );
    for (const [type, issuedOn] of [
      ['hipaa_baa', '2026-05-01'],
      ['soc2_type2', '2026-01-01'],
      ['pentest', '2026-03-01'],
    ] as const) {
      await run((tx) =>
        recordEvidence(tx, store.deps, dana, { vendorId: vendor.id, type, issuedOn, expiresOn: '2027-05-01' }),
      );
    }
    const { request } = await run((tx) => requestActivation(tx, store.deps, dana, vendor.id, 'Due diligence complete'));
    // Dana holds the approver role too, but asked: four eyes.
    await expect(
      run((tx) => decideActivation(tx, store.deps, dana, request.id, { decision: 'approved_for_use' })),
    ).rejects.toThrow('You asked for this activation, so another approver must decide it.');
    const { signature, vendor: approved } = await run((tx) =>
      decideActivation(tx, store.deps, pat, request.id, { decision: 'approved_for_use' }),
    );
    expect(approved.status).toBe('approved');
    expect(signature.signer_name).toBe('Pat Approver');
    expect((await verifySignature(store.db, signature.id)).ok).toBe(true);
    const live = await run((tx) => markReceivingData(tx, store.deps, dana, vendor.id));
    expect(live.status).toBe('active');
    expect(live.next_review_on).toBe('2026-07-01');
    const moves = (await auditTrail(store.db, 'vendor', vendor.id)).filter((a) => a.action === 'vendor.lifecycle');
    expect(moves.map((a) => JSON.parse(a.after ?? '{}').status)).toEqual(['in_review', 'approved', 'active']);
  });

  it('a rejection needs a reason, is signed, and tells the requester why', async () => {
    const vendor = await requested();
    await run((tx) => startDueDiligence(tx, store.deps, dana, vendor.id));
    await run((tx) =>
      recordEvidence(tx, store.deps, dana, { vendorId: vendor.id, type: 'hipaa_baa', expiresOn: '2027-05-01' }),
    );
    await run((tx) =>
      recordEvidence(tx, store.deps, dana, { vendorId: vendor.id, type: 'iso27001', expiresOn: '2027-05-01' }),
    );
    await run((tx) =>
      recordEvidence(tx, store.deps, dana, {
        vendorId: vendor.id,
        type: 'pentest',
        issuedOn: '2026-04-01',
        expiresOn: '2027-04-01',
      }),
    );
    const { request } = await run((tx) => requestActivation(tx, store.deps, dana, vendor.id, ''));
    await expect(
      run((tx) => decideActivation(tx, store.deps, pat, request.id, { decision: 'rejected' })),
    ).rejects.toThrow('Say why: a rejection needs a reason.');
    const { vendor: rejected } = await run((tx) =>
      decideActivation(tx, store.deps, pat, request.id, { decision: 'rejected', reason: 'Hosts data outside the EU' }),
    );
    expect(rejected.status).toBe('rejected');
    const told = (await outbox(store)).filter((r) => r.target === sam.id).map((r) => JSON.parse(r.data).text);
    expect(told).toContain('Trialwave eCOA was rejected by Pat Approver: Hosts data outside the EU');
  });

  it('offboards only when the checklist is done, the certificate recorded and no finding is open', async () => {
    const vendor = await requested();
    await expect(run((tx) => startOffboarding(tx, store.deps, dana, vendor.id, 'contract ends'))).rejects.toThrow(
      'Trialwave eCOA is requested, so it cannot become offboarding.',
    );
    await store.db.updateTable('vendors').set({ status: 'active' }).where('id', '=', vendor.id).execute();
    const { view } = await run((tx) => startOffboarding(tx, store.deps, dana, vendor.id, 'contract ends'));
    expect(view.items.map((i) => [i.item, i.owner_id, i.due_on])).toEqual([
      ['access_revoked', olive.id, '2026-07-01'],
      ['integrations_disconnected', olive.id, '2026-07-01'],
      ['data_returned_or_destroyed', dana.id, '2026-07-01'],
      ['agreements_terminated', dana.id, '2026-07-01'],
    ]);
    const finding = await openTestFinding(store, vendor.id);
    const id = view.offboarding.id;
    await run((tx) => completeItem(tx, store.deps, olive, id, 'access_revoked'));
    await run((tx) => completeItem(tx, store.deps, olive, id, 'integrations_disconnected'));
    await expect(run((tx) => completeItem(tx, store.deps, dana, id, 'data_returned_or_destroyed'))).rejects.toThrow(
      'Link the certificate',
    );
    await run((tx) =>
      completeItem(tx, store.deps, dana, id, 'data_returned_or_destroyed', {
        certificateUrl: 'https://docs.example/cod.pdf',
        certificateDate: '2026-05-30',
      }),
    );
    await run((tx) => completeItem(tx, store.deps, dana, id, 'agreements_terminated'));
    await expect(run((tx) => signOffOffboarding(tx, store.deps, dana, id))).rejects.toThrow(
      `Finding #${finding.id} (Publicly reachable Elasticsearch without authentication) is open`,
    );
    await store.db.updateTable('findings').set({ state: 'resolved' }).where('id', '=', finding.id).execute();
    const { signature } = await run((tx) => signOffOffboarding(tx, store.deps, dana, id));
    expect(signature.meaning).toBe('approval');
    const after = await vendorRow(store, vendor.id);
    expect([after.status, after.next_review_on]).toEqual(['offboarded', null]);
    const certificate = await store.db.selectFrom('evidence').selectAll().where('vendor_id', '=', vendor.id).execute();
    expect(certificate.map((e) => [e.type, e.url])).toEqual([
      ['data_disposition_certificate', 'https://docs.example/cod.pdf'],
    ]);
  });
});
