import { sql } from 'kysely';
import { addDaysIso } from '../../core/common/dates.ts';
import { EVIDENCE_LABELS, SEVERITIES, TIERS } from '../../core/common/vocabulary.ts';
import { listEvidenceDue } from '../../core/evidence/status.ts';
import { ACTIVE_STATES } from '../../core/findings/states.ts';
import { isStalled, pendingVendors } from '../../core/lifecycle/stalls.ts';
import { IN_CADENCE } from '../../core/lifecycle/states.ts';
import { DEFAULT_POLICY, type Policy } from '../../core/policy/policy.ts';
import { GRADES } from '../../core/posture/score.ts';
import type { DbOrTx } from '../../store/database.ts';
import { inert } from '../inert.ts';
import type { NotificationRenderer } from '../notifications/types.ts';
import { type Block, inChannel, type Reply } from '../reply.ts';
import { type DueItem, dueLine } from './vendor-lines.ts';
import { LATE_NOTE } from './wording.ts';

// The weekly digest for the findings channels: grades across the portfolio, overdue reviews, evidence
// running out, the five riskiest vendors and what changed since last week. It is read from the store
// as of the digest day (`weekOf`), from the daily posture snapshots, so it reads the same whenever the
// relay sends it and costs a few indexed statements however large the portfolio.

const SHOWN = 5;

export interface DigestVendor {
  id: number;
  name: string;
  tier: string;
  score: number | null;
  grade: string | null;
  lastScore: number | null;
  lastGrade: string | null;
}

export interface DigestData {
  weekOf: string;
  vendors: DigestVendor[];
  overdue: { total: number; items: DueItem[] };
  evidence: { expired: number; expiring: number; items: DueItem[] };
  riskiest: (DigestVendor & { openFindings: number })[];
  opened: Record<string, number>;
  resolved: number;
  /** Vendors waiting in intake or due diligence, and how many of them have stalled (policy days idle). */
  dueDiligence: { requested: number; inReview: number; stalled: number };
}

/** Each vendor in service with its latest snapshot on or before a day, by a primary-key seek. */
function snapshotAsOf(alias: 'now' | 'prev', day: string) {
  return sql<boolean>`${sql.ref(`${alias}.taken_on`)} = (select max(s.taken_on) from posture_snapshots s
    where s.vendor_id = v.id and s.taken_on <= ${day})`;
}

export async function loadDigest(db: DbOrTx, weekOf: string, policy: Policy = DEFAULT_POLICY): Promise<DigestData> {
  const lastWeek = addDaysIso(weekOf, -7);
  const vendors = await db
    .selectFrom('vendors as v')
    .leftJoin('posture_snapshots as now', (j) => j.onRef('now.vendor_id', '=', 'v.id').on(snapshotAsOf('now', weekOf)))
    .leftJoin('posture_snapshots as prev', (j) =>
      j.onRef('prev.vendor_id', '=', 'v.id').on(snapshotAsOf('prev', lastWeek)),
    )
    .select([
      'v.id',
      'v.name',
      'v.tier',
      'now.score',
      'now.grade',
      'prev.score as lastScore',
      'prev.grade as lastGrade',
    ])
    .where('v.status', 'in', IN_CADENCE)
    .orderBy('v.name_key')
    .execute();
  const overdueRows = await db
    .selectFrom('vendors as v')
    .leftJoin('people as p', 'p.principal', 'v.owner_id')
    .select(['v.name', 'v.next_review_on', 'v.owner_id', 'p.display_name'])
    .where('v.status', 'in', IN_CADENCE)
    .where('v.next_review_on', '<', weekOf)
    .orderBy('v.next_review_on')
    .execute();
  const due = await listEvidenceDue(db, addDaysIso(weekOf, 30));
  const riskiest = [...vendors]
    .filter((v) => v.score !== null)
    .sort((a, b) => (a.score ?? 0) - (b.score ?? 0) || TIERS.indexOf(a.tier) - TIERS.indexOf(b.tier))
    .slice(0, SHOWN);
  const openCounts = riskiest.length
    ? await db
        .selectFrom('findings')
        .select(['vendor_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where(
          'vendor_id',
          'in',
          riskiest.map((v) => v.id),
        )
        .where('state', 'in', ACTIVE_STATES)
        .groupBy('vendor_id')
        .execute()
    : [];
  const opened = await db
    .selectFrom('findings')
    .select(['severity', (eb) => eb.fn.countAll<number>().as('n')])
    .where('opened_at', '>=', lastWeek)
    .where('opened_at', '<', weekOf)
    .groupBy('severity')
    .execute();
  const resolved = await db
    .selectFrom('findings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', '=', 'resolved')
    .where('resolved_at', '>=', lastWeek)
    .where('resolved_at', '<', weekOf)
    .executeTakeFirst();
  const pending = await pendingVendors(db, weekOf);
  return {
    weekOf,
    dueDiligence: {
      requested: pending.filter((v) => v.status === 'requested').length,
      inReview: pending.filter((v) => v.status === 'in_review').length,
      stalled: pending.filter((v) => isStalled(v, policy)).length,
    },
    vendors,
    overdue: {
      total: overdueRows.length,
      items: overdueRows.slice(0, SHOWN).map((r) => ({
        kind: 'review',
        on: r.next_review_on ?? weekOf,
        vendorName: r.name,
        ownerId: r.owner_id,
        ownerName: r.display_name,
      })),
    },
    evidence: {
      expired: due.filter((e) => e.expires_on <= weekOf).length,
      expiring: due.filter((e) => e.expires_on > weekOf).length,
      items: due.slice(0, SHOWN).map((e) => ({
        kind: 'evidence',
        on: e.expires_on,
        vendorName: e.vendor_name,
        label: EVIDENCE_LABELS[e.type] ?? e.type,
        ownerId: e.owner_id,
        ownerName: null,
      })),
    },
    riskiest: riskiest.map((v) => ({
      ...v,
      openFindings: Number(openCounts.find((c) => c.vendor_id === v.id)?.n ?? 0),
    })),
    opened: Object.fromEntries(opened.map((r) => [r.severity, Number(r.n)])),
    resolved: Number(resolved?.n ?? 0),
  };
}

const worse = (from: string | null, to: string | null) =>
  from !== null && to !== null && GRADES.indexOf(to as never) > GRADES.indexOf(from as never);
const better = (from: string | null, to: string | null) => from !== null && to !== null && worse(to, from);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function changes(d: DigestData): string[] {
  const lines: string[] = [];
  const openedTotal = SEVERITIES.reduce((n, s) => n + (d.opened[s] ?? 0), 0);
  const bySeverity = SEVERITIES.filter((s) => d.opened[s]).map((s) => `${d.opened[s]} ${s}`);
  lines.push(
    `${plural(openedTotal, 'finding')} opened${openedTotal ? ` (${bySeverity.join(', ')})` : ''}, ${d.resolved} resolved`,
  );
  const fell = d.vendors.filter((v) => worse(v.lastGrade, v.grade));
  const rose = d.vendors.filter((v) => better(v.lastGrade, v.grade));
  const move = (v: DigestVendor) => `${inert(v.name)} ${v.lastGrade} → ${v.grade}`;
  if (fell.length)
    lines.push(`⬇️ Grade fell: ${fell.slice(0, SHOWN).map(move).join(', ')}${fell.length > SHOWN ? ', …' : ''}`);
  if (rose.length)
    lines.push(`⬆️ Grade rose: ${rose.slice(0, SHOWN).map(move).join(', ')}${rose.length > SHOWN ? ', …' : ''}`);
  if (!fell.length && !rose.length) lines.push('No vendor changed grade.');
  return lines;
}

/** The weekly line on the lifecycle's front door: what waits for due diligence, and what has stalled. */
export function dueDiligenceLine(d: Pick<DigestData, 'dueDiligence'>): string {
  const { requested, inReview, stalled } = d.dueDiligence;
  if (requested + inReview === 0) return '**Due diligence**: no vendor is waiting.';
  return `**Due diligence**: ${plural(requested, 'vendor')} requested, ${inReview} in review${stalled ? `, ⚠️ ${stalled} stalled` : ''}`;
}

/** Pure: the digest as a neutral Reply. */
export function digestReply(d: DigestData, late: boolean): Reply {
  const scored = d.vendors.filter((v) => v.grade !== null);
  const grades = GRADES.map((g) => ({
    label: `Grade ${g}`,
    value: String(scored.filter((v) => v.grade === g).length),
  }));
  const unscored = d.vendors.length - scored.length;
  const more = (total: number, shown: number) => (total > shown ? `\n…and ${total - shown} more` : '');
  const riskiest = d.riskiest.map(
    (v, i) =>
      `${i + 1}. **${inert(v.name)}** · grade ${v.grade} (${v.score}/100) · ${v.tier} tier · ${plural(v.openFindings, 'open finding')}`,
  );
  const overdueText = d.overdue.items.map((item) => dueLine(item, d.weekOf)).join('\n');
  const evidenceText = d.evidence.items.map((item) => dueLine(item, d.weekOf)).join('\n');
  const blocks: Block[] = [
    { type: 'header', text: `Vendor risk digest: week of ${d.weekOf}` },
    {
      type: 'text',
      text: `**Portfolio grades** across ${plural(d.vendors.length, 'vendor')} in service${unscored ? ` (${unscored} not scored yet)` : ''}`,
    },
    { type: 'fields', fields: grades },
    { type: 'text', text: `**Since last week**\n${changes(d).join('\n')}` },
    { type: 'text', text: `**Five riskiest vendors**\n${riskiest.join('\n') || 'No vendor has been scored yet.'}` },
    {
      type: 'text',
      text: `**Overdue reviews** (${d.overdue.total})\n${overdueText || 'None: every review is on schedule.'}${more(d.overdue.total, d.overdue.items.length)}`,
    },
    { type: 'text', text: dueDiligenceLine(d) },
    {
      type: 'text',
      text:
        `**Evidence** (${d.evidence.expired} expired, ${d.evidence.expiring} expiring within 30 days)\n` +
        `${evidenceText || 'Nothing expired or expiring.'}${more(d.evidence.expired + d.evidence.expiring, d.evidence.items.length)}`,
    },
    ...(late ? [{ type: 'context' as const, text: LATE_NOTE }] : []),
  ];
  const text =
    `Vendor risk digest, week of ${d.weekOf}: ${grades.map((g) => `${g.value} ${g.label.toLowerCase()}`).join(', ')}; ` +
    `${d.overdue.total} overdue reviews; ${d.evidence.expired} expired and ${d.evidence.expiring} expiring documents; ` +
    `riskiest: ${d.riskiest.map((v) => `${inert(v.name)} (${v.grade})`).join(', ') || 'none scored'}. ${changes(d).join(' ')}` +
    (late ? ` ${LATE_NOTE}` : '');
  return inChannel(text, blocks);
}

export const renderDigest: NotificationRenderer<'digest'> = async ({ deps, data, late }) =>
  digestReply(await loadDigest(deps.db, data.weekOf, deps.policy), late);
