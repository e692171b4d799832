/**
 * Deadlines without services: the shipped holiday table (shared/sla/data), the checked-in policy
 * (config/sla-policy.json) and fixed times. 2026-04-09 is a Thursday; Songkran closes offices
 * Mon 13 – Wed 15 April 2026; Makha Bucha is Tue 3 March 2026.
 */
import { describe, expect, it } from 'vitest';
import type { ChannelCode, SubjectCategoryCode } from '../../shared/categories.ts';
import { WorkingCalendar } from '../../shared/sla/calendar.ts';
import { computeDeadlines, toBangkokIso } from '../../shared/sla/deadlines.ts';
import { DEFAULT_SLA_POLICY_FILE, loadSlaPolicy, parseSlaPolicy } from '../../shared/sla/load.ts';
import { dueAt, reopenTargetFor } from '../../shared/sla/policy.ts';

const calendar = new WorkingCalendar();
const policy = loadSlaPolicy({}, DEFAULT_SLA_POLICY_FILE);
const ctx = { policy, calendar };
const bkk = (s: string) => new Date(`${s}+07:00`);
const iso = (d: Date) => toBangkokIso(d);
const CHAIN = ['5001', '50', 'MOI'];

function deadlines(channel: ChannelCode, receivedAt: string, category: SubjectCategoryCode = 'help', c = ctx, chain = CHAIN) {
  const d = computeDeadlines({ receivedAt: bkk(receivedAt), channel, category, unitChain: chain }, c);
  return { ack: iso(d.ackDueAt), answer: iso(d.answerDueAt), resolve: iso(d.resolveDueAt), applied: d.applied };
}

describe('working days across weekends and Thai holidays', () => {
  it('skips a weekend: Friday + 1 working day is Monday', () => {
    expect(iso(calendar.addWorkingDays(bkk('2026-03-06T10:00'), 1))).toBe('2026-03-09T10:00:00+07:00');
  });

  it('skips Makha Bucha (Tue 3 March 2026)', () => {
    expect(iso(calendar.addWorkingDays(bkk('2026-03-02T10:00'), 1))).toBe('2026-03-04T10:00:00+07:00');
  });

  it('skips Songkran and the weekend before it: Friday 10 April + 1 is Thursday 16 April', () => {
    expect(iso(calendar.addWorkingDays(bkk('2026-04-10T10:00'), 1))).toBe('2026-04-16T10:00:00+07:00');
    expect(calendar.isWorkingDay(bkk('2026-04-14T10:00'))).toBe(false);
    expect(calendar.isWorkingDay(bkk('2026-05-01T10:00'))).toBe(true); // Labour Day: government offices stay open
  });

  it('counts a complaint received on a Saturday from Monday 08:30', () => {
    expect(deadlines('line', '2026-03-07T12:00').ack).toBe('2026-03-09T16:30:00+07:00');
  });

  it('counts calendar days straight through holidays (the s.38 answer may fall on Songkran)', () => {
    expect(deadlines('line', '2026-03-29T10:00').answer).toBe('2026-04-13T10:00:00+07:00');
  });
});

describe('acknowledge, answer and resolve deadlines per channel', () => {
  it('LINE: 1 working day to acknowledge, 15 calendar days to answer, 30 working days to resolve', () => {
    expect(deadlines('line', '2026-04-09T09:00')).toMatchObject({
      ack: '2026-04-10T09:00:00+07:00', answer: '2026-04-24T09:00:00+07:00', resolve: '2026-05-28T09:00:00+07:00',
    });
  });

  it('hotline: 2 office hours, the second one after Songkran', () => {
    expect(deadlines('hotline', '2026-04-10T15:30').ack).toBe('2026-04-16T09:30:00+07:00');
    // A call logged at 20:00 waits for the office to open.
    expect(deadlines('hotline', '2026-04-09T20:00').ack).toBe('2026-04-10T10:30:00+07:00');
  });

  it('letter 8.5 and walk-in 1.5 working days: the half day is four office hours', () => {
    expect(deadlines('letter', '2026-04-09T09:00').ack).toBe('2026-04-24T13:00:00+07:00');
    expect(deadlines('walk_in', '2026-04-09T09:00').ack).toBe('2026-04-10T13:00:00+07:00');
  });

  it('by category and by unit: a district inherits its province, a category beats the general target', () => {
    const custom = {
      calendar,
      policy: parseSlaPolicy({
        default: { resolve: { byCategory: { petition: { unit: 'calendarDays', amount: 60 } } } },
        units: { 50: { ack: { line: { unit: 'workingDays', amount: 3 } } }, 5001: { resolve: { default: { unit: 'workingDays', amount: 10 } } } },
      }),
    };
    const help = deadlines('line', '2026-04-09T09:00', 'help', custom);
    expect(help.ack).toBe('2026-04-17T09:00:00+07:00');
    expect(help.applied.ack).toMatchObject({ rule: 'units.50.ack.line', inherited: true });
    expect(help.resolve).toBe('2026-04-28T09:00:00+07:00');
    expect(help.applied.resolve.rule).toBe('units.5001.resolve.default');
    // Another province keeps the defaults; the petition target applies where no unit sets resolve.
    const elsewhere = deadlines('line', '2026-04-09T09:00', 'petition', custom, ['1001', '10', 'MOI']);
    expect(elsewhere.ack).toBe('2026-04-10T09:00:00+07:00');
    expect(elsewhere.resolve).toBe('2026-06-08T09:00:00+07:00');
    expect(elsewhere.applied.resolve.rule).toBe('default.resolve.byCategory.petition');
  });

  it('an unknown channel is refused in Thai and English', () => {
    expect(() => deadlines('fax' as ChannelCode, '2026-04-09T09:00')).toThrow(/unknown channel "fax" \/ ไม่รู้จักช่องทาง/);
  });
});

describe('the reopen target in config/sla-policy.json', () => {
  it('is 10 working days from the reopen, Songkran skipped', () => {
    const t = reopenTargetFor(policy, CHAIN);
    expect(t).toEqual({ target: { unit: 'workingDays', amount: 10 }, rule: 'default.reopen', inherited: false });
    expect(iso(dueAt(t.target, bkk('2026-04-09T09:00'), calendar))).toBe('2026-04-28T09:00:00+07:00');
  });

  it('a province may set its own, which its districts inherit', () => {
    const p = parseSlaPolicy({ units: { 50: { reopen: { unit: 'workingDays', amount: 5 } } } });
    expect(reopenTargetFor(p, CHAIN)).toMatchObject({ target: { unit: 'workingDays', amount: 5 }, rule: 'units.50.reopen', inherited: true });
    expect(reopenTargetFor(p, ['1001', '10', 'MOI']).rule).toBe('default.reopen');
  });
});
