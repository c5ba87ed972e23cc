import type { Tx } from '../../store/database.ts';
import type { VendorRow } from '../../store/tables.ts';
import { appendAudit } from '../audit/log.ts';
import type { Actor } from '../common/actor.ts';
import { requireIsoDate, todayOf } from '../common/dates.ts';
import type { CoreDeps } from '../common/deps.ts';
import { conflict, invalidInput } from '../common/errors.ts';
import { initialReviewOn, nextReviewOn } from '../policy/cadence.ts';
import {
  cleanVendorName,
  nameKeyOf,
  parseChannel,
  parseCriticality,
  parseDataTypes,
  parsePrincipal,
  parseRegulatoryScope,
  parseStatus,
  parseTier,
  readList,
  requireReason,
} from './input.ts';
import { applyVendorPatch, loadVendor, type PatchResult, vendorAuditView } from './patch.ts';
import { deriveTier } from './tier.ts';

// Creating and editing vendors inside the caller's transaction. These check no role: a chat command checks
// `vendor.write` in the same transaction first; the CLI (an operator at the server) and seeding are trusted.

export type ListInput = string | readonly string[];

export interface NewVendorInput {
  name: string;
  criticality: string;
  services?: string;
  dataTypes?: ListInput;
  regulatoryScope?: ListInput;
  ownerId?: string | null;
  channel?: string | null;
  status?: string;
  contractStart?: string | null;
  contractEnd?: string | null;
  /** The last completed review, when the vendor was reviewed before it was added here. */
  lastReviewOn?: string | null;
  tierOverride?: { tier: string; reason: string } | null;
}

export interface VendorChanges {
  services?: string;
  dataTypes?: ListInput;
  criticality?: string;
  regulatoryScope?: ListInput;
  contractStart?: string | null;
  contractEnd?: string | null;
  status?: string;
  channel?: string | null;
}

const optionalDate = (value: string | null | undefined, label: string) =>
  value == null || value.trim() === '' ? null : requireIsoDate(value, label);

function checkContract(start: string | null, end: string | null): void {
  if (start && end && end < start) throw invalidInput(`The contract cannot end (${end}) before it starts (${start}).`);
}

export async function createVendor(tx: Tx, deps: CoreDeps, actor: Actor, input: NewVendorInput): Promise<VendorRow> {
  const name = cleanVendorName(input.name);
  const nameKey = nameKeyOf(name);
  const existing = await tx.selectFrom('vendors').select('name').where('name_key', '=', nameKey).executeTakeFirst();
  if (existing) throw conflict(`A vendor named “${existing.name}” already exists. Nothing was added.`);
  const dataTypes = parseDataTypes(input.dataTypes ?? []);
  const criticality = parseCriticality(input.criticality);
  const override = input.tierOverride
    ? { tier: parseTier(input.tierOverride.tier), reason: requireReason(input.tierOverride.reason, 'a tier override') }
    : null;
  const tier = override?.tier ?? deriveTier(dataTypes, criticality);
  const contractStart = optionalDate(input.contractStart, 'Contract start');
  const contractEnd = optionalDate(input.contractEnd, 'Contract end');
  checkContract(contractStart, contractEnd);
  const today = todayOf(deps);
  const lastReviewOn = optionalDate(input.lastReviewOn, 'Last review');
  if (lastReviewOn && lastReviewOn > today)
    throw invalidInput(`The last review (${lastReviewOn}) cannot be in the future.`);
  const now = deps.clock.now().toISOString();
  const vendor = await tx
    .insertInto('vendors')
    .values({
      name,
      name_key: nameKey,
      services: input.services?.trim() ?? '',
      data_types: JSON.stringify(dataTypes),
      criticality,
      tier,
      tier_override_reason: override?.reason ?? null,
      regulatory_scope: JSON.stringify(parseRegulatoryScope(input.regulatoryScope ?? [])),
      owner_id: input.ownerId ? parsePrincipal(input.ownerId, 'The owner') : null,
      channel: parseChannel(input.channel ?? null),
      status: input.status ? parseStatus(input.status) : 'active',
      contract_start: contractStart,
      contract_end: contractEnd,
      last_review_on: lastReviewOn,
      next_review_on: lastReviewOn
        ? nextReviewOn(lastReviewOn, tier, deps.policy)
        : initialReviewOn(today, deps.policy),
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendAudit(tx, deps.clock, {
    actor,
    action: 'vendor.create',
    entityType: 'vendor',
    entityId: vendor.id,
    after: vendorAuditView(vendor),
    reason: override?.reason ?? null,
  });
  return vendor;
}

/** Tier follows data types and criticality unless an analyst has overridden it. */
export async function updateVendor(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  input: { vendorId: number; changes: VendorChanges },
): Promise<PatchResult> {
  const current = await loadVendor(tx, input.vendorId);
  const c = input.changes;
  const dataTypes = c.dataTypes === undefined ? null : parseDataTypes(c.dataTypes);
  const criticality = c.criticality === undefined ? null : parseCriticality(c.criticality);
  const tier =
    current.tier_override_reason !== null
      ? parseTier(current.tier)
      : deriveTier(
          dataTypes ?? parseDataTypes(readList(current.data_types)),
          criticality ?? parseCriticality(current.criticality),
        );
  const contractStart =
    c.contractStart === undefined ? current.contract_start : optionalDate(c.contractStart, 'Contract start');
  const contractEnd = c.contractEnd === undefined ? current.contract_end : optionalDate(c.contractEnd, 'Contract end');
  checkContract(contractStart, contractEnd);
  return applyVendorPatch(
    tx,
    deps.clock,
    actor,
    current,
    {
      services: c.services?.trim(),
      data_types: dataTypes ? JSON.stringify(dataTypes) : undefined,
      criticality: criticality ?? undefined,
      tier,
      regulatory_scope:
        c.regulatoryScope === undefined ? undefined : JSON.stringify(parseRegulatoryScope(c.regulatoryScope)),
      contract_start: contractStart,
      contract_end: contractEnd,
      status: c.status === undefined ? undefined : parseStatus(c.status),
      channel: c.channel === undefined ? undefined : parseChannel(c.channel),
      next_review_on:
        tier !== current.tier && current.last_review_on
          ? nextReviewOn(current.last_review_on, tier, deps.policy)
          : undefined,
    },
    'vendor.update',
  );
}
