import type { DbOrTx, Tx } from '../../store/database.ts';
import type { FindingRow, SignalRow } from '../../store/tables.ts';
import { appendAudit } from '../audit/log.ts';
import type { Actor } from '../common/actor.ts';
import type { CoreDeps } from '../common/deps.ts';
import { invalidInput } from '../common/errors.ts';
import { isOneOf, SEVERITIES, SIGNAL_KINDS } from '../common/vocabulary.ts';
import { openFinding } from '../findings/actions.ts';
import { readList } from '../vendors/input.ts';
import { loadVendor } from '../vendors/patch.ts';
import { opensFinding, signalFindingText } from './findings.ts';

// Monitoring signals (exposed datastores, certificates, ratings, breaches, drift). A source may send the
// same event many times; (source, external id) identifies it, and only the first copy changes anything.

export interface SignalInput {
  vendorId: number;
  source: string;
  externalId: string;
  kind: string;
  severity: string;
  summary: string;
  details?: Record<string, unknown>;
  /** When the source saw it (ISO-8601); stored in UTC. */
  observedAt: string;
}

export type SignalResult =
  | { duplicate: true; signal: SignalRow }
  | { duplicate: false; signal: SignalRow; finding: FindingRow | null; findingCreated: boolean };

const MAX_DETAILS = 16_000;

function cleanText(value: string, label: string, max: number): string {
  const v = value.trim();
  if (!v) throw invalidInput(`A signal needs ${label}.`);
  if (v.length > max) throw invalidInput(`A signal's ${label} can be at most ${max} characters.`);
  return v;
}

function validate(input: SignalInput) {
  const kind = input.kind.trim().toLowerCase();
  if (!isOneOf(SIGNAL_KINDS, kind)) throw invalidInput(`Signal kind must be one of ${SIGNAL_KINDS.join(', ')}.`);
  const severity = input.severity.trim().toLowerCase();
  if (!isOneOf(SEVERITIES, severity)) throw invalidInput(`Signal severity must be one of ${SEVERITIES.join(', ')}.`);
  const observed = new Date(input.observedAt);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(input.observedAt) || Number.isNaN(observed.getTime())) {
    throw invalidInput(`observedAt must be an ISO-8601 time such as 2026-03-01T10:00:00Z, not “${input.observedAt}”.`);
  }
  const details = input.details ?? {};
  if (typeof details !== 'object' || details === null || Array.isArray(details)) {
    throw invalidInput('Signal details must be an object.');
  }
  const detailsJson = JSON.stringify(details);
  if (detailsJson.length > MAX_DETAILS) throw invalidInput(`Signal details can be at most ${MAX_DETAILS} characters.`);
  return {
    source: cleanText(input.source, 'a source', 64),
    externalId: cleanText(input.externalId, 'an external id', 200),
    summary: cleanText(input.summary, 'a summary', 500),
    kind,
    severity,
    details,
    detailsJson,
    observedAt: observed.toISOString(),
  };
}

/**
 * Checks no role: a chat command checks `signal.write` first; the monitoring webhook's request signature
 * has already proven the sender. A repeat returns `{ duplicate: true }` and writes nothing.
 */
export async function recordSignal(tx: Tx, deps: CoreDeps, actor: Actor, input: SignalInput): Promise<SignalResult> {
  const s = validate(input);
  const seen = await findSignal(tx, s.source, s.externalId);
  if (seen) return { duplicate: true, signal: seen };
  const vendor = await loadVendor(tx, input.vendorId);
  const inserted = await tx
    .insertInto('signals')
    .values({
      vendor_id: vendor.id,
      source: s.source,
      external_id: s.externalId,
      kind: s.kind,
      severity: s.severity,
      summary: s.summary,
      details: s.detailsJson,
      observed_at: s.observedAt,
      received_at: deps.clock.now().toISOString(),
    })
    .onConflict((oc) => oc.columns(['source', 'external_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!inserted) return { duplicate: true, signal: (await findSignal(tx, s.source, s.externalId))! };
  let signal = inserted;
  let opened: { finding: FindingRow; created: boolean } | null = null;
  if (opensFinding(s)) {
    const { title, detail } = signalFindingText(s, {
      name: vendor.name,
      dataTypes: readList(vendor.data_types),
      regulatoryScope: readList(vendor.regulatory_scope),
    });
    opened = await openFinding(tx, deps, actor, {
      vendorId: vendor.id,
      dedupeKey: `signal:${s.source}:${s.externalId}`,
      source: `signal:${s.kind}`,
      title,
      detail,
      severity: s.severity,
    });
    signal = await tx
      .updateTable('signals')
      .set({ finding_id: opened.finding.id })
      .where('id', '=', inserted.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  const { id: _id, details: _details, ...audited } = signal;
  await appendAudit(tx, deps.clock, {
    actor,
    action: 'signal.record',
    entityType: 'signal',
    entityId: signal.id,
    after: { ...audited, details: s.details },
  });
  return { duplicate: false, signal, finding: opened?.finding ?? null, findingCreated: opened?.created ?? false };
}

export function findSignal(db: DbOrTx, source: string, externalId: string): Promise<SignalRow | undefined> {
  return db
    .selectFrom('signals')
    .selectAll()
    .where('source', '=', source.trim())
    .where('external_id', '=', externalId.trim())
    .executeTakeFirst();
}

export function listSignals(db: DbOrTx, vendorId: number, limit = 20): Promise<SignalRow[]> {
  return db
    .selectFrom('signals')
    .selectAll()
    .where('vendor_id', '=', vendorId)
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
