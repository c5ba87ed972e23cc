import {
  EVIDENCE_LABELS,
  EVIDENCE_TYPES,
  type EvidenceType,
  isOneOf,
  ROLES,
  type Role,
  SEVERITIES,
  type Severity,
  type SignalKind,
  TIERS,
  type Tier,
} from '../../src/core/common/vocabulary.ts';
import { badArguments } from './args.ts';

// The short words people type for the domain's closed vocabularies. Each parser accepts the stored
// key too, and a miss lists what is accepted, as a usage error (the usage line follows it).

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

export function tierWord(value: string): Tier {
  const tier = value.trim().toLowerCase();
  if (!isOneOf(TIERS, tier)) throw badArguments(`Tier must be one of ${TIERS.join(', ')}; “${value}” is not.`);
  return tier;
}

export function severityWord(value: string): Severity {
  const severity = value.trim().toLowerCase();
  if (!isOneOf(SEVERITIES, severity)) {
    throw badArguments(`Severity must be one of ${SEVERITIES.join(', ')}; “${value}” is not.`);
  }
  return severity;
}

export const EVIDENCE_ALIASES: Record<string, EvidenceType> = {
  soc2: 'soc2_type2',
  soc2type2: 'soc2_type2',
  soc2typeii: 'soc2_type2',
  iso: 'iso27001',
  iso27001: 'iso27001',
  pentest: 'pentest',
  pentesting: 'pentest',
  penetrationtest: 'pentest',
  baa: 'hipaa_baa',
  hipaabaa: 'hipaa_baa',
  dpa: 'gdpr_dpa',
  gdprdpa: 'gdpr_dpa',
  insurance: 'insurance',
  cyberinsurance: 'insurance',
};

/** `soc2`, `iso`, `pentest`, `baa`, `dpa`, `insurance`, or a stored key or printed name. */
export function evidenceWord(value: string): EvidenceType | null {
  const key = squash(value);
  return (
    EVIDENCE_ALIASES[key] ?? EVIDENCE_TYPES.find((t) => squash(t) === key || squash(EVIDENCE_LABELS[t]) === key) ?? null
  );
}

export const EVIDENCE_WORDS = 'soc2, iso, pentest, baa, dpa, insurance';

export const SIGNAL_ALIASES: Record<string, SignalKind> = {
  exposed: 'exposed_datastore',
  datastore: 'exposed_datastore',
  exposeddatastore: 'exposed_datastore',
  tls: 'tls_certificate',
  cert: 'tls_certificate',
  certificate: 'tls_certificate',
  tlscertificate: 'tls_certificate',
  rating: 'rating_change',
  ratingchange: 'rating_change',
  breach: 'breach_report',
  breachreport: 'breach_report',
  drift: 'config_drift',
  configdrift: 'config_drift',
  custom: 'custom',
};

export function signalKindWord(value: string): SignalKind | null {
  return SIGNAL_ALIASES[squash(value)] ?? null;
}

export const SIGNAL_WORDS = 'exposed, tls, rating, breach, drift, custom';

/** Roles that are granted; viewer (everyone) and owner (per vendor) are not. */
export const GRANTABLE_ROLES = ROLES.filter((r) => r !== 'viewer' && r !== 'owner');

export function roleWord(value: string): Role {
  const role = value.trim().toLowerCase();
  if (!isOneOf(GRANTABLE_ROLES, role)) {
    throw badArguments(`A role is one of ${GRANTABLE_ROLES.join(', ')}; “${value}” is not.`);
  }
  return role;
}
