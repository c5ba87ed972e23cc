import type { Actor } from '../../src/core/common/actor.ts';
import type { Role, Severity, Tier } from '../../src/core/common/vocabulary.ts';
import { openFinding } from '../../src/core/findings/actions.ts';
import { grantRole } from '../../src/core/roles/permissions.ts';
import { inTransaction } from '../../src/store/database.ts';
import { createTestStore, type TestStore } from './store.ts';

// The people, vendors and findings the core and command tests share, each defined once. Vendors and
// grants are written straight to the store, so most tests depend only on the schema, not on the
// vendor-inventory code; people are as the Slack adapter would see them after neutralizing refs.

export const ada: Actor = { id: 'slack:UADA', name: 'Ada Admin' };
export const dana: Actor = { id: 'slack:UDANA', name: 'Dana Analyst' };
export const pat: Actor = { id: 'slack:UPAT', name: 'Pat Approver' };
export const quinn: Actor = { id: 'slack:UQUINN', name: 'Quinn Approver' };
export const olive: Actor = { id: 'slack:UOLIVE', name: 'Olive Owner' };
export const vic: Actor = { id: 'slack:UVIC', name: 'Vic Viewer' };
export const sam: Actor = { id: 'slack:USAM', name: 'Sam Engineer' };

/** The review team: Dana analyses and approves, Pat and Quinn approve; granted by setup, not audited. */
export async function grantRoles(store: TestStore): Promise<void> {
  const at = store.clock.now().toISOString();
  const grants: [Actor, Role][] = [
    [dana, 'analyst'],
    [pat, 'approver'],
    [quinn, 'approver'],
    [dana, 'approver'],
  ];
  await store.db
    .insertInto('role_grants')
    .values(grants.map(([a, role]) => ({ principal: a.id, role, granted_by: 'cli:setup', granted_at: at })))
    .execute();
}

/** A fresh store in which the review team holds its roles (see `grantRoles`). */
export async function createTeamStore(now?: string): Promise<TestStore> {
  const store = await createTestStore(now);
  await grantRoles(store);
  return store;
}

/** A fresh store in which Dana is an analyst and nobody holds any other role, granted through the core. */
export async function createAnalystStore(): Promise<TestStore> {
  const store = await createTestStore();
  await inTransaction(store.db, (tx) => grantRole(tx, store.clock, dana, dana.id, 'analyst'));
  return store;
}

export interface VendorSeed {
  name?: string;
  tier?: Tier;
  owner?: Actor | null;
  channel?: string | null;
  nextReviewOn?: string | null;
}

export async function insertVendor(store: TestStore, seed: VendorSeed = {}): Promise<number> {
  const at = store.clock.now().toISOString();
  const name = seed.name ?? 'Acme Health Cloud';
  const row = await store.db
    .insertInto('vendors')
    .values({
      name,
      name_key: name.toLowerCase(),
      services: 'EHR hosting',
      data_types: '["PHI"]',
      criticality: 'high',
      tier: seed.tier ?? 'critical',
      regulatory_scope: '["HIPAA"]',
      owner_id: seed.owner === undefined ? olive.id : (seed.owner?.id ?? null),
      channel: seed.channel ?? null,
      status: 'active',
      next_review_on: seed.nextReviewOn ?? null,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function openTestFinding(
  store: TestStore,
  vendorId: number,
  key = 'signal:scanner:1',
  severity: Severity = 'high',
) {
  const { finding } = await inTransaction(store.db, (tx) =>
    openFinding(tx, store.deps, dana, {
      vendorId,
      dedupeKey: key,
      source: 'signal',
      title: 'Publicly reachable Elasticsearch without authentication',
      detail: 'es.acme.example:9200 answers unauthenticated queries.',
      severity,
    }),
  );
  return finding;
}

/** The vendor's row as stored, for checks on what a workflow changed (review dates, owner). */
export function vendorRow(store: TestStore, vendorId: number) {
  return store.db.selectFrom('vendors').selectAll().where('id', '=', vendorId).executeTakeFirstOrThrow();
}

export function outbox(store: TestStore) {
  return store.db.selectFrom('outbox').selectAll().orderBy('id').execute();
}

export async function counts(store: TestStore) {
  const n = async (table: 'audit_log' | 'outbox' | 'signatures' | 'approval_requests') =>
    (
      await store.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
  return {
    audit: await n('audit_log'),
    outbox: await n('outbox'),
    signatures: await n('signatures'),
    requests: await n('approval_requests'),
  };
}

export function historyTexts(rows: { template: string; data: string }[]): string[] {
  return rows.filter((r) => r.template === 'finding-history').map((r) => JSON.parse(r.data).text as string);
}
