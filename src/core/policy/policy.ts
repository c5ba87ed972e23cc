import type { DataType, EvidenceType, OurRole, Severity, Tier } from '../common/vocabulary.ts';

/**
 * Every number the domain decides with, in one place, with the defaults a regulated user expects.
 * Deployments may override any of it with a JSON or YAML file named by POLICY_FILE (see config).
 */
export interface Policy {
  /** Months between reassessments, by tier; counted from the last completed review. */
  reassessmentMonths: Record<Tier, number>;
  /** A vendor added without a completed review gets its first review due this many days after it is added. */
  initialReviewDays: number;
  /** Days before the due date on which a reminder goes out; 0 is the due day itself. */
  reminderOffsetsDays: number[];
  /** While overdue, remind every this many days. */
  overdueReminderEveryDays: number;
  /** Request an escalation automatically after this many days overdue. */
  autoEscalateAfterOverdueDays: number;
  /** Days before evidence expiry on which the owner is reminded. */
  evidenceReminderDays: number[];
  /** Evidence expiring within this many days shows as "expiring" rather than "valid". */
  evidenceExpiringDays: number;
  /** Days from opening to the SLA due date, by severity. */
  findingSlaDays: Record<Severity, number>;
  /** Days before an SLA due date on which the assignee is reminded. */
  slaReminderDays: number;
  /**
   * Which reminders ask for action now: one whose date (review due, document expiry, finding SLA) is at
   * most this many days away, or past, keeps the vendor's own live message; one further off is a
   * heads-up for the person's one daily "Coming up" digest. A reassessment someone asked for is always now.
   */
  reminderActNowDays: { review: number; evidence: number; finding: number };
  /** Score deductions, each a named driver of the posture score. */
  deductions: {
    openFinding: Record<Severity, number>;
    expiredEvidence: number;
    overdueReassessment: number;
    failedControlPerWeight: number;
    externalRating: Record<'A' | 'B' | 'C' | 'D' | 'F', number>;
    /** Each required document (requiredEvidence) the vendor does not hold. */
    missingRequiredEvidence: number;
    /** A vendor never assessed scores at most this, whatever else is true (79: grade C at best). */
    neverAssessedMaxScore: number;
  };
  /** Lowest score for each grade; below the last band the grade is F. */
  gradeBands: { A: number; B: number; C: number; D: number };
  /** A drop of this many points within driftWindowDays, or any grade drop, opens a finding. */
  driftPoints: number;
  driftWindowDays: number;
  /** Weekly digest: ISO weekday (1 = Monday) and local hour in BOT_TIMEZONE. */
  digest: { isoWeekday: number; hour: number };
  /** Days between exposure checks of a vendor's authorised assets, by tier. */
  exposureCheckDays: Record<Tier, number>;
  /** A certificate expiring within this many days is reported before it breaks anything. */
  certificateWarningDays: number;
  /** Vendor incidents: our role and every regulatory clock's window (src/core/incidents/clock-rules.ts). */
  incidents: IncidentPolicy;
  /** Evidence a vendor must hold, by data type, regulatory scope and tier; any one type in anyOf satisfies a rule. */
  requiredEvidence: RequiredEvidenceRule[];
  /** Due diligence (in_review) with no change for this many days reminds the assignee, then every as many again. */
  dueDiligenceStallDays: number;
  /** Days before contract_end on which the analysts are prompted to offboard the vendor. */
  offboardingPromptDays: number;
  /** A signing PIN older than this many days must be replaced before its owner signs again (21 CFR 11.300(b)). */
  signingPinMaxAgeDays: number;
  /** A message for a Teams conversation the bot is not installed in waits this many days for the install, then is dead. */
  teamsInstallWaitDays: number;
}

export interface RequiredEvidenceRule {
  /** The rule applies when every given condition holds. */
  when: { dataType?: DataType; regulation?: string; tiers?: Tier[] };
  anyOf: EvidenceType[];
  /** Evidence issued longer ago than this does not count (pen tests); null: valid until it expires. */
  maxAgeMonths: number | null;
  /** Why, for people: 'holds PHI', 'in GDPR scope', 'critical or high tier', 'in 21 CFR Part 11 scope'. */
  because: string;
}

export interface IncidentPolicy {
  /** Our role for the data a vendor handles, unless an incident says otherwise. A sponsor controls its trial data. */
  ourRole: OurRole;
  /** GDPR Art. 33(1): the supervisory authority, from our awareness. */
  gdprAuthorityHours: number;
  /** GDPR Art. 28(3)(f)/33(2): a processor tells its controller "without undue delay"; our reading of that. */
  gdprProcessorToControllerHours: number;
  /** GDPR Art. 34: data subjects "without undue delay" when the risk is high; our reading of that. */
  gdprSubjectsHours: number;
  /** NIS2 Art. 23(4)(a) early warning and (b) incident notification, from awareness. */
  nis2EarlyWarningHours: number;
  nis2NotificationHours: number;
  /** NIS2 Art. 23(4)(d): the final report, months after the incident notification. */
  nis2FinalReportMonths: number;
  /** HIPAA §164.404 individuals and §164.408 HHS (500 or more), days after discovery. */
  hipaaIndividualsDays: number;
  hipaaHhsDays: number;
  hipaaHhsThreshold: number;
  /** §164.406: media when more than this many residents of one state are affected. */
  hipaaMediaThreshold: number;
  hipaaMediaDays: number;
  /** §164.408(c): fewer than the threshold go to HHS in the annual log, days after the year ends. */
  hipaaAnnualLogDaysAfterYear: number;
  /** §164.410: our notice to the covered entity when we are its business associate (the BAA may say less). */
  hipaaBusinessAssociateDays: number;
  /** EU CTR Art. 52: a serious breach to the member states concerned, days from awareness. */
  ctrSeriousBreachDays: number;
  /** Protocol: sponsor and IRB/ethics committee notice, business days in BOT_TIMEZONE. */
  sponsorEthicsBusinessDays: number;
  /** The vendor's contractual notice to us (BAA/DPA terms), hours from the vendor's awareness. */
  vendorNoticeHours: number;
  /** Reminders at these fractions of each clock's window, and this many hours before its deadline. */
  reminderFractions: number[];
  reminderHoursBeforeDeadline: number;
}

export const DEFAULT_POLICY: Policy = {
  reassessmentMonths: { critical: 6, high: 12, medium: 24, low: 36 },
  initialReviewDays: 30,
  reminderOffsetsDays: [30, 7, 1, 0],
  overdueReminderEveryDays: 7,
  autoEscalateAfterOverdueDays: 14,
  evidenceReminderDays: [30, 7, 1],
  evidenceExpiringDays: 30,
  findingSlaDays: { critical: 7, high: 30, medium: 90, low: 180 },
  slaReminderDays: 3,
  reminderActNowDays: { review: 0, evidence: 0, finding: 0 },
  deductions: {
    openFinding: { critical: 25, high: 12, medium: 5, low: 2 },
    expiredEvidence: 8,
    overdueReassessment: 10,
    failedControlPerWeight: 2,
    externalRating: { A: 0, B: 3, C: 8, D: 15, F: 25 },
    missingRequiredEvidence: 15,
    neverAssessedMaxScore: 79,
  },
  gradeBands: { A: 90, B: 80, C: 70, D: 60 },
  driftPoints: 10,
  driftWindowDays: 7,
  digest: { isoWeekday: 1, hour: 9 },
  exposureCheckDays: { critical: 1, high: 7, medium: 30, low: 30 },
  certificateWarningDays: 30,
  requiredEvidence: [
    { when: { dataType: 'PHI' }, anyOf: ['hipaa_baa'], maxAgeMonths: null, because: 'holds PHI' },
    { when: { regulation: 'GDPR' }, anyOf: ['gdpr_dpa'], maxAgeMonths: null, because: 'in GDPR scope' },
    {
      when: { tiers: ['critical', 'high'] },
      anyOf: ['soc2_type2', 'iso27001'],
      maxAgeMonths: null,
      because: 'critical or high tier',
    },
    { when: { tiers: ['critical', 'high'] }, anyOf: ['pentest'], maxAgeMonths: 12, because: 'critical or high tier' },
    {
      when: { regulation: '21 CFR Part 11' },
      anyOf: ['part11_attestation'],
      maxAgeMonths: null,
      because: 'in 21 CFR Part 11 scope',
    },
  ],
  incidents: {
    ourRole: 'controller',
    gdprAuthorityHours: 72,
    gdprProcessorToControllerHours: 24,
    gdprSubjectsHours: 72,
    nis2EarlyWarningHours: 24,
    nis2NotificationHours: 72,
    nis2FinalReportMonths: 1,
    hipaaIndividualsDays: 60,
    hipaaHhsDays: 60,
    hipaaHhsThreshold: 500,
    hipaaMediaThreshold: 500,
    hipaaMediaDays: 60,
    hipaaAnnualLogDaysAfterYear: 60,
    hipaaBusinessAssociateDays: 60,
    ctrSeriousBreachDays: 7,
    sponsorEthicsBusinessDays: 5,
    vendorNoticeHours: 72,
    reminderFractions: [0.5, 0.75, 0.9],
    reminderHoursBeforeDeadline: 1,
  },
  dueDiligenceStallDays: 7,
  offboardingPromptDays: 30,
  signingPinMaxAgeDays: 365,
  teamsInstallWaitDays: 7,
};
