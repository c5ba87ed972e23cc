import type { DbOrTx, Tx } from '../../store/database.ts';
import type { OffboardingItemRow, OffboardingRow, SignatureRow, VendorRow } from '../../store/tables.ts';
import { appendAudit } from '../audit/log.ts';
import { manifestation } from '../audit/signatures.ts';
import type { Actor } from '../common/actor.ts';
import { addDaysIso, requireIsoDate, todayOf } from '../common/dates.ts';
import type { CoreDeps } from '../common/deps.ts';
import { conflict, forbidden, invalidInput, invalidState, notFound } from '../common/errors.ts';
import type { StoredEvidenceType } from '../common/vocabulary.ts';
import { findingTargets, subjectTargets } from '../findings/routing.ts';
import { enqueue } from '../messaging/outbox.ts';
import { rememberPerson } from '../roles/people.ts';
import { requirePermission, rolesOf } from '../roles/permissions.ts';
import { loadVendor } from '../vendors/patch.ts';
import { signLifecycleDecision } from './sign.ts';
import { moveVendor } from './states.ts';

// Offboarding: when a contract ends, an analyst opens a checklist; each item is owned and dated. The
// certificate that our data was returned or destroyed is recorded as evidence. The vendor leaves the
// review cadence only when the checklist is signed off, and only once no finding is left open.

export const OFFBOARDING_ITEMS = [
  'access_revoked',
  'integrations_disconnected',
  'data_returned_or_destroyed',
  'agreements_terminated',
] as const;
export type OffboardingItem = (typeof OFFBOARDING_ITEMS)[number];

export const ITEM_LABELS: Record<OffboardingItem, string> = {
  access_revoked: 'Access revoked: accounts, keys, VPN, SSO apps',
  integrations_disconnected: 'Integrations disconnected',
  data_returned_or_destroyed: 'Data returned or destroyed, certificate recorded',
  agreements_terminated: 'BAA/DPA termination duties met',
};

/** The evidence type of a certificate of return or destruction; it never expires and is not scored. */
export const DISPOSITION_CERTIFICATE: StoredEvidenceType = 'data_disposition_certificate';

export interface OffboardingView {
  offboarding: OffboardingRow;
  vendor: VendorRow;
  items: OffboardingItemRow[];
}

export async function loadOffboarding(db: DbOrTx, id: number): Promise<OffboardingView> {
  const offboarding = await db.selectFrom('offboardings').selectAll().where('id', '=', id).executeTakeFirst();
  if (!offboarding) throw notFound(`Offboarding #${id} was not found.`);
  const vendor = await db
    .selectFrom('vendors')
    .selectAll()
    .where('id', '=', offboarding.vendor_id)
    .executeTakeFirstOrThrow();
  const items = await db.selectFrom('offboarding_items').selectAll().where('offboarding_id', '=', id).execute();
  items.sort(
    (a, b) =>
      OFFBOARDING_ITEMS.indexOf(a.item as OffboardingItem) - OFFBOARDING_ITEMS.indexOf(b.item as OffboardingItem),
  );
  return { offboarding, vendor, items };
}

export async function openOffboardingOf(db: DbOrTx, vendorId: number): Promise<OffboardingRow | undefined> {
  return db
    .selectFrom('offboardings')
    .selectAll()
    .where('vendor_id', '=', vendorId)
    .where('state', '=', 'open')
    .executeTakeFirst();
}

async function announceOffboarding(tx: Tx, deps: CoreDeps, view: OffboardingView): Promise<void> {
  const subject = `offboarding:${view.offboarding.id}`;
  const known = await subjectTargets(tx, subject, 'offboarding-card');
  const targets = known.length > 0 ? known : await findingTargets(tx, deps.routing, view.vendor);
  const done = view.items.filter((i) => i.done_at).length;
  for (const target of targets) {
    await enqueue(tx, deps.clock, {
      key: `${subject}:v${view.offboarding.version}:${done}:card:${target}`,
      target,
      subject,
      template: 'offboarding-card',
      data: { offboardingId: view.offboarding.id },
    });
  }
}

export async function startOffboarding(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  vendorId: number,
  reason: string,
): Promise<{ view: OffboardingView; created: boolean }> {
  await requirePermission(tx, actor, 'vendor.write');
  const existing = await openOffboardingOf(tx, vendorId);
  if (existing) return { view: await loadOffboarding(tx, existing.id), created: false };
  const vendor = await loadVendor(tx, vendorId);
  const why = reason.trim() || (vendor.contract_end ? `contract ends ${vendor.contract_end}` : 'contract ends');
  await rememberPerson(tx, deps.clock, actor);
  await moveVendor(tx, deps.clock, actor, vendor, 'offboarding', { reason: why });
  const today = todayOf(deps);
  const dueOn =
    vendor.contract_end && vendor.contract_end > today
      ? vendor.contract_end
      : addDaysIso(today, deps.policy.offboardingPromptDays);
  const now = deps.clock.now().toISOString();
  const inserted = await tx
    .insertInto('offboardings')
    .values({ vendor_id: vendorId, reason: why, started_by: actor.id, started_at: now, state: 'open' })
    .returning('id')
    .executeTakeFirstOrThrow();
  // The vendor's owner knows its accounts and integrations; the analyst chases the paperwork.
  const owners: Record<OffboardingItem, string> = {
    access_revoked: vendor.owner_id ?? actor.id,
    integrations_disconnected: vendor.owner_id ?? actor.id,
    data_returned_or_destroyed: actor.id,
    agreements_terminated: actor.id,
  };
  for (const item of OFFBOARDING_ITEMS) {
    await tx
      .insertInto('offboarding_items')
      .values({ offboarding_id: inserted.id, item, owner_id: owners[item], due_on: dueOn })
      .execute();
  }
  const view = await loadOffboarding(tx, inserted.id);
  await appendAudit(tx, deps.clock, {
    actor,
    action: 'offboarding.start',
    entityType: 'offboarding',
    entityId: inserted.id,
    after: { ...view.offboarding, items: view.items },
    reason: why,
  });
  await announceOffboarding(tx, deps, view);
  return { view, created: true };
}

export interface ItemInput {
  note?: string | null;
  /** Required for data_returned_or_destroyed: where the certificate is, and the day it was issued. */
  certificateUrl?: string | null;
  certificateDate?: string | null;
}

export function parseItem(value: string): OffboardingItem {
  const found = OFFBOARDING_ITEMS.find((i) => i === value.trim());
  if (!found) throw invalidInput(`Checklist items are: ${OFFBOARDING_ITEMS.join(', ')}.`);
  return found;
}

/** Ticks one item off; its owner or an analyst may. A second tick is a friendly no-op. */
export async function completeItem(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  offboardingId: number,
  item: OffboardingItem,
  input: ItemInput = {},
): Promise<{ view: OffboardingView; changed: boolean }> {
  const view = await loadOffboarding(tx, offboardingId);
  if (view.offboarding.state !== 'open') throw invalidState('This offboarding is already signed off.');
  const row = view.items.find((i) => i.item === item);
  if (!row) throw notFound('That checklist item does not exist.');
  if (row.done_at) return { view, changed: false };
  if (row.owner_id !== actor.id) await requirePermission(tx, actor, 'vendor.write');
  let evidenceId: number | null = null;
  const today = todayOf(deps);
  if (item === 'data_returned_or_destroyed') {
    const url = input.certificateUrl?.trim() ?? '';
    if (!/^https?:\/\/\S+$/i.test(url)) {
      throw invalidInput('Link the certificate of return or destruction (https://…): it is kept as evidence.');
    }
    const issued = requireIsoDate(input.certificateDate?.trim() || today, 'The certificate date');
    if (issued > today) throw invalidInput(`The certificate date (${issued}) cannot be in the future.`);
    const now = deps.clock.now().toISOString();
    const evidence = await tx
      .insertInto('evidence')
      .values({
        vendor_id: view.vendor.id,
        type: DISPOSITION_CERTIFICATE,
        issued_on: issued,
        expires_on: '9999-12-31',
        url,
        recorded_by: actor.id,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    evidenceId = evidence.id;
    await appendAudit(tx, deps.clock, {
      actor,
      action: 'evidence.record',
      entityType: 'evidence',
      entityId: evidence.id,
      after: { vendor_id: view.vendor.id, type: DISPOSITION_CERTIFICATE, issued_on: issued, url },
    });
  }
  await rememberPerson(tx, deps.clock, actor);
  const now = deps.clock.now().toISOString();
  const note = input.note?.trim() || null;
  const updated = await tx
    .updateTable('offboarding_items')
    .set({ done_by: actor.id, done_at: now, note, evidence_id: evidenceId })
    .where('offboarding_id', '=', offboardingId)
    .where('item', '=', item)
    .where('done_at', 'is', null)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return { view: await loadOffboarding(tx, offboardingId), changed: false };
  await appendAudit(tx, deps.clock, {
    actor,
    action: 'offboarding.item',
    entityType: 'offboarding',
    entityId: offboardingId,
    after: { item, done_by: actor.id, done_at: now, note, evidence_id: evidenceId },
  });
  const after = await loadOffboarding(tx, offboardingId);
  await announceOffboarding(tx, deps, after);
  return { view: after, changed: true };
}

/** What still stands between the vendor and offboarded: open items and open findings. */
export async function signOffBlockers(db: DbOrTx, view: OffboardingView): Promise<string[]> {
  const blockers = view.items
    .filter((i) => !i.done_at)
    .map((i) => `${ITEM_LABELS[i.item as OffboardingItem]}: not done`);
  const open = await db
    .selectFrom('findings')
    .select(['id', 'title'])
    .where('vendor_id', '=', view.vendor.id)
    .where('state', 'not in', ['resolved', 'risk_accepted'])
    .orderBy('id')
    .execute();
  for (const f of open) blockers.push(`Finding #${f.id} (${f.title}) is open: resolve it or accept the risk`);
  return blockers;
}

/**
 * Whether `actor` may sign this offboarding off now (an analyst, the checklist done, no finding open).
 * Asked before the signing confirmation opens (and its PIN is checked), and again when it is signed.
 */
export async function assertMaySignOff(db: DbOrTx, actor: Actor, offboardingId: number): Promise<OffboardingView> {
  const roles = await rolesOf(db, actor.id);
  if (!roles.has('analyst') && !roles.has('admin')) {
    throw forbidden('Only analysts sign off an offboarding. Nothing was changed.');
  }
  const view = await loadOffboarding(db, offboardingId);
  if (view.offboarding.state !== 'open') throw conflict(`${view.vendor.name} is already offboarded.`);
  const blockers = await signOffBlockers(db, view);
  if (blockers.length > 0) {
    throw invalidState(`${view.vendor.name} cannot be offboarded yet: ${blockers.join('; ')}. Nothing was changed.`);
  }
  return view;
}

/** Signed by an analyst: the vendor is offboarded and leaves the cadence. */
export async function signOffOffboarding(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  offboardingId: number,
): Promise<{ view: OffboardingView; signature: SignatureRow }> {
  const view = await assertMaySignOff(tx, actor, offboardingId);
  await rememberPerson(tx, deps.clock, actor);
  const now = deps.clock.now().toISOString();
  const updated = await tx
    .updateTable('offboardings')
    .set({ state: 'signed_off', signed_off_by: actor.id, signed_off_at: now, version: view.offboarding.version + 1 })
    .where('id', '=', offboardingId)
    .where('version', '=', view.offboarding.version)
    .where('state', '=', 'open')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw conflict('Someone signed this off just now.');
  const signedRow = await tx
    .selectFrom('offboardings')
    .selectAll()
    .where('id', '=', offboardingId)
    .executeTakeFirstOrThrow();
  const signature = await signLifecycleDecision(tx, deps, actor, {
    recordType: 'offboarding',
    record: signedRow,
    meaning: 'approval',
    reason: 'offboarding checklist complete',
  });
  await appendAudit(tx, deps.clock, {
    actor,
    action: 'offboarding.sign_off',
    entityType: 'offboarding',
    entityId: offboardingId,
    before: { state: 'open' },
    after: { state: 'signed_off', signature: manifestation(signature), record_hash: signature.record_hash },
  });
  await moveVendor(tx, deps.clock, actor, view.vendor.id, 'offboarded', {
    reason: 'offboarding checklist signed off',
    set: { next_review_on: null },
  });
  const after = await loadOffboarding(tx, offboardingId);
  await announceOffboarding(tx, deps, after);
  return { view: after, signature };
}
