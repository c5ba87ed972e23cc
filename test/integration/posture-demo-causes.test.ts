import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnswerInput } from '../../src/core/assessments/scoring.ts';
import { submit } from '../../src/core/assessments/submit.ts';
import { addDaysIso, todayOf } from '../../src/core/common/dates.ts';
import { getPosture } from '../../src/core/posture/posture.ts';
import { gradeFor } from '../../src/core/posture/score.ts';
import { findVendorByName } from '../../src/core/vendors/lookup.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { runSweep } from '../../src/scheduler/sweep.ts';
import { inTransaction } from '../../src/store/database.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

// The seeded demo, a month on: Meridian's pen test has expired, its reassessment comes back at 87 with
// one control failed. Every cause must appear once, and the grade must be what those causes add up to.

const SAM = { id: 'slack:UDEMOOWNER', name: 'Sam Patel' };

describe('demo posture: each cause once', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore('2026-06-01T09:00:00.000Z');
    await seedDemo(store.deps);
  });
  afterEach(() => store.cleanup());

  it('Meridian after a reassessment scoring 87 with one failed control and an expired pen test', async () => {
    const meridian = await findVendorByName(store.db, 'Meridian Clinical Research');
    store.clock.set(`${addDaysIso('2026-06-01', 30)}T09:00:00.000Z`);
    await runSweep(store.deps);
    const assessment = await store.db
      .selectFrom('assessments')
      .selectAll()
      .where('vendor_id', '=', meridian.id)
      .where('status', '!=', 'submitted')
      .executeTakeFirstOrThrow();
    const controls = [
      'mfa-admin',
      'least-privilege',
      'encryption-at-rest',
      'encryption-in-transit',
      'no-public-datastores',
      'config-drift',
      'vulnerability-management',
      'incident-response',
      'sub-processors',
      'baa-dpa',
      'audit-trails',
      'system-validation',
      'tested-backups',
      'certifications',
    ];
    const answers: Record<string, AnswerInput> = Object.fromEntries(controls.map((c) => [c, { answer: 'yes' }]));
    answers['config-drift'] = { answer: 'no' };
    for (const c of ['sub-processors', 'system-validation', 'certifications']) answers[c] = { answer: 'partial' };
    const result = await inTransaction(store.db, (tx) => submit(tx, store.deps, SAM, assessment.id, answers));
    expect(result.score).toBe(87);
    expect(result.failedControls.map((f) => f.control.id)).toEqual(['config-drift']);
    // The overdue review is over: its finding closed itself and nothing waits on it for an approver.
    const overdue = await store.db
      .selectFrom('findings')
      .select(['state', 'resolution'])
      .where('vendor_id', '=', meridian.id)
      .where('dedupe_key', 'like', 'review-overdue:%')
      .execute();
    for (const f of overdue) expect(f).toMatchObject({ state: 'resolved', resolution: /^Reassessment #\d+ submitted/ });

    store.clock.set(`${addDaysIso('2026-06-01', 31)}T09:00:00.000Z`);
    await runSweep(store.deps);
    const posture = await getPosture(store.db, store.deps, meridian.id, todayOf(store.deps));
    const lines = posture.drivers.map((d) => `${d.points} ${d.label} [${d.from}]`);
    // Each cause once: no finding counted twice, and no rule counting what a finding already stands for.
    expect(new Set(posture.drivers.map((d) => d.from)).size).toBe(
      posture.drivers.filter((d) => d.origin === 'finding').length +
        new Set(posture.drivers.filter((d) => d.origin !== 'finding').map((d) => d.from)).size,
    );
    expect(lines.filter((l) => /Configuration drift/i.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /Penetration test|pen test/i.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /Reassessment|overdue/i.test(l))).toHaveLength(0);
    expect(lines.filter((l) => /posture fell/i.test(l))).toHaveLength(0);
    // Partial answers on light controls are in the questionnaire's 87, not failed controls: no cause here.
    expect(lines.filter((l) => /only partly met/.test(l))).toHaveLength(0);
    expect(posture.score).toBe(Math.max(0, 100 + posture.drivers.reduce((s, d) => s + d.points, 0)));
    expect(posture.grade).toBe(gradeFor(posture.score, store.deps.policy));
    console.info(`Meridian: grade ${posture.grade}, ${posture.score}/100\n${lines.join('\n')}`);
  });
});
