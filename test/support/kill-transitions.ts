import { decide } from '../../src/core/approvals/decide.ts';
import { requestEscalation } from '../../src/core/approvals/request.ts';
import { systemClock } from '../../src/core/common/clock.ts';
import type { CoreDeps } from '../../src/core/common/deps.ts';
import { acknowledge, assign, openFinding } from '../../src/core/findings/actions.ts';
import { proposeFix } from '../../src/core/findings/verified-closure.ts';
import { DEFAULT_POLICY } from '../../src/core/policy/policy.ts';
import { findVendorByName } from '../../src/core/vendors/lookup.ts';
import { DEMO_ROUTING } from '../../src/demo/routing.ts';
import { inTransaction, openStore } from '../../src/store/database.ts';
import { freeze, report, watchStatements } from './kill-hooks.ts';

// Child of test/e2e/kill-transitions.test.ts: works findings through their whole life as the demo
// personas, one transaction per step, reporting each commit; freezes just before appending audit row
// number FREEZE_AT of this run, when that transaction has already changed its rows.

const freezeAt = Number(process.argv[2]);
let audits = 0;
watchStatements((sql) => {
  if (sql.startsWith('insert into "audit_log"') && ++audits === freezeAt) {
    report('frozen');
    freeze();
  }
});

const store = await openStore(process.env.DATABASE_URL);
const deps: CoreDeps = {
  db: store.db,
  clock: systemClock,
  policy: DEFAULT_POLICY,
  routing: DEMO_ROUTING,
  timeZone: 'UTC',
};
const analyst = { id: 'slack:UDEMOANALYST', name: 'Dana Reyes' };
const approver = { id: 'slack:UDEMOAPPROVER', name: 'Morgan Lee' };
const owner = { id: 'slack:UDEMOOWNER2', name: 'Priya Nair' };
const vendor = await findVendorByName(store.db, 'Helix EDC');
const committed = (f: { id: number; version: number; state: string }) =>
  report(`committed ${f.id} v${f.version} ${f.state}`);

for (let i = 1; ; i++) {
  const { finding } = await inTransaction(store.db, (tx) =>
    openFinding(tx, deps, analyst, {
      vendorId: vendor.id,
      dedupeKey: `kill-test:${process.pid}:${i}`,
      source: 'analyst',
      title: `Access review ${i} found a leaver's account still active`,
      detail: 'Found during the quarterly access review.',
      severity: 'high',
    }),
  );
  committed(finding);
  committed(await inTransaction(deps.db, (tx) => acknowledge(tx, deps, analyst, finding.id)));
  committed(await inTransaction(deps.db, (tx) => assign(tx, deps, analyst, finding.id, owner)));
  const { request, finding: pending } = await inTransaction(deps.db, (tx) =>
    requestEscalation(tx, deps, analyst, finding.id, {
      requestedAction: 'suspend_access',
      reason: 'The account can still reach study data.',
    }),
  );
  committed(pending);
  committed(
    (await inTransaction(deps.db, (tx) => decide(tx, deps, approver, request.id, { decision: 'approve' }))).finding,
  );
  committed(
    await inTransaction(deps.db, (tx) =>
      proposeFix(tx, deps, owner, finding.id, { note: 'Account removed and access logs reviewed.' }),
    ),
  );
}
