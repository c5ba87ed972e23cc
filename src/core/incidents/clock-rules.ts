import type { OurRole } from '../common/vocabulary.ts';
import type { IncidentPolicy } from '../policy/policy.ts';
import { addBusinessDaysIso, addCalendarDaysIso, addHoursIso, addMonthsIso, startOfNextYearIso } from './clock-time.ts';

// Which regulatory clocks an incident at a vendor starts, from the vendor's regulatory scope, the data
// types it holds and our role, with every window taken from the policy. Pure: the same inputs always
// give the same clocks, so each rule has a unit test and the report can say why a clock exists.

export const CLOCK_RULES = [
  'gdpr-33-authority',
  'gdpr-33-2-controller',
  'gdpr-34-subjects',
  'nis2-early-warning',
  'nis2-notification',
  'nis2-final-report',
  'hipaa-individuals',
  'hipaa-hhs',
  'hipaa-media',
  'hipaa-ba-notice',
  'ctr-52-member-states',
  'sponsor-ethics',
  'vendor-notice',
] as const;
export type ClockRule = (typeof CLOCK_RULES)[number];

export interface ClockInput {
  regulatoryScope: readonly string[];
  dataTypes: readonly string[];
  ourRole: OurRole;
  /** When we became aware (discovery, for HIPAA). */
  awareAt: string;
  /** When the vendor became aware, if known; else its notice to us is counted from our awareness. */
  vendorAwareAt?: string | null;
  /** Individuals affected, when known; unknown counts as the case with the most duties. */
  affectedIndividuals?: number | null;
  /** The most residents of any one state affected, when known. */
  maxResidentsOneState?: number | null;
}

export interface PlannedClock {
  rule: ClockRule;
  regulation: string;
  recipient: string;
  startsAt: string;
  deadline: string;
}

export function planClocks(input: ClockInput, policy: IncidentPolicy, timeZone: string): PlannedClock[] {
  const scope = new Set(input.regulatoryScope);
  const data = new Set(input.dataTypes);
  const personal = data.has('PHI') || data.has('PII');
  const controller = input.ourRole === 'controller';
  const at = input.awareAt;
  const clocks: PlannedClock[] = [];
  const add = (rule: ClockRule, regulation: string, recipient: string, startsAt: string, deadline: string) =>
    clocks.push({ rule, regulation, recipient, startsAt, deadline });

  if (scope.has('GDPR') && personal) {
    if (controller) {
      add('gdpr-33-authority', 'GDPR Art. 33', 'Supervisory authority', at, addHoursIso(at, policy.gdprAuthorityHours));
      add(
        'gdpr-34-subjects',
        'GDPR Art. 34',
        'Data subjects (if high risk)',
        at,
        addHoursIso(at, policy.gdprSubjectsHours),
      );
    } else {
      const deadline = addHoursIso(at, policy.gdprProcessorToControllerHours);
      add('gdpr-33-2-controller', 'GDPR Art. 28/33(2)', 'Controller', at, deadline);
    }
  }

  if (scope.has('NIS2')) {
    add(
      'nis2-early-warning',
      'NIS2 Art. 23(4)(a)',
      'CSIRT / competent authority',
      at,
      addHoursIso(at, policy.nis2EarlyWarningHours),
    );
    const notification = addHoursIso(at, policy.nis2NotificationHours);
    add('nis2-notification', 'NIS2 Art. 23(4)(b)', 'CSIRT / competent authority', at, notification);
    // Counted from the notification: its deadline until it is sent, then the moment it was sent.
    add(
      'nis2-final-report',
      'NIS2 Art. 23(4)(d)',
      'CSIRT / competent authority',
      notification,
      finalReportDeadline(notification, policy, timeZone),
    );
  }

  if (scope.has('HIPAA') && data.has('PHI')) {
    if (controller) {
      const individuals = input.affectedIndividuals ?? null;
      add(
        'hipaa-individuals',
        'HIPAA §164.404',
        'Affected individuals',
        at,
        addCalendarDaysIso(at, policy.hipaaIndividualsDays, timeZone),
      );
      if (individuals === null || individuals >= policy.hipaaHhsThreshold) {
        add('hipaa-hhs', 'HIPAA §164.408', 'HHS Secretary', at, addCalendarDaysIso(at, policy.hipaaHhsDays, timeZone));
      } else {
        const yearEnd = startOfNextYearIso(at, timeZone);
        const deadline = addCalendarDaysIso(yearEnd, policy.hipaaAnnualLogDaysAfterYear, timeZone);
        add('hipaa-hhs', 'HIPAA §164.408(c)', 'HHS Secretary (annual log)', at, deadline);
      }
      const residents = input.maxResidentsOneState ?? null;
      if (residents === null || residents > policy.hipaaMediaThreshold) {
        add(
          'hipaa-media',
          'HIPAA §164.406',
          'Prominent media outlets in the state',
          at,
          addCalendarDaysIso(at, policy.hipaaMediaDays, timeZone),
        );
      }
    } else {
      const deadline = addCalendarDaysIso(at, policy.hipaaBusinessAssociateDays, timeZone);
      add('hipaa-ba-notice', 'HIPAA §164.410 (BAA)', 'Covered entity', at, deadline);
    }
  }

  if (scope.has('EU CTR')) {
    add(
      'ctr-52-member-states',
      'EU CTR Art. 52',
      'Member states concerned (CTIS)',
      at,
      addCalendarDaysIso(at, policy.ctrSeriousBreachDays, timeZone),
    );
  }
  if (scope.has('EU CTR') || scope.has('21 CFR Part 11')) {
    const deadline = addBusinessDaysIso(at, policy.sponsorEthicsBusinessDays, timeZone);
    add('sponsor-ethics', 'Trial protocol', 'Sponsor and IRB/ethics committee', at, deadline);
  }

  if (personal) {
    const from = input.vendorAwareAt ?? at;
    const terms = data.has('PHI') && scope.has('HIPAA') ? 'BAA' : 'DPA / contract';
    add(
      'vendor-notice',
      `Vendor contract (${terms})`,
      'Us, from the vendor',
      from,
      addHoursIso(from, policy.vendorNoticeHours),
    );
  }
  return clocks;
}

/** NIS2's final report: one month (policy) after the incident notification, on the local calendar. */
export function finalReportDeadline(notifiedAt: string, policy: IncidentPolicy, timeZone: string): string {
  return addMonthsIso(notifiedAt, policy.nis2FinalReportMonths, timeZone);
}
