/**
 * The SLA planner without services: a case, the shipped holiday table (shared/sla/data), the
 * checked-in policy (config/sla-policy.json) and a fixed `now` in; what is due and when next out.
 * March 2026 has no holiday between the 9th and the 24th; Songkran closes offices Mon 13 – Wed 15
 * April 2026 (2026-04-09 is a Thursday).
 */
import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../shared/sla/calendar.ts';
import { ANSWERING_ACTIONS, isAnswered } from '../../shared/sla/answered.ts';
import { DEFAULT_SLA_POLICY_FILE, loadSlaPolicy } from '../../shared/sla/load.ts';
import { escalationLadder, nextWake, planCase, type SlaCase } from '../../shared/sla/plan.ts';
import { dueAt, reopenTargetFor } from '../../shared/sla/policy.ts';
import { missedDeadline } from '../../shared/supervision/lateSnapshot.ts';

const cal = new WorkingCalendar();
// Bangkok wall-clock → instant.
const bkk = (local: string): Date => new Date(`${local}:00+07:00`);

function kase(over: Partial<SlaCase>): SlaCase {
  return { _id: 'c1', status: 'assigned', unitCode: '5001', receivedAt: bkk('2026-03-09T09:00'), escalationLevel: 0, slaSent: [], timeline: [], ...over };
}
const keys = (c: SlaCase, at: string) => planCase(c, cal, bkk(at)).due.map((n) => n.key.split(':').slice(1).join(':'));
const windows = (c: SlaCase, at: string) => [...new Set(planCase(c, cal, bkk(at)).due.map((n) => n.window))];

describe('SLA planner (pure)', () => {
  // Resolve window Mon 09:00 → Fri 09:00: four working days, 1,920 office minutes.
  const c = kase({ resolveDueAt: bkk('2026-03-13T09:00') });
  const d = bkk('2026-03-13T09:00').toISOString();

  it('reminds at 50 %, one working day before and 80 % of the window, in office time', () => {
    expect(keys(c, '2026-03-11T08:59')).toEqual([]);
    expect(planCase(c, cal, bkk('2026-03-11T08:59')).nextAt).toEqual(bkk('2026-03-11T09:00'));
    expect(keys(c, '2026-03-11T09:00')).toEqual([`remind-resolve:${d}:50`]);
    expect(keys(c, '2026-03-12T09:00')).toEqual([`remind-resolve:${d}:1wd`]);
    // 1,536 office minutes in: Mon 450 + Tue 480 + Wed 480 + Thu 126 → Thu 10:36.
    expect(keys(c, '2026-03-12T10:35')).toEqual([`remind-resolve:${d}:1wd`]);
    expect(keys(c, '2026-03-12T10:36')).toEqual([`remind-resolve:${d}:80`]);
    // Already sent: nothing again.
    expect(keys({ ...c, slaSent: [`c1:remind-resolve:${d}:80`] }, '2026-03-12T15:00')).toEqual([]);
  });

  it('nudges at the deadline, then each working morning, and escalates one level per 2 working days', () => {
    expect(keys(c, '2026-03-13T09:00')).toEqual([`nudge-resolve:${d}:2026-03-13`]);
    // The weekend has no new nudge (Friday's stays the latest); Monday 08:30 does.
    expect(keys(c, '2026-03-14T10:00')).toEqual([`nudge-resolve:${d}:2026-03-13`]);
    expect(planCase(c, cal, bkk('2026-03-14T10:00')).nextAt).toEqual(bkk('2026-03-16T08:30'));
    expect(keys(c, '2026-03-16T08:30')).toEqual([`nudge-resolve:${d}:2026-03-16`]);
    // Two working days after Fri 09:00 is Tue 09:00: level 1 to the province centre.
    const tue = planCase(c, cal, bkk('2026-03-17T09:00')).due;
    expect(tue.map((n) => [n.kind, n.unitCode, n.level])).toEqual([['nudge', '5001', undefined], ['escalate', '50', 1]]);
    expect(planCase({ ...c, escalationLevel: 1 }, cal, bkk('2026-03-17T09:00')).due.map((n) => n.kind)).toEqual(['nudge']);
    expect(planCase(c, cal, bkk('2026-03-19T09:00')).due.find((n) => n.kind === 'escalate')).toMatchObject({ level: 2, unitCode: 'MOI' });
    // Closed and rejected cases: nothing at all.
    expect(planCase({ ...c, status: 'closed' }, cal, bkk('2026-03-19T09:00'))).toEqual({ due: [] });
    expect(planCase({ ...c, status: 'rejected' }, cal, bkk('2026-03-19T09:00'))).toEqual({ due: [] });
  });

  it('never escalates to the unit the complaint is about', () => {
    expect(escalationLadder('5001')).toEqual(['50', 'MOI']);
    expect(escalationLadder('5001', '50')).toEqual(['MOI']);
    const x = kase({ concernedUnitCode: '50', resolveDueAt: bkk('2026-03-13T09:00') });
    expect(planCase(x, cal, bkk('2026-03-17T09:00')).due.find((n) => n.kind === 'escalate')).toMatchObject({ level: 1, unitCode: 'MOI' });
  });

  it('holds a reminder due at 20:00 to the next working day 08:30', () => {
    // s.38 answer window is calendar time: 15 days from Mon 08:00, half-way is Mon 16 20:00.
    const a = kase({ receivedAt: bkk('2026-03-09T08:00'), answerDueAt: bkk('2026-03-24T08:00') });
    const n = planCase(a, cal, bkk('2026-03-17T08:30')).due[0];
    expect(n).toMatchObject({ kind: 'remind', stage: '50', dueAt: bkk('2026-03-16T20:00'), sendAt: bkk('2026-03-17T08:30') });
    expect(planCase(a, cal, bkk('2026-03-16T20:00')).due).toEqual([]);
    // An answer given (a progress note) ends the window.
    expect(planCase({ ...a, timeline: [{ action: 'note' }] }, cal, bkk('2026-03-17T08:30')).due).toEqual([]);
  });

  it('apologises to the citizen once the acknowledgement target is missed', () => {
    const a = kase({ status: 'received', ackDueAt: bkk('2026-03-09T16:30'), complainant: { lineUserId: 'Ucit' } });
    const due = planCase(a, cal, bkk('2026-03-09T16:30')).due;
    expect(due.find((n) => n.kind === 'apology')).toMatchObject({ audience: 'citizen', newExpectedAt: bkk('2026-03-10T16:30') });
  });
});


describe('isAnswered: what counts as answering the complainant', () => {
  const t = (...actions: string[]) => ({ timeline: actions.map((action) => ({ action })) });

  it('an update to the citizen, a question, a forward, a closure or a rejection answers them', () => {
    expect([...ANSWERING_ACTIONS]).toEqual(['note', 'asked', 'forwarded', 'closed', 'rejected']);
    for (const a of ANSWERING_ACTIONS) expect(isAnswered(t('opened', a)), a).toBe(true);
  });

  it('an internal note, an assignment, a take-over, an escalation or the citizen\'s own words do not', () => {
    expect(isAnswered(t('opened', 'internal_note', 'assigned', 'taken_over', 'escalated', 'info_added', 'line_linked', 'reopened'))).toBe(false);
    expect(isAnswered({ timeline: [] })).toBe(false);
    expect(isAnswered({ timeline: null })).toBe(false);
    expect(isAnswered({})).toBe(false);
  });
});

describe('the s.38 answer window in the planner', () => {
  // Received Mon 9 March 08:00; answer due 15 calendar days later, Tue 24 March 08:00.
  const a = kase({ receivedAt: bkk('2026-03-09T08:00'), answerDueAt: bkk('2026-03-24T08:00') });

  it('an internal note leaves the complainant unanswered: reminded, then nudged', () => {
    const noted = { ...a, timeline: [{ action: 'opened' }, { action: 'internal_note' }] };
    expect(windows(noted, '2026-03-17T08:30')).toEqual(['answer']);
    expect(keys(noted, '2026-03-24T08:30')).toEqual([`nudge-answer:${bkk('2026-03-24T08:00').toISOString()}:2026-03-24`]);
  });

  it('a question to the citizen ends it: nothing due, nothing planned', () => {
    const asked = { ...a, timeline: [{ action: 'opened' }, { action: 'asked' }] };
    expect(planCase(asked, cal, bkk('2026-03-24T08:30'))).toEqual({ due: [], nextAt: undefined });
  });

  it('a reopened case owes no late first answer, and its resolve window is the reopen target', () => {
    // Closed, then reopened on Thu 9 April: resolve in 10 working days (config/sla-policy.json), Songkran skipped.
    const policy = loadSlaPolicy({}, DEFAULT_SLA_POLICY_FILE);
    const resolveDueAt = dueAt(reopenTargetFor(policy, ['5001', '50', 'MOI']).target, bkk('2026-04-09T09:00'), cal);
    expect(resolveDueAt).toEqual(bkk('2026-04-28T09:00'));
    const reopened = kase({
      status: 'in_progress', receivedAt: bkk('2026-03-02T09:00'), answerDueAt: bkk('2026-03-17T09:00'), resolveDueAt,
      timeline: [{ action: 'opened' }, { action: 'assigned' }, { action: 'closed' }, { action: 'reopened' }],
    });
    expect(keys(reopened, '2026-04-27T09:00')).toEqual([`remind-resolve:${resolveDueAt.toISOString()}:1wd`]);
    expect(keys(reopened, '2026-04-28T09:00')).toEqual([`nudge-resolve:${resolveDueAt.toISOString()}:2026-04-28`]);
  });
});

describe('escalation levels over Songkran', () => {
  // Resolve deadline Thu 9 April 09:00; two working days later is Thu 16 April (not Sat 11).
  const late = kase({ status: 'in_progress', receivedAt: bkk('2026-03-30T09:00'), resolveDueAt: bkk('2026-04-09T09:00') });
  const escalations = (c: SlaCase, at: string) => planCase(c, cal, bkk(at)).due.filter((n) => n.kind === 'escalate').map((n) => [n.level, n.unitCode]);

  it('nothing climbs during the holiday; the next look is Thursday\'s opening', () => {
    expect(escalations(late, '2026-04-14T10:00')).toEqual([]);
    expect(keys(late, '2026-04-14T10:00')).toEqual([`nudge-resolve:${bkk('2026-04-09T09:00').toISOString()}:2026-04-10`]);
    expect(planCase(late, cal, bkk('2026-04-14T10:00')).nextAt).toEqual(bkk('2026-04-16T08:30'));
  });

  it('level 1 to the province centre after 2 working days, level 2 to the ministry after 4', () => {
    expect(escalations(late, '2026-04-16T08:59')).toEqual([]);
    expect(escalations(late, '2026-04-16T09:00')).toEqual([[1, '50']]);
    expect(escalations({ ...late, escalationLevel: 1 }, '2026-04-16T09:00')).toEqual([]);
    // A worker down for days jumps straight to the level reached, not one message per level.
    expect(escalations(late, '2026-04-20T09:00')).toEqual([[2, 'MOI']]);
    expect(escalations({ ...late, escalationLevel: 2 }, '2026-04-30T09:00')).toEqual([]);
  });

  it('a policy of one working day per level climbs faster', () => {
    const fast = (at: string) => planCase(late, cal, bkk(at), { escalateEveryWorkingDays: 1 }).due.filter((n) => n.kind === 'escalate').map((n) => n.level);
    expect(fast('2026-04-10T09:00')).toEqual([1]);
    expect(fast('2026-04-16T09:00')).toEqual([2]);
  });
});

describe('nextWake: when the case must next be looked at', () => {
  const ack = kase({ status: 'received', ackDueAt: bkk('2026-03-09T16:30'), complainant: { lineUserId: 'Ucit' } });
  const apologyKey = `c1:apology-ack:${bkk('2026-03-09T16:30').toISOString()}:0`;

  it('at once for the citizen\'s apology, even at night; officers wait for the office to open', () => {
    expect(nextWake(ack, cal, bkk('2026-03-09T20:00'))).toEqual(bkk('2026-03-09T20:00'));
    expect(nextWake({ ...ack, slaSent: [apologyKey] }, cal, bkk('2026-03-09T20:00'))).toEqual(bkk('2026-03-10T08:30'));
  });

  it('no apology for a complainant not on LINE', () => {
    expect(planCase({ ...ack, complainant: null }, cal, bkk('2026-03-09T20:00')).due).toEqual([]);
  });

  it('an officer notification due on a Friday evening is held to Monday 08:30; a closed case never wakes', () => {
    const c = kase({ resolveDueAt: bkk('2026-03-13T09:00') });
    expect(planCase(c, cal, bkk('2026-03-13T20:00')).due.map((n) => n.kind)).toEqual(['nudge']);
    expect(nextWake(c, cal, bkk('2026-03-13T20:00'))).toEqual(bkk('2026-03-16T08:30'));
    expect(nextWake({ ...c, status: 'closed' }, cal, bkk('2026-03-13T20:00'))).toBeUndefined();
  });
});

describe('the late-units tally judges the answer window as the planner does', () => {
  const at = bkk('2026-03-25T09:00');
  const row = (...actions: string[]) => ({ status: 'in_progress', unitCode: '5001', answerDueAt: bkk('2026-03-24T08:00'), timeline: actions.map((action) => ({ action })) });

  it('late while only an internal note was written; not late once the complainant was answered or the case was closed before a reopen', () => {
    expect(missedDeadline(row('opened', 'internal_note'), at)).toEqual(bkk('2026-03-24T08:00'));
    expect(missedDeadline(row('opened', 'asked'), at)).toBeUndefined();
    expect(missedDeadline(row('opened', 'closed', 'reopened'), at)).toBeUndefined();
    // The planner agrees on each.
    for (const [actions, late] of [[['opened', 'internal_note'], true], [['opened', 'asked'], false], [['opened', 'closed', 'reopened'], false]] as const) {
      const c = kase({ status: 'in_progress', receivedAt: bkk('2026-03-09T08:00'), answerDueAt: bkk('2026-03-24T08:00'), timeline: actions.map((action) => ({ action })) });
      expect(windows(c, '2026-03-25T09:00').includes('answer'), actions.join()).toBe(late);
    }
  });
});
