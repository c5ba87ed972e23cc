import { describe, expect, it } from 'vitest';
import { type ClockInput, planClocks } from '../../src/core/incidents/clock-rules.ts';
import {
  addBusinessDaysIso,
  addCalendarDaysIso,
  addMonthsIso,
  durationText,
} from '../../src/core/incidents/clock-time.ts';
import { dueSlot, reminderSlots } from '../../src/core/incidents/reminders.ts';
import { DEFAULT_POLICY } from '../../src/core/policy/policy.ts';

const policy = DEFAULT_POLICY.incidents;
const aware = '2026-06-01T09:00:00.000Z';

function plan(input: Partial<ClockInput>, timeZone = 'UTC') {
  return planClocks(
    { regulatoryScope: [], dataTypes: [], ourRole: 'controller', awareAt: aware, ...input },
    policy,
    timeZone,
  );
}
const byRule = (clocks: ReturnType<typeof plan>) => Object.fromEntries(clocks.map((c) => [c.rule, c]));

describe('regulatory clock rules', () => {
  it('a vendor with no regulated data starts no clock', () => {
    expect(plan({ dataTypes: ['none'] })).toEqual([]);
    expect(plan({ dataTypes: ['confidential'], regulatoryScope: ['SOX'] })).toEqual([]);
  });

  it('GDPR as controller: the authority within 72 h and data subjects, plus the vendor’s notice to us', () => {
    const clocks = byRule(plan({ dataTypes: ['PII'], regulatoryScope: ['GDPR'] }));
    expect(Object.keys(clocks)).toEqual(['gdpr-33-authority', 'gdpr-34-subjects', 'vendor-notice']);
    expect(clocks['gdpr-33-authority']).toMatchObject({
      regulation: 'GDPR Art. 33',
      recipient: 'Supervisory authority',
      startsAt: aware,
      deadline: '2026-06-04T09:00:00.000Z',
    });
    expect(clocks['vendor-notice']?.deadline).toBe('2026-06-04T09:00:00.000Z');
  });

  it('GDPR as processor: only the notice to the controller, without undue delay (policy: 24 h)', () => {
    const clocks = plan({ dataTypes: ['PII'], regulatoryScope: ['GDPR'], ourRole: 'processor' });
    expect(clocks.map((c) => [c.rule, c.recipient, c.deadline])).toEqual([
      ['gdpr-33-2-controller', 'Controller', '2026-06-02T09:00:00.000Z'],
      ['vendor-notice', 'Us, from the vendor', '2026-06-04T09:00:00.000Z'],
    ]);
  });

  it('GDPR scope without personal data starts nothing under GDPR', () => {
    expect(plan({ dataTypes: ['confidential'], regulatoryScope: ['GDPR'] })).toEqual([]);
  });

  it('NIS2: early warning 24 h, notification 72 h, final report one month after the notification', () => {
    const clocks = byRule(plan({ dataTypes: ['none'], regulatoryScope: ['NIS2'] }, 'Europe/Berlin'));
    expect(clocks['nis2-early-warning']?.deadline).toBe('2026-06-02T09:00:00.000Z');
    expect(clocks['nis2-notification']?.deadline).toBe('2026-06-04T09:00:00.000Z');
    expect(clocks['nis2-final-report']).toMatchObject({
      startsAt: '2026-06-04T09:00:00.000Z',
      deadline: '2026-07-04T09:00:00.000Z',
    });
  });

  it('HIPAA as covered entity, count unknown: individuals, HHS and media within 60 days of discovery', () => {
    const clocks = byRule(plan({ dataTypes: ['PHI'], regulatoryScope: ['HIPAA'] }, 'America/New_York'));
    expect(Object.keys(clocks)).toEqual(['hipaa-individuals', 'hipaa-hhs', 'hipaa-media', 'vendor-notice']);
    // 05:00 in New York on 1 June; 60 days later is 05:00 on 31 July, still daylight time.
    expect(clocks['hipaa-individuals']?.deadline).toBe('2026-07-31T09:00:00.000Z');
    expect(clocks['hipaa-hhs']).toMatchObject({ recipient: 'HHS Secretary', deadline: '2026-07-31T09:00:00.000Z' });
    expect(clocks['vendor-notice']?.regulation).toBe('Vendor contract (BAA)');
  });

  it('HIPAA under 500 individuals: HHS in the annual log, 60 days after the year ends; no media under 501 per state', () => {
    const clocks = byRule(
      plan(
        { dataTypes: ['PHI'], regulatoryScope: ['HIPAA'], affectedIndividuals: 499, maxResidentsOneState: 500 },
        'America/New_York',
      ),
    );
    expect(clocks['hipaa-hhs']).toMatchObject({
      recipient: 'HHS Secretary (annual log)',
      deadline: '2027-03-02T05:00:00.000Z',
    });
    expect(clocks['hipaa-media']).toBeUndefined();
  });

  it('HIPAA at 500 individuals goes to HHS within 60 days; media once more than 500 live in one state', () => {
    const clocks = byRule(
      plan({ dataTypes: ['PHI'], regulatoryScope: ['HIPAA'], affectedIndividuals: 500, maxResidentsOneState: 501 }),
    );
    expect(clocks['hipaa-hhs']?.recipient).toBe('HHS Secretary');
    expect(clocks['hipaa-media']?.recipient).toBe('Prominent media outlets in the state');
  });

  it('HIPAA as business associate: our notice to the covered entity per the BAA', () => {
    const clocks = plan({ dataTypes: ['PHI'], regulatoryScope: ['HIPAA'], ourRole: 'processor' });
    expect(clocks.map((c) => c.rule)).toEqual(['hipaa-ba-notice', 'vendor-notice']);
  });

  it('a vendor in both HIPAA and GDPR scope runs both sets of clocks', () => {
    const clocks = plan({ dataTypes: ['PHI', 'PII'], regulatoryScope: ['HIPAA', 'GDPR'] });
    expect(clocks.map((c) => c.rule)).toEqual([
      'gdpr-33-authority',
      'gdpr-34-subjects',
      'hipaa-individuals',
      'hipaa-hhs',
      'hipaa-media',
      'vendor-notice',
    ]);
  });

  it('EU CTR: member states within 7 days; sponsor and ethics committee within 5 business days', () => {
    // Friday 5 June 2026, 16:00 in Berlin: 7 calendar days is the next Friday; 5 business days too.
    const friday = '2026-06-05T14:00:00.000Z';
    const clocks = byRule(plan({ dataTypes: ['PII'], regulatoryScope: ['EU CTR'], awareAt: friday }, 'Europe/Berlin'));
    expect(clocks['ctr-52-member-states']?.deadline).toBe('2026-06-12T14:00:00.000Z');
    expect(clocks['sponsor-ethics']).toMatchObject({
      recipient: 'Sponsor and IRB/ethics committee',
      deadline: '2026-06-12T14:00:00.000Z',
    });
  });

  it('the vendor’s notice to us counts from when the vendor became aware, when known', () => {
    const clocks = byRule(plan({ dataTypes: ['PII'], vendorAwareAt: '2026-05-30T09:00:00.000Z' }));
    expect(clocks['vendor-notice']).toMatchObject({
      startsAt: '2026-05-30T09:00:00.000Z',
      deadline: '2026-06-02T09:00:00.000Z',
    });
  });
});

describe('calendar arithmetic for clocks', () => {
  it('hours are elapsed time across a DST change; days keep the local wall-clock time', () => {
    // Saturday 28 March 2026 10:00 in Berlin (UTC+1); clocks go forward on Sunday 29 March.
    const before = '2026-03-28T09:00:00.000Z';
    expect(plan({ dataTypes: ['PII'], regulatoryScope: ['GDPR'], awareAt: before })[0]?.deadline).toBe(
      '2026-03-31T09:00:00.000Z',
    );
    // Seven calendar days later is 10:00 on 4 April in summer time (UTC+2).
    expect(addCalendarDaysIso(before, 7, 'Europe/Berlin')).toBe('2026-04-04T08:00:00.000Z');
    // And back in autumn: 10:00 on 24 October (UTC+2) plus 7 days is 10:00 on 31 October (UTC+1).
    expect(addCalendarDaysIso('2026-10-24T08:00:00.000Z', 7, 'Europe/Berlin')).toBe('2026-10-31T09:00:00.000Z');
  });

  it('one month lands on the same local day, clamped to the month’s end, across DST', () => {
    expect(addMonthsIso('2027-01-31T09:00:00.000Z', 1, 'Europe/Berlin')).toBe('2027-02-28T09:00:00.000Z');
    expect(addMonthsIso('2028-01-31T09:00:00.000Z', 1, 'Europe/Berlin')).toBe('2028-02-29T09:00:00.000Z');
    // 10:00 on 10 March in Berlin (winter) is 10:00 on 10 April (summer): one hour less in UTC terms.
    expect(addMonthsIso('2027-03-10T09:00:00.000Z', 1, 'Europe/Berlin')).toBe('2027-04-10T08:00:00.000Z');
  });

  it('one month is reckoned on the local calendar, not UTC’s', () => {
    // 31 January 00:30 in Tokyo is still 30 January in UTC; a month later is 28 February local.
    expect(addMonthsIso('2027-01-30T15:30:00.000Z', 1, 'Asia/Tokyo')).toBe('2027-02-27T15:30:00.000Z');
    expect(addMonthsIso('2027-01-30T15:30:00.000Z', 1, 'UTC')).toBe('2027-02-28T15:30:00.000Z');
  });

  it('business days skip the weekend in the local zone', () => {
    // Thursday 4 June 2026 17:00 in Berlin: 5 business days is Thursday 11 June.
    expect(addBusinessDaysIso('2026-06-04T15:00:00.000Z', 5, 'Europe/Berlin')).toBe('2026-06-11T15:00:00.000Z');
    // Friday 23:30 in Los Angeles is Saturday in UTC: counted from the local Friday, not from Saturday.
    expect(addBusinessDaysIso('2026-06-06T06:30:00.000Z', 1, 'America/Los_Angeles')).toBe('2026-06-09T06:30:00.000Z');
    expect(addBusinessDaysIso('2026-06-06T06:30:00.000Z', 1, 'UTC')).toBe('2026-06-08T06:30:00.000Z');
  });

  it('time left reads in days, hours and minutes', () => {
    expect(durationText(3 * 86_400_000 + 4 * 3_600_000)).toBe('3 d 4 h');
    expect(durationText(3_600_000 + 20 * 60_000)).toBe('1 h 20 min');
    expect(durationText(12 * 60_000)).toBe('12 min');
  });
});

describe('clock reminders', () => {
  it('fall at 50, 75 and 90 % of the window and one hour before the deadline', () => {
    expect(reminderSlots(aware, '2026-06-04T09:00:00.000Z', policy)).toEqual([
      { name: 'p50', at: '2026-06-02T21:00:00.000Z' },
      { name: 'p75', at: '2026-06-03T15:00:00.000Z' },
      { name: 'p90', at: '2026-06-04T01:48:00.000Z' },
      { name: 'h1', at: '2026-06-04T08:00:00.000Z' },
    ]);
  });

  it('after downtime only the latest due slot fires; none once the deadline passed', () => {
    const slots = reminderSlots(aware, '2026-06-04T09:00:00.000Z', policy);
    expect(dueSlot(slots, '2026-06-02T20:59:00.000Z', '2026-06-04T09:00:00.000Z')).toBeNull();
    expect(dueSlot(slots, '2026-06-04T02:00:00.000Z', '2026-06-04T09:00:00.000Z')).toEqual({
      slot: { name: 'p90', at: '2026-06-04T01:48:00.000Z' },
      skipped: 2,
    });
    expect(dueSlot(slots, '2026-06-04T09:00:00.000Z', '2026-06-04T09:00:00.000Z')).toBeNull();
  });
});
