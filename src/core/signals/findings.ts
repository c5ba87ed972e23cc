import type { Severity, SignalKind } from '../common/vocabulary.ts';

// What a monitoring signal means to a risk analyst: a finding title that says what was found, and a
// detail that says why it matters and what to ask the vendor. Pure, so the wording is tested directly.

export const RATINGS = ['A', 'B', 'C', 'D', 'F'] as const;
export type Rating = (typeof RATINGS)[number];

export interface SignalFacts {
  source: string;
  kind: SignalKind;
  severity: Severity;
  summary: string;
  details: Record<string, unknown>;
}

export interface VendorFacts {
  name: string;
  dataTypes: readonly string[];
  regulatoryScope: readonly string[];
}

const AT_LEAST_MEDIUM: readonly Severity[] = ['critical', 'high', 'medium'];

/** The letter grade a rating provider reported, if it is one we know. */
export function ratingOf(details: Record<string, unknown>): Rating | null {
  const raw = typeof details.rating === 'string' ? details.rating.trim().toUpperCase() : '';
  return (RATINGS as readonly string[]).includes(raw) ? (raw as Rating) : null;
}

/** Medium or worse opens a finding; a rating change only when the new grade is D or F. */
export function opensFinding(signal: Pick<SignalFacts, 'kind' | 'severity' | 'details'>): boolean {
  if (!AT_LEAST_MEDIUM.includes(signal.severity)) return false;
  if (signal.kind !== 'rating_change') return true;
  const rating = ratingOf(signal.details);
  return rating === 'D' || rating === 'F';
}

const text = (details: Record<string, unknown>, ...keys: string[]): string | null => {
  for (const key of keys) {
    const v = details[key];
    if ((typeof v === 'string' && v.trim()) || typeof v === 'number') return String(v).trim();
  }
  return null;
};

const DATA_LABELS: Record<string, string> = {
  PHI: 'patient health information (PHI)',
  PII: 'personal data (PII)',
  confidential: 'confidential business data',
};

/** "Acme handles our personal data (PII). " or nothing when it handles nothing sensitive. */
function atStake(vendor: VendorFacts): string {
  const sensitive = vendor.dataTypes.filter((t) => t in DATA_LABELS).map((t) => DATA_LABELS[t]);
  return sensitive.length > 0 ? `${vendor.name} handles our ${sensitive.join(' and ')}. ` : '';
}

/** Breach clocks that start when we learn of it, for the regulations this vendor is in scope of. */
function clocks(vendor: VendorFacts): string {
  const lines: string[] = [];
  if (vendor.regulatoryScope.includes('HIPAA') || vendor.dataTypes.includes('PHI')) {
    lines.push('HIPAA: a business associate must tell us without unreasonable delay, and within 60 days of discovery');
  }
  if (vendor.regulatoryScope.includes('GDPR') || vendor.dataTypes.includes('PII')) {
    lines.push(
      'GDPR: once we are aware of a personal data breach we have 72 hours to notify the supervisory authority',
    );
  }
  if (vendor.regulatoryScope.includes('NIS2'))
    lines.push('NIS2: early warning within 24 hours of a significant incident');
  return lines.length > 0 ? ` Clocks that may now be running: ${lines.join('; ')}.` : '';
}

export function signalFindingText(signal: SignalFacts, vendor: VendorFacts): { title: string; detail: string } {
  const d = signal.details;
  const seen = `${signal.source} reported: ${signal.summary.trim().replace(/[.!]+$/, '')}`;
  switch (signal.kind) {
    case 'exposed_datastore': {
      const where = text(d, 'host', 'asset', 'url', 'ip') ?? 'an internet-facing address';
      const port = text(d, 'port');
      const what = text(d, 'service', 'product', 'technology') ?? 'datastore';
      const at = port ? `${where}:${port}` : where;
      return {
        title: `${vendor.name}: unauthenticated ${what} open to the internet at ${at}`,
        detail:
          `${seen}. The ${what} at ${at} answers without asking for credentials, so anyone on the internet can read ` +
          `what it holds, and often change or delete it. Open databases like this are how 1.6 million clinical-trial ` +
          `records were once exposed. ${atStake(vendor)}Ask ${vendor.name} to take it off the internet or ` +
          `require authentication today, and to confirm in writing whether any of our data was in it and who accessed it.` +
          clocks(vendor),
      };
    }
    case 'tls_certificate': {
      const host = text(d, 'host', 'asset', 'domain') ?? 'a public endpoint';
      const problem = text(d, 'issue', 'problem') ?? 'a certificate problem';
      return {
        title: `${vendor.name}: TLS certificate problem on ${host} (${problem})`,
        detail:
          `${seen}. Connections to ${host} cannot be trusted: clients either refuse them (an outage for anything ` +
          `that calls it) or people click through the warning, and then anyone on the network path can read or alter ` +
          `the traffic, including credentials and the data we send. Ask ${vendor.name} to replace the certificate and ` +
          `to monitor certificate expiry so it does not recur.`,
      };
    }
    case 'rating_change': {
      const rating = ratingOf(d) ?? '?';
      const previous = text(d, 'previousRating', 'previous_rating', 'from');
      const provider = text(d, 'provider') ?? signal.source;
      const moved = previous ? `from ${previous.toUpperCase()} to ${rating}` : `to ${rating}`;
      return {
        title: `${vendor.name}: external security rating fell ${moved}`,
        detail:
          `${seen}. ${provider} grades what anyone can see of ${vendor.name} from the internet: unpatched ` +
          `software, exposed services, leaked credentials, mail and DNS hygiene. A ${rating} means several of those ` +
          `are failing at once; rating providers report that companies graded C or lower suffer breaches markedly ` +
          `more often. ${atStake(vendor)}Ask ${vendor.name} for the issues behind the grade and a dated fix plan.`,
      };
    }
    case 'breach_report': {
      const records = text(d, 'records', 'recordCount', 'affected');
      return {
        title: `${vendor.name}: reported security breach`,
        detail:
          `${seen}.${records ? ` Reported scale: ${records} records.` : ''} ${atStake(vendor)}Our data may be ` +
          `part of it: ask ${vendor.name} today whether our data or systems were affected, for their incident ` +
          `report and containment steps, and whether credentials we share with them must be rotated.` +
          clocks(vendor),
      };
    }
    case 'config_drift': {
      const resource = text(d, 'resource', 'asset', 'host') ?? 'a monitored system';
      const setting = text(d, 'setting', 'control', 'rule');
      const expected = text(d, 'expected');
      const actual = text(d, 'actual');
      let change = 'a security setting moved away from its agreed baseline';
      if (setting)
        change = `${setting} changed${expected ? ` from the agreed ${expected}` : ''}${actual ? ` to ${actual}` : ''}`;
      return {
        title: `${vendor.name}: configuration drift on ${resource}`,
        detail:
          `${seen}. On ${resource}, ${change}. Drift like this (a storage bucket made public, logging or MFA ` +
          `switched off) is how a secure setup quietly becomes an exposed one, usually without anyone deciding it. ` +
          `Ask ${vendor.name} whether the change was approved; if not, to restore the baseline and explain how it happened.`,
      };
    }
    case 'custom':
      return { title: `${vendor.name}: ${signal.summary.trim()}`, detail: `${seen}.` };
  }
}
