import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  CRITICALITIES,
  DATA_TYPES,
  EVIDENCE_TYPES,
  FINDING_STATES,
  REGULATIONS,
  REQUESTED_ACTIONS,
  ROLES,
  SEVERITIES,
  SIGNAL_KINDS,
  TIERS,
  VENDOR_STATUSES,
} from '../core/common/vocabulary.ts';
import { readYamlData } from '../core/common/yaml-data.ts';

// The demo portfolio is data (portfolio.yml), validated here so a typo in the file fails the seed with
// the exact path of the problem instead of half-building a demo. Days are whole days relative to the
// day of seeding: negative is in the past.

export const DEMO_PORTFOLIO_FILE = fileURLToPath(new URL('./portfolio.yml', import.meta.url));

const text = z.string().trim().min(1);
const principal = z.string().regex(/^slack:U[A-Z0-9]+$/, 'must be a Slack user such as slack:UDEMOANALYST');
/** A day relative to seeding; the demo never writes the future, so activity days are <= 0. */
const pastDay = z.number().int().max(0);
const anyDay = z.number().int();

const person = z.object({ principal, name: text, title: text, roles: z.array(z.enum(ROLES)).default([]) }).strict();

const evidence = z
  .object({ type: z.enum(EVIDENCE_TYPES), issued: pastDay, expires: anyDay, url: z.string().url().optional() })
  .strict()
  .refine((e) => e.expires > e.issued, 'expires must come after issued');

const signal = z
  .object({
    source: text,
    externalId: text,
    kind: z.enum(SIGNAL_KINDS),
    severity: z.enum(SEVERITIES),
    summary: text,
    details: z.record(z.unknown()).default({}),
    observed: pastDay.default(-2),
  })
  .strict();

const finding = z
  .object({
    title: text,
    detail: text.optional(),
    severity: z.enum(SEVERITIES),
    state: z.enum(FINDING_STATES),
    /** The day it was opened; later steps follow a day or two apart, never past today. */
    opened: pastDay.default(-14),
    assignee: principal.optional(),
    reason: text.optional(),
    resolution: text.optional(),
    action: z.enum(REQUESTED_ACTIONS).optional(),
    /** Days from today: the deadline of an escalation, or the expiry of a risk acceptance. */
    until: z.number().int().min(1).optional(),
  })
  .strict()
  .refine(
    (f) => !['escalation_pending', 'escalated', 'risk_accepted'].includes(f.state) || Boolean(f.reason),
    'an escalation or risk acceptance needs a reason',
  )
  .refine((f) => f.state !== 'risk_accepted' || f.until !== undefined, 'a risk acceptance needs until')
  .refine((f) => f.state !== 'resolved' || Boolean(f.resolution), 'a resolved finding needs a resolution')
  .refine((f) => f.state !== 'fix_proposed' || Boolean(f.resolution), 'a proposed fix needs a resolution (its note)');

const assessment = z
  .object({
    requested: pastDay,
    submitted: pastDay.optional(),
    /** Controls answered other than "yes"; every other control is answered "yes". */
    answers: z
      .record(z.object({ answer: z.enum(['partial', 'no', 'n/a']), comment: text.optional() }).strict())
      .default({}),
  })
  .strict()
  .refine((a) => a.submitted === undefined || a.submitted > a.requested, 'submitted must come after requested');

const vendor = z
  .object({
    name: text,
    services: text,
    data: z.array(z.enum(DATA_TYPES)).min(1),
    criticality: z.enum(CRITICALITIES),
    regs: z.array(z.enum(REGULATIONS)).default([]),
    owner: principal,
    status: z.enum(VENDOR_STATUSES).default('active'),
    tier: z
      .object({ tier: z.enum(TIERS), reason: text })
      .strict()
      .optional(),
    contract: z.object({ start: anyDay, end: anyDay }).strict().optional(),
    lastReview: pastDay.optional(),
    assets: z.array(text).default([]),
    evidence: z.array(evidence).default([]),
    signals: z.array(signal).default([]),
    findings: z.array(finding).default([]),
    assessment: assessment.optional(),
  })
  .strict()
  .refine((v) => !(v.lastReview !== undefined && v.assessment?.submitted !== undefined), {
    message: 'a submitted assessment is the last review: give lastReview or assessment.submitted, not both',
  });

const portfolio = z
  .object({ people: z.array(person).min(1), vendors: z.array(vendor).min(1) })
  .strict()
  .superRefine((p, ctx) => {
    const known = new Set(p.people.map((x) => x.principal));
    for (const role of ['analyst', 'approver'] as const) {
      if (!p.people.some((x) => x.roles.includes(role))) {
        ctx.addIssue({ code: 'custom', path: ['people'], message: `someone must hold the ${role} role` });
      }
    }
    p.vendors.forEach((v, i) => {
      const named = [v.owner, ...v.findings.map((f) => f.assignee)].filter((x): x is string => Boolean(x));
      for (const who of named.filter((x) => !known.has(x))) {
        ctx.addIssue({ code: 'custom', path: ['vendors', i], message: `${who} is not one of the people` });
      }
    });
  });

export type Portfolio = z.infer<typeof portfolio>;
export type DemoPerson = Portfolio['people'][number];
export type DemoVendor = Portfolio['vendors'][number];
export type DemoFinding = DemoVendor['findings'][number];

export class PortfolioError extends Error {}

/** Reads and validates the portfolio; every problem is named with its path in the file. */
export function loadPortfolio(file: string = DEMO_PORTFOLIO_FILE): Portfolio {
  let data: unknown;
  try {
    data = readYamlData(file);
  } catch (error) {
    throw new PortfolioError(`cannot read the demo portfolio: ${(error as Error).message}`);
  }
  const parsed = portfolio.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new PortfolioError(`the demo portfolio is not valid: ${problems.join('; ')}`);
  }
  return parsed.data;
}
