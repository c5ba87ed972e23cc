import type { Tx } from '../../store/database.ts';
import type { VendorIntakeRow, VendorRow } from '../../store/tables.ts';
import { appendAudit } from '../audit/log.ts';
import type { Actor } from '../common/actor.ts';
import type { CoreDeps } from '../common/deps.ts';
import { conflict, invalidInput, invalidState, notFound } from '../common/errors.ts';
import { enqueue } from '../messaging/outbox.ts';
import { rememberPerson } from '../roles/people.ts';
import { requirePermission } from '../roles/permissions.ts';
import { createVendor } from '../vendors/create-update.ts';
import { parsePrincipal } from '../vendors/input.ts';
import { criticalityFromRecords } from '../vendors/tier.ts';

// Intake: anyone may ask for a new vendor. The vendor is created in `requested` with a tier derived from
// the data it will touch and how many records; one intake card goes to the risk team's channel
// (Acknowledge, Assign, Show vendor) and is edited in place as the request moves; the requester is told
// where it stands at each step by direct message.

/** What the requester says the vendor will touch; trial data is coded participant data, personal data under GDPR. */
export const INTAKE_DATA = ['PHI', 'PII', 'trial data', 'none'] as const;
export type IntakeData = (typeof INTAKE_DATA)[number];
const AS_DATA_TYPE: Record<IntakeData, string> = { PHI: 'PHI', PII: 'PII', 'trial data': 'PII', none: 'none' };

export interface IntakeInput {
  name: string;
  website?: string | null;
  service: string;
  data: readonly string[];
  recordCount?: number | null;
  systems?: string;
  contractStart?: string | null;
  /** A principal (`slack:U…`); the requester when absent. */
  businessOwner?: string | null;
}

function parseWebsite(value: string | null | undefined): string | null {
  const v = value?.trim() ?? '';
  if (!v) return null;
  const url = /^https?:\/\//i.test(v) ? v : `https://${v}`;
  if (!/^https?:\/\/[^\s/]+\.[^\s]+$/i.test(url)) throw invalidInput(`“${v}” is not a website such as acme.example.`);
  return url;
}

function parseIntakeData(values: readonly string[]): IntakeData[] {
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z]+/g, '');
  const picked = values.map((v) => {
    const found = INTAKE_DATA.find((d) => squash(d) === squash(v));
    if (!found) throw invalidInput(`Data must be one of ${INTAKE_DATA.join(', ')}; “${v}” is not.`);
    return found;
  });
  if (picked.length === 0) throw invalidInput('Say which data it will touch, or “none”.');
  const unique = INTAKE_DATA.filter((d) => picked.includes(d));
  return unique.length > 1 ? unique.filter((d) => d !== 'none') : unique;
}

export async function loadIntake(tx: Tx, vendorId: number): Promise<VendorIntakeRow | null> {
  return (
    (await tx.selectFrom('vendor_intakes').selectAll().where('vendor_id', '=', vendorId).executeTakeFirst()) ?? null
  );
}

/** Tells the person who asked for the vendor where it stands; once per step. */
export async function tellRequester(tx: Tx, deps: CoreDeps, vendorId: number, step: string, text: string) {
  const intake = await loadIntake(tx, vendorId);
  if (!intake || intake.requested_by === 'system' || intake.requested_by.startsWith('cli:')) return;
  await enqueue(tx, deps.clock, {
    key: `intake:${vendorId}:${step}:${intake.requested_by}`,
    target: intake.requested_by,
    template: 'text',
    data: { text },
  });
}

/** Queues the intake card (new, or edited in place) to the risk team's channels. */
export async function announceIntake(tx: Tx, deps: CoreDeps, vendorId: number): Promise<void> {
  const intake = await loadIntake(tx, vendorId);
  if (!intake) return;
  for (const target of deps.routing.findingsChannels) {
    await enqueue(tx, deps.clock, {
      key: `intake:${vendorId}:v${intake.version}:card:${target}`,
      target,
      subject: `intake:${vendorId}`,
      template: 'intake-card',
      data: { vendorId },
    });
  }
}

export async function requestVendor(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  input: IntakeInput,
): Promise<{ vendor: VendorRow; intake: VendorIntakeRow }> {
  const service = input.service?.trim() ?? '';
  if (!service) throw invalidInput('Say what the service is.');
  const data = parseIntakeData(input.data);
  const recordCount = input.recordCount ?? null;
  if (recordCount !== null && (!Number.isInteger(recordCount) || recordCount < 0)) {
    throw invalidInput('The number of records must be a whole number, such as 25000.');
  }
  const website = parseWebsite(input.website);
  const owner = input.businessOwner?.trim() ? parsePrincipal(input.businessOwner, 'The business owner') : actor.id;
  await rememberPerson(tx, deps.clock, actor);
  const vendor = await createVendor(tx, deps, actor, {
    name: input.name,
    services: service,
    dataTypes: data.map((d) => AS_DATA_TYPE[d]),
    criticality: criticalityFromRecords(recordCount),
    ownerId: owner,
    status: 'requested',
    contractStart: input.contractStart ?? null,
  });
  const now = deps.clock.now().toISOString();
  await tx
    .insertInto('vendor_intakes')
    .values({
      vendor_id: vendor.id,
      requested_by: actor.id,
      requested_at: now,
      website,
      data_touched: JSON.stringify(data),
      record_count: recordCount,
      systems: input.systems?.trim() ?? '',
      business_owner: owner,
      updated_at: now,
    })
    .execute();
  const intake = (await loadIntake(tx, vendor.id)) as VendorIntakeRow;
  await appendAudit(tx, deps.clock, {
    actor,
    action: 'vendor.request',
    entityType: 'vendor',
    entityId: vendor.id,
    after: { ...intake, data_touched: data },
  });
  await announceIntake(tx, deps, vendor.id);
  return { vendor, intake };
}

async function changeIntake(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  vendorId: number,
  action: string,
  set: Partial<Pick<VendorIntakeRow, 'acknowledged_by' | 'acknowledged_at' | 'assignee_id'>>,
): Promise<VendorIntakeRow> {
  await requirePermission(tx, actor, 'vendor.write');
  const intake = await loadIntake(tx, vendorId);
  if (!intake) throw notFound('That vendor was not asked for through `/vendor request`.');
  const updated = await tx
    .updateTable('vendor_intakes')
    .set({ ...set, updated_at: deps.clock.now().toISOString(), version: intake.version + 1 })
    .where('vendor_id', '=', vendorId)
    .where('version', '=', intake.version)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw conflict('Someone changed this request just now. Please try again.');
  const after = (await loadIntake(tx, vendorId)) as VendorIntakeRow;
  await appendAudit(tx, deps.clock, {
    actor,
    action,
    entityType: 'vendor',
    entityId: vendorId,
    before: Object.fromEntries(Object.keys(set).map((k) => [k, intake[k as keyof VendorIntakeRow]])),
    after: set,
  });
  await announceIntake(tx, deps, vendorId);
  return after;
}

/** An analyst takes note of the request; a second click is a friendly no-op. */
export async function acknowledgeIntake(tx: Tx, deps: CoreDeps, actor: Actor, vendorId: number) {
  const intake = await loadIntake(tx, vendorId);
  if (intake?.acknowledged_by) return { intake, changed: false };
  await rememberPerson(tx, deps.clock, actor);
  const after = await changeIntake(tx, deps, actor, vendorId, 'vendor.request.acknowledge', {
    acknowledged_by: actor.id,
    acknowledged_at: deps.clock.now().toISOString(),
  });
  await tellRequester(tx, deps, vendorId, 'ack', `${actor.name} on the risk team has your vendor request.`);
  return { intake: after, changed: true };
}

/** Names the analyst who runs the due diligence; the requester hears who. */
export async function assignIntake(tx: Tx, deps: CoreDeps, actor: Actor, vendorId: number, assignee: Actor) {
  const vendor = await tx
    .selectFrom('vendors')
    .select(['name', 'status'])
    .where('id', '=', vendorId)
    .executeTakeFirst();
  if (!vendor) throw notFound(`There is no vendor #${vendorId}.`);
  if (vendor.status !== 'requested' && vendor.status !== 'in_review') {
    throw invalidState(`${vendor.name} is past due diligence; there is nothing to assign.`);
  }
  await requirePermission(tx, assignee, 'vendor.write').catch(() => {
    throw invalidInput(`${assignee.name} is not an analyst, so they cannot run the due diligence.`);
  });
  await rememberPerson(tx, deps.clock, assignee);
  const now = deps.clock.now().toISOString();
  const intake = await loadIntake(tx, vendorId);
  const after = await changeIntake(tx, deps, actor, vendorId, 'vendor.request.assign', {
    assignee_id: assignee.id,
    ...(intake?.acknowledged_by ? {} : { acknowledged_by: actor.id, acknowledged_at: now }),
  });
  await tellRequester(
    tx,
    deps,
    vendorId,
    `assign:${assignee.id}`,
    `${assignee.name} will run the due diligence for ${vendor.name}.`,
  );
  return after;
}
