import { describe, expect, it } from 'vitest';
import { WorkingCalendar, defaultCalendar } from '../shared/sla/calendar.ts';
import type { Holiday } from '../shared/sla/calendar.ts';
import { DEFAULT_ACK_TARGETS, ackDueAt, answerDueAt } from '../shared/sla/policy.ts';
import { CHANNEL_CODES } from '../shared/categories.ts';

// Every expected value below was worked out by hand from a paper calendar and the holiday table,
// never by calling the code under test. Times are Bangkok wall-clock; Date values are UTC instants.
const bkk = (local: string): Date => new Date(`${local}:00+07:00`);
const iso = (local: string): string => bkk(local).toISOString();
const cal = defaultCalendar;

describe('working days', () => {
  it('weekends are closed, judged in Bangkok time not UTC', () => {
    expect(cal.isWorkingDay(bkk('2026-03-06T12:00'))).toBe(true); // Fri
    expect(cal.isWorkingDay(bkk('2026-03-07T12:00'))).toBe(false); // Sat
    expect(cal.isWorkingDay(bkk('2026-03-08T12:00'))).toBe(false); // Sun
    expect(cal.isWorkingDay(bkk('2026-03-09T12:00'))).toBe(true); // Mon
    // Sat 00:30 Bangkok is still Friday in UTC.
    expect(cal.isWorkingDay(new Date('2026-03-06T17:30:00Z'))).toBe(false);
    // Mon 00:00 Bangkok is still Sunday in UTC.
    expect(cal.isWorkingDay(new Date('2026-03-08T17:00:00Z'))).toBe(true);
  });

  it('Songkran 2026 is Mon 13 – Wed 15 April', () => {
    expect(cal.isWorkingDay(bkk('2026-04-10T10:00'))).toBe(true);
    for (const d of ['2026-04-13', '2026-04-14', '2026-04-15']) {
      expect(cal.isWorkingDay(bkk(`${d}T10:00`))).toBe(false);
      expect(cal.holiday(bkk(`${d}T10:00`))?.nameEn).toBe('Songkran Festival');
    }
    expect(cal.isWorkingDay(bkk('2026-04-16T10:00'))).toBe(true);
    // The first minute of 13 April Bangkok is 12 April in UTC.
    expect(cal.holiday(new Date('2026-04-12T17:00:00Z'))?.nameTh).toBe('วันสงกรานต์');
  });

  it('Songkran 2025: 13 April fell on a Sunday, so Wed 16 April was the substitute day; Mon 7 April replaced Chakri Day', () => {
    expect(cal.holiday(bkk('2025-04-13T10:00'))?.kind).toBe('regular');
    expect(cal.isWorkingDay(bkk('2025-04-14T10:00'))).toBe(false);
    expect(cal.isWorkingDay(bkk('2025-04-15T10:00'))).toBe(false);
    const sub = cal.holiday(bkk('2025-04-16T10:00'));
    expect(sub?.kind).toBe('substitute');
    expect(sub?.nameEn).toBe('Songkran Festival (in lieu)');
    expect(cal.isWorkingDay(bkk('2025-04-17T10:00'))).toBe(true);
    expect(cal.holiday(bkk('2025-04-07T10:00'))?.kind).toBe('substitute');
    // Friday before Songkran + 1 working day: Mon 14, Tue 15, Wed 16 closed → Thu 17 at 16:00.
    expect(cal.addWorkingDays(bkk('2025-04-11T16:00'), 1).toISOString()).toBe(iso('2025-04-17T16:00'));
  });

  it('keeps the 2025 days the date-holidays package misses', () => {
    for (const d of ['2025-04-07', '2025-04-16', '2025-05-05', '2025-05-09', '2025-06-02', '2025-08-11']) {
      expect(cal.isWorkingDay(bkk(`${d}T10:00`)), d).toBe(false);
    }
  });

  it('New Year 2026: 31 Dec, 1 Jan and the 2 Jan bridge day are closed', () => {
    expect(cal.isWorkingDay(bkk('2025-12-31T10:00'))).toBe(false);
    expect(cal.holiday(bkk('2026-01-01T10:00'))?.nameEn).toBe("New Year's Day");
    expect(cal.holiday(bkk('2026-01-02T10:00'))?.kind).toBe('special');
    // Tue 30 Dec 16:00: 30 min that day, then Wed–Sun closed, 7 h 30 on Mon 5 Jan → 16:00.
    expect(cal.addWorkingDays(bkk('2025-12-30T16:00'), 1).toISOString()).toBe(iso('2026-01-05T16:00'));
  });

  it('a substitution day: Visakha Bucha 2026 is Sunday 31 May, so Monday 1 June is closed', () => {
    expect(cal.holiday(bkk('2026-05-31T10:00'))?.kind).toBe('regular');
    expect(cal.holiday(bkk('2026-06-01T10:00'))?.kind).toBe('substitute');
    // Fri 29 May 16:00 + 1 working day skips the substitute Monday → Tue 2 June 16:00.
    expect(cal.addWorkingDays(bkk('2026-05-29T16:00'), 1).toISOString()).toBe(iso('2026-06-02T16:00'));
  });

  it('keeps the provisional flag so the UI can warn', () => {
    expect(cal.holiday(bkk('2026-05-13T10:00'))).toMatchObject({ kind: 'royal-ploughing', provisional: true });
    expect(cal.holiday(bkk('2026-04-13T10:00'))?.provisional).toBe(false);
    expect(cal.holiday(bkk('2026-03-09T10:00'))).toBeUndefined();
  });

  it('reports coverage of the shipped table', () => {
    expect(cal.coverage()).toEqual({ from: 2024, to: 2028 });
    expect(cal.covers(bkk('2028-12-31T23:00'))).toBe(true);
    expect(cal.covers(bkk('2029-01-01T00:30'))).toBe(false);
    expect(new WorkingCalendar([]).coverage()).toEqual({ from: 0, to: -1 });
  });
});

describe('overrides', () => {
  const extra: Holiday = { date: '2026-03-09', nameTh: 'วันหยุดพิเศษ', nameEn: 'Special holiday', kind: 'special', provisional: false };

  it('adds a closed day and removes one', () => {
    const c = new WorkingCalendar(undefined, { add: [extra], remove: ['2026-04-13'] });
    expect(c.isWorkingDay(bkk('2026-03-09T10:00'))).toBe(false);
    expect(c.holiday(bkk('2026-03-09T10:00'))?.nameEn).toBe('Special holiday');
    expect(c.isWorkingDay(bkk('2026-04-13T10:00'))).toBe(true);
    // The rest of the table is untouched.
    expect(c.isWorkingDay(bkk('2026-04-14T10:00'))).toBe(false);
    // Fri 6 Mar 16:00 + 1 day with Monday now closed → Tue 10 Mar 16:00.
    expect(c.addWorkingDays(bkk('2026-03-06T16:00'), 1).toISOString()).toBe(iso('2026-03-10T16:00'));
    // Overrides do not leak into the shared default calendar.
    expect(defaultCalendar.isWorkingDay(bkk('2026-03-09T10:00'))).toBe(true);
    expect(defaultCalendar.isWorkingDay(bkk('2026-04-13T10:00'))).toBe(false);
  });

  it('accepts a custom table', () => {
    const c = new WorkingCalendar([extra]);
    expect(c.isWorkingDay(bkk('2026-03-09T10:00'))).toBe(false);
    expect(c.isWorkingDay(bkk('2026-04-13T10:00'))).toBe(true);
    expect(c.coverage()).toEqual({ from: 2026, to: 2026 });
  });

  it('rejects malformed dates with a clear error', () => {
    expect(() => new WorkingCalendar(undefined, { remove: ['13/04/2026'] })).toThrow(/YYYY-MM-DD/);
    expect(() => new WorkingCalendar(undefined, { add: [{ ...extra, date: '2026-02-30' }] })).toThrow(/YYYY-MM-DD/);
  });
});

describe('office hours 08:30–16:30', () => {
  it('Friday 16:00 + 1 working day → Monday 16:00', () => {
    expect(cal.addWorkingDays(bkk('2026-03-06T16:00'), 1).toISOString()).toBe(iso('2026-03-09T16:00'));
  });

  it('… unless Monday is a holiday: Friday 10 Apr 2026 16:00 skips Songkran → Thursday 16 Apr 16:00', () => {
    expect(cal.addWorkingDays(bkk('2026-04-10T16:00'), 1).toISOString()).toBe(iso('2026-04-16T16:00'));
  });

  it('a case received on Saturday counts from Monday 08:30', () => {
    expect(cal.addOfficeMinutes(bkk('2026-03-07T10:00'), 60).toISOString()).toBe(iso('2026-03-09T09:30'));
    expect(cal.addWorkingDays(bkk('2026-03-07T10:00'), 1).toISOString()).toBe(iso('2026-03-09T16:30'));
    expect(cal.addOfficeMinutes(bkk('2026-03-07T10:00'), 0).toISOString()).toBe(iso('2026-03-09T08:30'));
  });

  it('a case received at 07:00 counts from 08:30', () => {
    expect(cal.addOfficeMinutes(bkk('2026-03-10T07:00'), 60).toISOString()).toBe(iso('2026-03-10T09:30'));
    expect(cal.addWorkingDays(bkk('2026-03-10T07:00'), 1).toISOString()).toBe(iso('2026-03-10T16:30'));
  });

  it('after closing, or at 16:30 sharp, counts from the next opening', () => {
    expect(cal.addOfficeMinutes(bkk('2026-03-10T17:00'), 60).toISOString()).toBe(iso('2026-03-11T09:30'));
    expect(cal.addOfficeMinutes(bkk('2026-03-10T16:30'), 60).toISOString()).toBe(iso('2026-03-11T09:30'));
  });

  it('time running out exactly at closing ends that day', () => {
    expect(cal.addOfficeMinutes(bkk('2026-03-10T08:30'), 480).toISOString()).toBe(iso('2026-03-10T16:30'));
    expect(cal.addOfficeMinutes(bkk('2026-03-10T16:00'), 30).toISOString()).toBe(iso('2026-03-10T16:30'));
  });

  it('fractional days: 1.5 working days from Monday 09:00 → Tuesday 13:00', () => {
    // Mon 09:00–16:30 = 7 h 30; the remaining 4 h 30 from Tue 08:30 → 13:00.
    expect(cal.addWorkingDays(bkk('2026-03-09T09:00'), 1.5).toISOString()).toBe(iso('2026-03-10T13:00'));
  });

  it('hotline 2 office hours from 15:30 → next working day 09:30', () => {
    expect(cal.addOfficeMinutes(bkk('2026-03-10T15:30'), 120).toISOString()).toBe(iso('2026-03-11T09:30'));
    expect(ackDueAt('hotline', bkk('2026-03-10T15:30')).toISOString()).toBe(iso('2026-03-11T09:30'));
    // From Friday before Songkran the next working day is Thursday.
    expect(ackDueAt('hotline', bkk('2026-04-10T15:30')).toISOString()).toBe(iso('2026-04-16T09:30'));
  });

  it('keeps seconds and rejects nonsense', () => {
    expect(cal.addOfficeMinutes(new Date('2026-03-10T09:00:30+07:00'), 60).toISOString()).toBe(new Date('2026-03-10T10:00:30+07:00').toISOString());
    expect(() => cal.addOfficeMinutes(bkk('2026-03-10T09:00'), -1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays(bkk('2026-03-10T09:00'), Number.NaN)).toThrow(RangeError);
    expect(() => cal.isWorkingDay(new Date('nope'))).toThrow(RangeError);
  });
});

describe('policy', () => {
  it('has a target with a unit for every channel', () => {
    for (const ch of CHANNEL_CODES) expect(DEFAULT_ACK_TARGETS[ch], ch).toBeDefined();
    expect(DEFAULT_ACK_TARGETS.hotline).toEqual({ unit: 'officeHours', amount: 2 });
    expect(DEFAULT_ACK_TARGETS.letter).toEqual({ unit: 'workingDays', amount: 8.5 });
    expect(DEFAULT_ACK_TARGETS.mobile_team).toEqual(DEFAULT_ACK_TARGETS.walk_in);
  });

  it('ackDueAt per channel', () => {
    // LINE, 1 working day: Fri 16:00 → Mon 16:00.
    expect(ackDueAt('line', bkk('2026-03-06T16:00')).toISOString()).toBe(iso('2026-03-09T16:00'));
    // Website, 2 working days: Wed 8 Apr 10:00 → Fri 10 Apr 10:00.
    expect(ackDueAt('website', bkk('2026-04-08T10:00')).toISOString()).toBe(iso('2026-04-10T10:00'));
    // Walk-in, 1.5 days from Fri 10 Apr 09:00: 7 h 30 Friday, Songkran Mon–Wed, 4 h 30 Thursday → Thu 16 Apr 13:00.
    expect(ackDueAt('walk_in', bkk('2026-04-10T09:00')).toISOString()).toBe(iso('2026-04-16T13:00'));
    expect(ackDueAt('mobile_team', bkk('2026-04-10T09:00')).toISOString()).toBe(iso('2026-04-16T13:00'));
    // Letter, 8.5 days from Mon 2 Mar 09:00 with Makha Bucha on Tue 3 Mar:
    // Mon 7 h 30, then 8 full days Wed 4 – Thu 12 (weekend skipped), 4 h 30 on Fri 13 → 13:00.
    expect(ackDueAt('letter', bkk('2026-03-02T09:00')).toISOString()).toBe(iso('2026-03-13T13:00'));
  });

  it('ackDueAt uses a given calendar', () => {
    const noHolidays = new WorkingCalendar([]);
    expect(ackDueAt('line', bkk('2026-04-10T16:00'), noHolidays).toISOString()).toBe(iso('2026-04-13T16:00'));
  });

  it('rejects an unknown channel', () => {
    expect(() => ackDueAt('fax' as never, bkk('2026-03-06T16:00'))).toThrow(/unknown channel/);
  });

  it('answerDueAt: 15 calendar days (Royal Decree s.38), weekends and holidays included', () => {
    expect(answerDueAt(bkk('2026-04-10T16:00')).toISOString()).toBe(iso('2026-04-25T16:00'));
    expect(answerDueAt(bkk('2026-01-20T10:00')).toISOString()).toBe(iso('2026-02-04T10:00'));
  });
});
