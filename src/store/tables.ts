import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { ApprovalState } from '../core/approvals/records.ts';
import type { AssessmentStatus } from '../core/assessments/answers.ts';
import type {
  Criticality,
  FindingState,
  RequestedAction,
  Role,
  Severity,
  SignalKind,
  SignatureMeaning,
  StoredEvidenceType,
  Tier,
  VendorStatus,
} from '../core/common/vocabulary.ts';
import type { CheckKind } from '../core/exposure/checks.ts';

/**
 * Row types, one interface per table. Timestamps are ISO-8601 UTC text written from the injected clock;
 * calendar dates (due dates, expiry) are YYYY-MM-DD text. Lists are JSON text. People are "principals":
 * `slack:U123`, `teams:<aad object id>`, `cli:<operator>` or `system`.
 */
export interface VendorTable {
  id: Generated<number>;
  name: string;
  name_key: string;
  services: string;
  data_types: string;
  criticality: Criticality;
  tier: Tier;
  tier_override_reason: string | null;
  regulatory_scope: string;
  owner_id: string | null;
  channel: string | null;
  status: VendorStatus;
  contract_start: string | null;
  contract_end: string | null;
  last_review_on: string | null;
  next_review_on: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface VendorAssetTable {
  id: Generated<number>;
  vendor_id: number;
  /** How the address is written: 'host', 'ip' or (routing only, never checked) 'cidr'. */
  kind: string;
  /** The canonical target, e.g. `es.acme.example:9200` or `https://files.acme.example/bucket`. */
  value: string;
  created_at: string;
  host: string | null;
  /** The exposure check this asset gets (src/core/exposure/checks.ts); null: routing only. */
  check_kind: CheckKind | null;
  port: number | null;
  note: string | null;
  /** Who confirmed the vendor authorised checking it, and when; never checked without both. */
  authorised_by: string | null;
  authorised_at: string | null;
  removed_at: string | null;
}

/** One exposure check's result, append-only: what was asked and what answered, never data. */
export interface ExposureCheckTable {
  id: Generated<number>;
  asset_id: number;
  vendor_id: number;
  checked_at: string;
  check_kind: string;
  target: string;
  address: string | null;
  outcome: string;
  asked: string;
  answered: string;
  /** JSON: metadata such as a version or a count of databases. */
  facts: string;
  /** JSON: [{ issue, severity, key, signalId, findingId }] for each problem found. */
  problems: string;
}

export interface EvidenceTable {
  id: Generated<number>;
  vendor_id: number;
  type: StoredEvidenceType;
  issued_on: string | null;
  expires_on: string;
  url: string | null;
  recorded_by: string;
  created_at: string;
  updated_at: string;
}

export interface SignalTable {
  id: Generated<number>;
  vendor_id: number;
  source: string;
  external_id: string;
  kind: SignalKind;
  severity: Severity;
  summary: string;
  details: string;
  observed_at: string;
  received_at: string;
  finding_id: number | null;
}

export interface AssessmentTable {
  id: Generated<number>;
  vendor_id: number;
  status: AssessmentStatus;
  questionnaire_version: string;
  requested_by: string;
  requested_at: string;
  due_on: string;
  started_at: string | null;
  submitted_by: string | null;
  submitted_at: string | null;
  score: number | null;
  version: Generated<number>;
}

export interface AssessmentAnswerTable {
  assessment_id: number;
  control_id: string;
  answer: string;
  comment: string | null;
  answered_by: string;
  answered_at: string;
}

export interface FindingTable {
  id: Generated<number>;
  vendor_id: number;
  dedupe_key: string;
  source: string;
  title: string;
  detail: string;
  severity: Severity;
  state: FindingState;
  assignee_id: string | null;
  opened_at: string;
  sla_due_on: string;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  resolution: string | null;
  accepted_until: string | null;
  reopened_reason: string | null;
  updated_at: string;
  version: Generated<number>;
  fix_proposed_by: string | null;
  fix_proposed_at: string | null;
  fix_note: string | null;
  fix_from_state: FindingState | null;
  fix_returned_reason: string | null;
}

export interface ApprovalRequestTable {
  id: Generated<number>;
  finding_id: number;
  kind: string;
  requested_action: RequestedAction;
  action_until: string | null;
  reason: string;
  requested_by: string;
  requested_at: string;
  state: ApprovalState;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  version: Generated<number>;
  withdrawn_by: string | null;
  withdrawn_at: string | null;
  withdraw_reason: string | null;
}

export interface SignatureTable {
  id: Generated<number>;
  record_type: string;
  record_id: number;
  record_version: number;
  record_hash: string;
  signer_id: string;
  signer_name: string;
  meaning: SignatureMeaning;
  reason: string | null;
  signed_at: string;
}

export interface RoleGrantTable {
  principal: string;
  role: Role;
  granted_by: string;
  granted_at: string;
}

export interface PersonTable {
  principal: string;
  display_name: string;
  updated_at: string;
}

export interface SubscriptionTable {
  id: Generated<number>;
  channel: string;
  min_tier: Tier | null;
  created_by: string;
  created_at: string;
}

export interface PostureSnapshotTable {
  vendor_id: number;
  taken_on: string;
  score: number;
  grade: string;
}

/** Per vendor: the score its last scoring gave and the first day it must be scored again (0024). */
export interface PostureScheduleTable {
  vendor_id: number;
  score: number | null;
  grade: string | null;
  /** '0000-00-00' when an input changed (database triggers), '0000-00-01' once a tick saw it; '9999-12-31' out of service. */
  rescore_on: string;
  /** Until this day the drift window still holds a higher score than the current one. */
  watch_until: string | null;
}

/** The one row saying which day's snapshots are all written (and under which policy), and which day's dated triggers all ran. */
export interface SweepStateTable {
  id: number;
  posture_on: string | null;
  policy: string | null;
  dated_on: string | null;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor_id: string;
  actor_name: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: string | null;
  after: string | null;
  reason: string | null;
  prev_hash: string;
  hash: string;
  /** HMAC-SHA256 of `hash` under the audit key (migration 0014); null when written without a key. */
  mac: string | null;
}

export interface OutboxTable {
  id: Generated<number>;
  idempotency_key: string;
  target: string;
  template: string;
  data: string;
  subject: string | null;
  /** Posted in the thread of the message about this subject, e.g. `finding:12`; null: top level. */
  thread_of: string | null;
  late: number;
  status: string;
  attempts: number;
  available_at: string;
  lease_until: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface MessageRefTable {
  subject: string;
  target: string;
  message_id: string;
  updated_at: string;
}

export interface FiredTriggerTable {
  key: string;
  fired_at: string;
  late: number;
}

/** The message that carries a vendor's reminders to one target now (migration 0021). */
export interface LiveReminderTable {
  vendor_id: number;
  target: string;
  /** The outbox subject of that message: edits to it go to the same message. */
  subject: string;
  template: string;
  /** The notification data it was last drawn from, JSON. */
  data: string;
  /** The calendar day it was posted: a later reminder that day edits it, one on a later day replaces it. */
  posted_on: string;
  updated_at: string;
}

export interface SchedulerHeartbeatTable {
  name: string;
  swept_at: string;
}

export interface InboundReceiptTable {
  key: string;
  received_at: string;
  /** The interaction as received, for a re-run (migration 0025); null for receipts that are never re-run. */
  payload: string | null;
  /** When the interaction's work committed; null while it is unfinished. */
  done_at: string | null;
  /** Until when the process working on it holds it; after that another process may re-run it. */
  lease_until: string | null;
  /** Runs started so far (the first, then re-runs). */
  attempts: Generated<number>;
}

export interface ConversationRefTable {
  key: string;
  reference: string;
  updated_at: string;
}

/** A cluster-wide job's current holder (a replica's id) and until when it holds it. */
export interface LeaseTable {
  name: string;
  holder: string;
  until: string;
}

export interface IncidentTable {
  id: Generated<number>;
  vendor_id: number;
  scenario: string;
  severity: string;
  summary: string;
  /** 'controller' or 'processor': which notification duties are ours. */
  our_role: string;
  /** When we became aware: the start of most regulatory clocks. */
  aware_at: string;
  /** When the vendor became aware, if known: the start of its contractual notice to us. */
  vendor_aware_at: string | null;
  /** When the vendor told us. */
  vendor_notified_at: string | null;
  declared_by: string;
  declared_at: string;
  lead_id: string;
  state: string;
  /** JSON: the post-incident review as applied at closure. */
  review: string | null;
  closed_at: string | null;
  updated_at: string;
  version: Generated<number>;
}

export interface IncidentLinkTable {
  incident_id: number;
  /** 'finding' or 'signal'. */
  kind: string;
  ref_id: number;
  linked_at: string;
}

/** A person's signing PIN (scrypt hash and salt, never the PIN), failed attempts and lock; null hash after a reset. */
export interface SigningPinTable {
  person: string;
  pin_hash: string | null;
  salt: string | null;
  set_at: string | null;
  failures: Generated<number>;
  locked_at: string | null;
  updated_at: string;
}

export interface IncidentTaskTable {
  id: Generated<number>;
  incident_id: number;
  /** 1, 2, 3 … within the incident, as the card shows it (T3). */
  number: number;
  phase: string;
  title: string;
  role: string;
  assignee_id: string | null;
  done_by: string | null;
  done_at: string | null;
  version: Generated<number>;
}

export interface IncidentClockTable {
  id: Generated<number>;
  incident_id: number;
  rule: string;
  regulation: string;
  recipient: string;
  starts_at: string;
  deadline: string;
  state: string;
  note: string | null;
  settled_by: string | null;
  settled_at: string | null;
  version: Generated<number>;
}

export interface IncidentDecisionTable {
  id: Generated<number>;
  incident_id: number;
  /** 'clock_not_required' or 'closure'. */
  kind: string;
  clock_id: number | null;
  reason: string;
  /** JSON: the post-incident review a closure applies. */
  review: string | null;
  requested_by: string;
  requested_at: string;
  state: string;
  signed_by: string | null;
  signed_at: string | null;
  version: Generated<number>;
}

export interface IncidentTimelineTable {
  id: Generated<number>;
  incident_id: number;
  at: string;
  actor_id: string;
  actor_name: string;
  text: string;
}

/** What the person who asked for a vendor (`/vendor request`) told us, and who on the risk team took it. */
export interface VendorIntakeTable {
  vendor_id: number;
  requested_by: string;
  requested_at: string;
  website: string | null;
  /** JSON list of what the requester said the vendor will touch: PHI, PII, trial data, none. */
  data_touched: string;
  record_count: number | null;
  /** Free text: the systems the vendor will connect to. */
  systems: string;
  /** The business owner as a principal (`slack:U…`) or as written. */
  business_owner: string | null;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  assignee_id: string | null;
  review_started_by: string | null;
  review_started_at: string | null;
  updated_at: string;
  version: Generated<number>;
}

/** Activation is an approval, signed (record type 'activation_request') under the four-eyes rule. */
export interface ActivationRequestTable {
  id: Generated<number>;
  vendor_id: number;
  /** Always 'activation'; named so lists can show it next to escalations. */
  kind: string;
  reason: string;
  requested_by: string;
  requested_at: string;
  /** pending -> approved | rejected, or withdrawn. */
  state: string;
  /** 'approved_for_use' | 'approved_with_conditions' | 'rejected' once decided. */
  decision: string | null;
  /** JSON list of finding ids accepted as risk by an approval with conditions. */
  accepted_findings: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  version: Generated<number>;
}

export interface OffboardingTable {
  id: Generated<number>;
  vendor_id: number;
  reason: string;
  started_by: string;
  started_at: string;
  /** open -> signed_off. */
  state: string;
  signed_off_by: string | null;
  signed_off_at: string | null;
  version: Generated<number>;
}

/** One checklist item of an offboarding, owned and dated; done when done_by is set. */
export interface OffboardingItemTable {
  offboarding_id: number;
  item: string;
  owner_id: string;
  due_on: string;
  done_by: string | null;
  done_at: string | null;
  note: string | null;
  /** The certificate of return or destruction, recorded as evidence. */
  evidence_id: number | null;
}

export interface Database {
  vendors: VendorTable;
  vendor_assets: VendorAssetTable;
  exposure_checks: ExposureCheckTable;
  evidence: EvidenceTable;
  signals: SignalTable;
  assessments: AssessmentTable;
  assessment_answers: AssessmentAnswerTable;
  findings: FindingTable;
  approval_requests: ApprovalRequestTable;
  signatures: SignatureTable;
  role_grants: RoleGrantTable;
  people: PersonTable;
  subscriptions: SubscriptionTable;
  posture_snapshots: PostureSnapshotTable;
  posture_schedule: PostureScheduleTable;
  sweep_state: SweepStateTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  message_refs: MessageRefTable;
  fired_triggers: FiredTriggerTable;
  live_reminders: LiveReminderTable;
  scheduler_heartbeats: SchedulerHeartbeatTable;
  inbound_receipts: InboundReceiptTable;
  conversation_refs: ConversationRefTable;
  leases: LeaseTable;
  vendor_intakes: VendorIntakeTable;
  activation_requests: ActivationRequestTable;
  offboardings: OffboardingTable;
  offboarding_items: OffboardingItemTable;
  incidents: IncidentTable;
  incident_links: IncidentLinkTable;
  incident_tasks: IncidentTaskTable;
  incident_clocks: IncidentClockTable;
  incident_decisions: IncidentDecisionTable;
  incident_timeline: IncidentTimelineTable;
  person_links: PersonLinkTable;
  signing_pins: SigningPinTable;
  home_views: HomeViewTable;
  owner_digests: OwnerDigestTable;
}

/** A person's "Coming up" digest of one day (src/core/messaging/owner-digest.ts). */
export interface OwnerDigestTable {
  target: string;
  /** The calendar day it is for: a later heads-up that day edits it, one on a later day starts the next. */
  day: string;
  /** The outbox subject of that message. */
  subject: string;
  /** The notification data it was last drawn from, JSON. */
  data: string;
  updated_at: string;
}

/** People who have opened the Home tab, whose Home is republished when their queue changes. */
export interface HomeViewTable {
  principal: string;
  opened_at: string;
}

/** Principals that are one person across platforms; an unlinked principal is its own person. */
export interface PersonLinkTable {
  principal: string;
  person: string;
  linked_by: string;
  linked_at: string;
}

export type VendorRow = Selectable<VendorTable>;
export type NewVendorRow = Insertable<VendorTable>;
export type VendorUpdate = Updateable<VendorTable>;
export type EvidenceRow = Selectable<EvidenceTable>;
export type SignalRow = Selectable<SignalTable>;
export type AssetRow = Selectable<VendorAssetTable>;
export type ExposureCheckRow = Selectable<ExposureCheckTable>;
export type AssessmentRow = Selectable<AssessmentTable>;
export type AssessmentAnswerRow = Selectable<AssessmentAnswerTable>;
export type FindingRow = Selectable<FindingTable>;
export type ApprovalRequestRow = Selectable<ApprovalRequestTable>;
export type SignatureRow = Selectable<SignatureTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type IncidentRow = Selectable<IncidentTable>;
export type IncidentTaskRow = Selectable<IncidentTaskTable>;
export type IncidentClockRow = Selectable<IncidentClockTable>;
export type IncidentDecisionRow = Selectable<IncidentDecisionTable>;
export type IncidentTimelineRow = Selectable<IncidentTimelineTable>;
export type VendorIntakeRow = Selectable<VendorIntakeTable>;
export type ActivationRequestRow = Selectable<ActivationRequestTable>;
export type OffboardingRow = Selectable<OffboardingTable>;
export type OffboardingItemRow = Selectable<OffboardingItemTable>;
