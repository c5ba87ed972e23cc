// The closed vocabularies of the domain, as const lists so parsers, validators and UIs share one source.

export const TIERS = ['critical', 'high', 'medium', 'low'] as const;
export type Tier = (typeof TIERS)[number];

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const DATA_TYPES = ['PHI', 'PII', 'confidential', 'none'] as const;
export type DataType = (typeof DATA_TYPES)[number];

export const CRITICALITIES = ['high', 'medium', 'low'] as const;
export type Criticality = (typeof CRITICALITIES)[number];

export const REGULATIONS = [
  'HIPAA',
  'GDPR',
  '21 CFR Part 11',
  'NIS2',
  'DORA',
  'SOX',
  'PCI DSS',
  'ISO 13485',
  'EU CTR',
] as const;

// 'onboarding' is the status before the lifecycle existed; migration 0017 moves such vendors to in_review and
// parsers read the word as in_review. The lifecycle is requested -> in_review -> approved | rejected -> active
// -> offboarding -> offboarded (src/core/lifecycle/states.ts).
export const VENDOR_STATUSES = [
  'onboarding',
  'active',
  'offboarded',
  'requested',
  'in_review',
  'approved',
  'rejected',
  'offboarding',
] as const;
export type VendorStatus = (typeof VENDOR_STATUSES)[number];

export const EVIDENCE_TYPES = [
  'soc2_type2',
  'iso27001',
  'pentest',
  'hipaa_baa',
  'gdpr_dpa',
  'insurance',
  'part11_attestation',
] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

export const EVIDENCE_LABELS: Record<EvidenceType, string> = {
  soc2_type2: 'SOC 2 Type II',
  iso27001: 'ISO 27001',
  pentest: 'Penetration test',
  hipaa_baa: 'HIPAA BAA',
  gdpr_dpa: 'GDPR DPA',
  insurance: 'Cyber insurance',
  part11_attestation: '21 CFR Part 11 / CSV attestation',
};

export const SIGNAL_KINDS = [
  'exposed_datastore',
  'tls_certificate',
  'rating_change',
  'breach_report',
  'config_drift',
  'custom',
] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

export const FINDING_STATES = [
  'open',
  'acknowledged',
  'assigned',
  'escalation_pending',
  'escalated',
  'resolved',
  'risk_accepted',
  'fix_proposed',
] as const;
export type FindingState = (typeof FINDING_STATES)[number];

export const ROLES = ['viewer', 'owner', 'analyst', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const REQUESTED_ACTIONS = ['remediation_deadline', 'suspend_access', 'invoke_irp', 'accept_risk'] as const;
export type RequestedAction = (typeof REQUESTED_ACTIONS)[number];

export const REQUESTED_ACTION_LABELS: Record<RequestedAction, string> = {
  remediation_deadline: 'Set a remediation deadline',
  suspend_access: 'Suspend the vendor’s data access',
  invoke_irp: 'Invoke the incident response plan',
  accept_risk: 'Accept the risk until a date',
};

export const SIGNATURE_MEANINGS = ['approval', 'rejection', 'review'] as const;
export type SignatureMeaning = (typeof SIGNATURE_MEANINGS)[number];

export const INCIDENT_STATES = ['open', 'contained', 'notifications_done', 'closed'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

export const INCIDENT_PHASES = ['contain', 'assess', 'notify', 'recover', 'review'] as const;
export type IncidentPhase = (typeof INCIDENT_PHASES)[number];

/** Whose notification duties apply: a controller (covered entity) or a processor (business associate). */
export const OUR_ROLES = ['controller', 'processor'] as const;
export type OurRole = (typeof OUR_ROLES)[number];

export const CLOCK_STATES = ['running', 'met', 'not_required', 'missed'] as const;
export type ClockState = (typeof CLOCK_STATES)[number];

export function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}
