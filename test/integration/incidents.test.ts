import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/core/audit/log.ts';
import { verifySignature } from '../../src/core/audit/signatures.ts';
import { markClockMet } from '../../src/core/incidents/clocks.ts';
import { requestClosure, requestNotRequired, signDecision } from '../../src/core/incidents/decisions.ts';
import { declareIncident } from '../../src/core/incidents/declare.ts';
import { getIncidentDetail } from '../../src/core/incidents/queries.ts';
import { reminderSlots } from '../../src/core/incidents/reminders.ts';
import { advanceIncident, changeAwareAt, completeTask } from '../../src/core/incidents/work.ts';
import { runSweep } from '../../src/scheduler/sweep.ts';
import { inTransaction } from '../../src/store/database.ts';
import { dana, grantRoles, insertVendor, pat, quinn, vic } from '../support/fixtures.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

// Incidents in the core: declared at once with their playbook and clocks; tasks, decisions signed by
// another approver, the vendor's late notice as a finding, closure with the review applied; and a
// 40-day walk of the scheduler in which each reminder fires once and restarts repeat nothing.

let store: TestStore;

beforeEach(async () => {
  store = await createTestStore('2026-06-01T09:00:00.000Z');
  await grantRoles(store);
});
afterEach(() => store.cleanup());

async function trialVendor(): Promise<number> {
  const id = await insertVendor(store, { name: 'TrialNet CRO' });
  await store.db
    .updateTable('vendors')
    .set({ data_types: '["PHI","PII"]', regulatory_scope: '["HIPAA","GDPR","EU CTR"]' })
    .where('id', '=', id)
    .execute();
  return id;
}

const declare = (vendorId: number, extra: Record<string, unknown> = {}) =>
  inTransaction(store.db, (tx) =>
    declareIncident(tx, store.deps, dana, {
      vendorId,
      scenario: 'datastore',
      summary: 'Elasticsearch open to the internet',
      ...extra,
    }),
  );

describe('declaring an incident', () => {
  it('is immediate: playbook tasks, clocks from scope, a card in the findings channel, audited', async () => {
    const vendorId = await trialVendor();
    const incident = await declare(vendorId);
    expect(incident).toMatchObject({
      state: 'open',
      scenario: 'datastore-exposed',
      lead_id: dana.id,
      severity: 'critical',
    });
    const detail = await getIncidentDetail(store.db, incident.id);
    expect(detail.tasks.map((t) => t.phase)).toEqual([
      'contain',
      'contain',
      'assess',
      'assess',
      'assess',
      'notify',
      'recover',
      'review',
    ]);
    expect(detail.clocks.map((c) => c.rule).sort()).toEqual([
      'ctr-52-member-states',
      'gdpr-33-authority',
      'gdpr-34-subjects',
      'hipaa-hhs',
      'hipaa-individuals',
      'hipaa-media',
      'sponsor-ethics',
      'vendor-notice',
    ]);
    const outbox = await store.db.selectFrom('outbox').select(['target', 'template']).orderBy('id').execute();
    expect(outbox).toEqual([
      { target: 'slack:CFINDINGS', template: 'incident-card' },
      { target: 'slack:CFINDINGS', template: 'incident-timeline' },
    ]);
    const audit = await store.db.selectFrom('audit_log').select('action').execute();
    expect(audit.map((a) => a.action)).toContain('incident.declare');
  });

  it('goes to the incident channel when one is configured, and refuses a viewer and an unknown scenario', async () => {
    const vendorId = await trialVendor();
    store.deps.routing = { ...store.deps.routing, incidentChannels: ['slack:CINCIDENT'] };
    await declare(vendorId);
    const targets = await store.db.selectFrom('outbox').select('target').distinct().execute();
    expect(targets).toEqual([{ target: 'slack:CINCIDENT' }]);
    await expect(
      inTransaction(store.db, (tx) =>
        declareIncident(tx, store.deps, vic, { vendorId, scenario: 'ransomware', summary: 'x' }),
      ),
    ).rejects.toThrow("You don't have permission to work on this incident");
    await expect(declare(vendorId, { scenario: 'meteor' })).rejects.toThrow('“meteor” is not a known scenario');
  });

  it('an awareness time can be corrected only with a reason; running clocks count from the new time', async () => {
    const incident = await declare(await trialVendor());
    await expect(
      inTransaction(store.db, (tx) =>
        changeAwareAt(tx, store.deps, dana, incident.id, { awareAt: '2026-05-31T09:00:00Z', reason: ' ' }),
      ),
    ).rejects.toThrow('Say why');
    await inTransaction(store.db, (tx) =>
      changeAwareAt(tx, store.deps, dana, incident.id, {
        awareAt: '2026-05-31T09:00:00Z',
        reason: 'Scanner saw it a day earlier',
      }),
    );
    const detail = await getIncidentDetail(store.db, incident.id);
    expect(detail.clocks.find((c) => c.rule === 'gdpr-33-authority')?.deadline).toBe('2026-06-03T09:00:00.000Z');
    expect(detail.timeline.at(-1)?.text).toContain('Scanner saw it a day earlier');
  });
});

describe('working an incident', () => {
  it('a not-required decision is signed by another approver, never by the person who asked', async () => {
    // Pat, an approver, leads the incident and so may ask; Pat still may not sign what Pat asked for.
    const incident = await declare(await trialVendor(), { leadId: pat.id });
    const detail = await getIncidentDetail(store.db, incident.id);
    const subjects = detail.clocks.find((c) => c.rule === 'gdpr-34-subjects')!;
    const { decision } = await inTransaction(store.db, (tx) =>
      requestNotRequired(tx, store.deps, pat, subjects.id, 'Only exposed, no access in the logs: no high risk'),
    );
    await expect(inTransaction(store.db, (tx) => signDecision(tx, store.deps, pat, decision.id))).rejects.toThrow(
      'another approver must sign it',
    );
    await expect(inTransaction(store.db, (tx) => signDecision(tx, store.deps, vic, decision.id))).rejects.toThrow(
      'approve or reject requests (approvers)',
    );
    const { signature } = await inTransaction(store.db, (tx) => signDecision(tx, store.deps, quinn, decision.id));
    expect(signature.signer_name).toBe('Quinn Approver');
    expect((await verifySignature(store.db, signature.id)).ok).toBe(true);
    const after = await getIncidentDetail(store.db, incident.id);
    expect(after.clocks.find((c) => c.id === subjects.id)).toMatchObject({
      state: 'not_required',
      settled_by: quinn.id,
    });
  });

  it('the vendor telling us after its contractual deadline is a finding against the vendor', async () => {
    const incident = await declare(await trialVendor(), { vendorAwareAt: '2026-05-25T09:00:00Z' });
    const clock = (await getIncidentDetail(store.db, incident.id)).clocks.find((c) => c.rule === 'vendor-notice')!;
    const { clock: settled, findingId } = await inTransaction(store.db, (tx) =>
      markClockMet(tx, store.deps, dana, clock.id, { note: 'Email from their CISO', at: '2026-06-01T08:00:00Z' }),
    );
    expect(settled.state).toBe('missed');
    const finding = await store.db
      .selectFrom('findings')
      .selectAll()
      .where('id', '=', findingId!)
      .executeTakeFirstOrThrow();
    expect(finding.title).toBe('TrialNet CRO told us of incident #1 late');
  });

  it('closes only after notifications, with the review applied in one step and the chain intact', async () => {
    const vendorId = await insertVendor(store, { name: 'Plain Vendor' });
    await store.db
      .updateTable('vendors')
      .set({ data_types: '["none"]', regulatory_scope: '[]' })
      .where('id', '=', vendorId)
      .execute();
    const incident = await declare(vendorId, { scenario: 'lost-device' });
    await inTransaction(store.db, (tx) => completeTask(tx, store.deps, dana, incident.id, 1));
    await expect(inTransaction(store.db, (tx) => completeTask(tx, store.deps, dana, incident.id, 1))).rejects.toThrow(
      'T1 was already done by Dana Analyst',
    );
    await inTransaction(store.db, (tx) => advanceIncident(tx, store.deps, dana, incident.id, 'contained'));
    await inTransaction(store.db, (tx) => advanceIncident(tx, store.deps, dana, incident.id, 'notifications_done'));
    const { decision } = await inTransaction(store.db, (tx) =>
      requestClosure(tx, store.deps, dana, incident.id, {
        lessons: 'Device encryption was not verified at onboarding',
        followUps: ['Confirm MDM covers every laptop'],
        tier: 'high',
        nextReviewOn: '2026-09-01',
        evidence: ['iso27001'],
      }),
    );
    await inTransaction(store.db, (tx) => signDecision(tx, store.deps, pat, decision.id));
    const closed = await getIncidentDetail(store.db, incident.id);
    expect(closed.incident.state).toBe('closed');
    const vendor = await store.db
      .selectFrom('vendors')
      .selectAll()
      .where('id', '=', vendorId)
      .executeTakeFirstOrThrow();
    expect([vendor.tier, vendor.next_review_on]).toEqual(['high', '2026-09-01']);
    const findings = await store.db.selectFrom('findings').select('title').where('vendor_id', '=', vendorId).execute();
    expect(findings.map((f) => f.title)).toEqual([
      'Confirm MDM covers every laptop',
      'Obtain a current ISO 27001 after incident #1',
    ]);
    expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true });
  });
});

describe('the clock walk', () => {
  it('over 40 days fires each reminder exactly once; missed clocks escalate once; restarts repeat nothing', async () => {
    const incident = await declare(await trialVendor());
    const start = Date.parse('2026-06-01T09:00:00.000Z');
    const fired: string[] = [];
    for (let hour = 0; hour <= 40 * 24; hour += 1) {
      const report = await runSweep(store.deps, { now: new Date(start + hour * 3_600_000) });
      fired.push(...report.fired.map((f) => f.key).filter((k) => k.startsWith('incident-clock:')));
    }
    expect(new Set(fired).size).toBe(fired.length);
    const detail = await getIncidentDetail(store.db, incident.id);
    const end = new Date(start + 40 * 24 * 3_600_000).toISOString();
    const expected: string[] = [];
    for (const clock of detail.clocks) {
      for (const slot of reminderSlots(clock.starts_at, clock.deadline, store.deps.policy.incidents)) {
        if (slot.at <= end) expected.push(`incident-clock:${clock.id}:${clock.deadline}:${slot.name}`);
      }
      if (clock.deadline <= end) expected.push(`incident-clock:${clock.id}:${clock.deadline}:missed`);
    }
    expect([...fired].sort()).toEqual(expected.sort());
    // GDPR (72 h), EU CTR (7 days), sponsor/ethics (5 business days) and the vendor's notice were missed.
    expect(
      detail.clocks
        .filter((c) => c.state === 'missed')
        .map((c) => c.rule)
        .sort(),
    ).toEqual(['ctr-52-member-states', 'gdpr-33-authority', 'gdpr-34-subjects', 'sponsor-ethics', 'vendor-notice']);
    const escalations = await store.db
      .selectFrom('outbox')
      .select('target')
      .where('template', '=', 'incident-missed')
      .execute();
    expect(escalations.filter((e) => e.target === 'slack:CAPPROVALS')).toHaveLength(5);
    // A restart sweeps the same instants again: nothing more fires.
    for (const hour of [0, 36, 72, 500, 960]) {
      const again = await runSweep(store.deps, { now: new Date(start + hour * 3_600_000) });
      expect(again.fired.filter((f) => f.key.startsWith('incident-clock:'))).toEqual([]);
    }
    expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true });
  });
});

describe('the Home tab', () => {
  it('shows the lead their incident with the nearest deadline, and the assignee their task', async () => {
    const { home } = await import('../../commands/home.ts');
    const { assignTask } = await import('../../src/core/incidents/work.ts');
    const incident = await declare(await trialVendor());
    await inTransaction(store.db, (tx) => assignTask(tx, store.deps, dana, incident.id, 3, vic));
    const ctx = (actor: typeof dana) => ({
      deps: store.deps,
      actor,
      log: undefined as never,
      platform: 'slack' as const,
      channel: null,
    });
    const lead = JSON.stringify(await home(ctx(dana)));
    expect(lead).toContain('#1 TrialNet CRO: Elasticsearch open to the internet (you lead it; next deadline in 3 d)');
    const assignee = JSON.stringify(await home(ctx(vic)));
    expect(assignee).toContain("Your tasks: T3 Obtain the vendor's access logs for the exposure window");
    expect(JSON.stringify(await home(ctx(quinn)))).not.toContain('Incidents');
  });
});
