/**
 * The dashboard overview's SLA met %, median working days to close and satisfaction come from the
 * report counters (shared/reports/counters.ts `k`/`w`/`v` keys) kept by the real commands on the real
 * FerretDB: they equal a count from the cases, `report verify` recounts them, and the page shows them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCase } from '../shared/cases/commands/closeCase.ts';
import { openCase } from '../shared/cases/commands/openCase.ts';
import { rejectCase } from '../shared/cases/commands/rejectCase.ts';
import { submitSurvey } from '../shared/cases/commands/submitSurvey.ts';
import { importRecords } from '../shared/import/legacy.ts';
import type { CaseDoc } from '../shared/models/index.ts';
import { buildReport } from '../shared/reports/index.ts';
import { countsOf, reportCounterModel, workingDaysToClose } from '../shared/reports/counters.ts';
import { verifyCounters } from '../shared/reports/verify.ts';
import { slaContext } from '../shared/sla/load.ts';
import { OFFICE_DAY_MINUTES } from '../shared/sla/calendar.ts';
import { officeMinutesBetween } from '../shared/sla/officeTime.ts';
import { overdueFilter, scopeOf } from '../shared/supervision/lateUnits.ts';
import { LATE_FIELDS, LateTally, LIVE_MAX_OPEN_CASES, lateSnapshotModel, saveLateSnapshot, type LateRow } from '../shared/supervision/lateSnapshot.ts';
import { completeness, fiscalYearRange, overview, receivedBetween, scopeFilter, unitInfo, type Overview, type Scope } from '../dashboard/data.ts';
import { forwardCase } from '../shared/cases/commands/forwardCase.ts';
import { COMPLETENESS_RULES, missingFields } from '../shared/reports/completeness.ts';
import { get, signIn } from './helpers/dashboard.ts';
import { startStack, type Stack } from './helpers/stack.ts';

let stack: Stack;
let now = new Date('2026-03-02T09:00:00+07:00');
beforeAll(async () => { stack = await startStack({ worker: false, clock: { now: () => now } }); }, 60_000);
afterAll(async () => { await stack?.close(); });

const CITIZEN = 'U' + 'b'.repeat(32);
const CM = { provinceCode: '50', provinceName: 'เชียงใหม่' };
const MUEANG = { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5001', districtName: 'เมืองเชียงใหม่' };
let n = 0;
const deps = () => stack.rt.bot;
const officerOf = (c: CaseDoc) => ({ id: '0'.repeat(23) + '2', name: 'จนท.', unitCode: c.unitCode });

async function open(receivedAt: string, area: typeof CM = CM): Promise<CaseDoc> {
  now = new Date(receivedAt);
  return openCase(deps(), {
    idempotencyKey: `ov:${++n}:${Math.random()}`, channel: 'line', category: 'help', description: 'ไฟฟ้าส่องสว่างในซอยดับทั้งซอย',
    location: area, complainant: { lineUserId: CITIZEN, lang: 'th' }, by: { kind: 'citizen', id: CITIZEN }, receivedAt: now,
  });
}
async function close(c: CaseDoc, at: Date): Promise<void> {
  now = at;
  expect((await closeCase(deps(), { caseId: String(c._id), officer: officerOf(c), summary: 'ซ่อมไฟแล้ว' })).ok).toBe(true);
}
async function survey(c: CaseDoc, at: string, score: number): Promise<void> {
  now = new Date(at);
  expect((await submitSurvey(deps(), { caseId: String(c._id), lineUserId: CITIZEN, score })).ok).toBe(true);
}
const days = (d: Date, k: number) => new Date(d.getTime() + k * 86_400_000);

/** The three figures counted from the cases themselves, the way the dashboard used to. */
async function fromCases(scope: Scope, fy: number) {
  const { from, to } = fiscalYearRange(fy);
  const cal = slaContext().calendar;
  const closed = await stack.rt.models.Case.find({ ...scopeFilter(scope.codes), status: 'closed', 'resolution.at': { $gte: from, $lt: to } }).lean<CaseDoc[]>();
  let met = 0, of = 0;
  const d: number[] = [];
  for (const c of closed) {
    const at = new Date(c.resolution!.at!);
    if (c.resolveDueAt) { of++; if (at <= new Date(c.resolveDueAt)) met++; }
    d.push(workingDaysToClose(cal, new Date(c.receivedAt ?? c.createdAt), at));
  }
  d.sort((a, b) => a - b);
  const median = d.length ? (d.length % 2 ? d[(d.length - 1) / 2]! : (d[d.length / 2 - 1]! + d[d.length / 2]!) / 2) : null;
  const scores = (await stack.rt.models.Case.find({ ...scopeFilter(scope.codes), 'survey.at': { $gte: from, $lt: to } }).lean<CaseDoc[]>()).map((c) => c.survey!.score!);
  const sum = scores.reduce((a, b) => a + b, 0);
  return {
    slaMet: { met, of, percent: of ? ((met / of) * 100).toFixed(2) : null },
    medianDaysToClose: median,
    satisfaction: { responses: scores.length, mean: scores.length ? Math.round((sum / scores.length) * 100) / 100 : null, percentSatisfied: scores.length ? ((scores.filter((s) => s >= 4).length / scores.length) * 100).toFixed(2) : null },
  };
}

async function scope(code: string): Promise<Scope> {
  return { unit: (await unitInfo(stack.rt.models, code))!, codes: code === 'MOI' ? null : await scopeOf(stack.rt.models, code) };
}
const report = (q: Parameters<typeof buildReport>[1]) => buildReport({ models: stack.rt.models }, q);
const figures = (o: Overview) => ({ slaMet: o.slaMet, medianDaysToClose: o.medianDaysToClose, satisfaction: o.satisfaction });

describe('working days to close', () => {
  it('equal the SLA office time (08:30–16:30 on working days, holidays out), floored and capped at 120', () => {
    const cal = slaContext().calendar;
    const ref = (a: Date, b: Date) => Math.min(120, Math.floor(officeMinutesBetween(cal, a, b) / OFFICE_DAY_MINUTES));
    const at = (s: string) => new Date(s);
    // Songkran 2026 (13–15 Apr, Mon–Wed): Fri 10 Apr 16:30 → Thu 16 Apr 16:30 is one working day.
    expect(workingDaysToClose(cal, at('2026-04-10T16:30:00+07:00'), at('2026-04-16T16:30:00+07:00'))).toBe(1);
    expect(workingDaysToClose(cal, at('2026-03-02T08:30:00+07:00'), at('2026-03-02T16:29:00+07:00'))).toBe(0);
    expect(workingDaysToClose(cal, at('2026-03-02T08:30:00+07:00'), at('2026-03-02T16:30:00+07:00'))).toBe(1);
    expect(workingDaysToClose(cal, at('2024-01-02T09:00:00+07:00'), at('2026-01-02T09:00:00+07:00'))).toBe(120);
    for (let i = 0; i < 20_000; i++) {
      const a = new Date(Date.UTC(2019, 0, 1) + Math.floor(Math.random() * 2800 * 1440) * 60_000);
      const b = new Date(a.getTime() + Math.floor(Math.random() * (i % 2 ? 20 : 250) * 1440) * 60_000);
      expect(workingDaysToClose(cal, a, b), `${a.toISOString()} → ${b.toISOString()}`).toBe(ref(a, b));
    }
  });
});

describe('overview figures from counters', () => {
  it('SLA met, median working days and satisfaction equal a count from the cases, per scope and fiscal year; verify is clean', async () => {
    // In time: closed the next morning, rated 5.
    const quick = await open('2026-03-02T09:00:00+07:00');
    await close(quick, new Date('2026-03-03T10:00:00+07:00'));
    await survey(quick, '2026-03-04T08:00:00+07:00', 5);
    // Late: closed two days after its resolve deadline, rated 2.
    const late = await open('2026-03-02T11:00:00+07:00', MUEANG);
    expect(late.resolveDueAt).toBeTruthy();
    await close(late, days(new Date(late.resolveDueAt!), 2));
    await survey(late, days(new Date(late.resolveDueAt!), 3).toISOString(), 2);
    // Received in fiscal year 2568, closed in 2569: counts where it closed.
    const old = await open('2025-09-15T10:00:00+07:00', MUEANG);
    await close(old, new Date('2025-12-01T10:00:00+07:00'));
    // Closed and rated in fiscal year 2570: not in 2569.
    const next = await open('2026-08-03T10:00:00+07:00');
    await close(next, new Date('2026-10-05T14:00:00+07:00'));
    await survey(next, '2026-10-06T09:00:00+07:00', 4);
    // Rejected and open cases are not "closed" for these figures.
    const rejected = await open('2026-04-01T10:00:00+07:00');
    now = new Date('2026-04-02T10:00:00+07:00');
    expect((await rejectCase(deps(), { caseId: String(rejected._id), officer: officerOf(rejected), reason: 'ไม่อยู่ในอำนาจ' })).ok).toBe(true);
    await open('2026-05-01T10:00:00+07:00');
    // Imported from the previous system: closed, no deadline (out of SLA met %, in the median).
    async function* legacy() {
      yield { line: 1, raw: JSON.stringify({ externalId: 'OV-1', receivedAt: '2026-01-05T10:00:00+07:00', unitCode: '50', reportFormat: 'province', reportRow: 'ขอความช่วยเหลือ', status: 'closed', closedAt: '2026-02-20T10:00:00+07:00' }) };
    }
    expect((await importRecords(stack.rt.models, legacy(), { source: 'test', now: new Date('2026-05-02T10:00:00+07:00') })).imported).toBe(1);
    now = new Date('2026-05-02T10:00:00+07:00');

    const cm = await scope('50');
    const o = await overview(stack.rt.models, report, cm, 2569, now);
    // quick (met), late (missed), old (by its own deadline); the imported case has none.
    expect(o.slaMet.of).toBe(3);
    expect(o.slaMet.met).toBeGreaterThanOrEqual(1);
    expect(o.satisfaction).toEqual({ responses: 2, mean: 3.5, percentSatisfied: '50.00' });
    expect(figures(o)).toEqual(await fromCases(cm, 2569));
    for (const [code, fy] of [['50', 2570], ['5001', 2569], ['MOI', 2569], ['MOI', 2570], ['10', 2569]] as const) {
      const s = await scope(code);
      expect(figures(await overview(stack.rt.models, report, s, fy, now)), `${code} ${fy}`).toEqual(await fromCases(s, fy));
    }
    const next2570 = await overview(stack.rt.models, report, cm, 2570, now);
    expect(next2570.satisfaction.responses).toBe(1);
    expect(next2570.slaMet.of).toBe(1);

    const v = await verifyCounters(stack.rt.models);
    expect(v.mismatches).toEqual([]);
  });

  it('report verify finds lost overview counts and --fix restores them', async () => {
    const Counter = reportCounterModel(stack.rt.models);
    const id = 't:50:2569';
    const doc = await Counter.findById(id).lean();
    const counts = countsOf(doc);
    const lost = Object.keys(counts).filter((k) => /^[kwv]/.test(k));
    expect(lost.length).toBeGreaterThan(0);
    for (const k of lost) delete counts[k];
    await Counter.updateOne({ _id: id }, { $set: { s: JSON.stringify(counts) }, $unset: { c: 1 }, $inc: { version: 1 } });
    const cm = await scope('50');
    expect((await overview(stack.rt.models, report, cm, 2569, now)).satisfaction.responses).toBe(0);

    const found = await verifyCounters(stack.rt.models, { fix: true });
    expect(found.mismatches.map((m) => m.key).sort()).toEqual(lost.sort());
    expect((await verifyCounters(stack.rt.models)).mismatches).toEqual([]);
    expect(figures(await overview(stack.rt.models, report, cm, 2569, now))).toEqual(await fromCases(cm, 2569));
  });

  it('overdue now is the SLA sweep tally once there are many open cases (one read), and says as of when', async () => {
    now = new Date();
    const cm = await scope('50');
    const live = await overview(stack.rt.models, report, cm, 2569, now);
    expect(live.overdueAsOf).toBeUndefined();
    expect(live.overdue).toBeGreaterThan(0);
    expect(live.overdue).toBe(await stack.rt.models.Case.countDocuments({ ...overdueFilter(now), ...scopeFilter(cm.codes) }));
    // What the reconcile sweep stores (workers/sla), then as if the country had many open cases.
    const tally = new LateTally(now);
    for (const c of await stack.rt.models.Case.find({}, LATE_FIELDS).lean<LateRow[]>()) tally.add(c);
    await saveLateSnapshot(stack.rt.models, tally);
    await lateSnapshotModel(stack.rt.models).updateOne({ _id: 'country' }, { $set: { openCases: LIVE_MAX_OPEN_CASES + 1 } });
    const fromSweep = await overview(stack.rt.models, report, cm, 2569, now);
    expect(fromSweep.overdue).toBe(live.overdue);
    expect(fromSweep.overdueAsOf).toEqual(now);
  });

  it('the overview page shows the figures, with no sample notice', async () => {
    const head = await stack.officer('50', 'head', 'หัวหน้า จ.เชียงใหม่');
    const { jar } = await signIn(stack, head.userId);
    const html = await (await get(stack, '/dashboard/?unit=50&fy=2569', jar)).text();
    const expected = await fromCases(await scope('50'), 2569);
    expect(html).toContain(`${expected.slaMet.percent}%`);
    expect(html).toContain(`${expected.slaMet.met} จาก 3 เรื่องที่ยุติในปีนี้`);
    expect(html).toContain(`${expected.medianDaysToClose} วันทำการ`);
    expect(html).toContain('3.5 / 5');
    expect(html).not.toContain('เรื่องแรกที่พบ');
    expect(html).toContain('จากการตรวจนับรอบล่าสุด');
  });
});

/** Completeness counted from the cases themselves, the way the dashboard used to (every case of the scope received in the year). */
async function completenessFromCases(scope: Scope, fy: number) {
  const { from, to } = fiscalYearRange(fy);
  const cases = await stack.rt.models.Case.find({ ...scopeFilter(scope.codes), ...receivedBetween(from, to) }).lean<CaseDoc[]>();
  const per = new Map<string, { unitCode: string; cases: number; complete: number; missing: Record<string, number> }>();
  for (const c of cases) {
    let u = per.get(c.unitCode);
    if (!u) per.set(c.unitCode, (u = { unitCode: c.unitCode, cases: 0, complete: 0, missing: Object.fromEntries(COMPLETENESS_RULES.map((r) => [r.key, 0])) }));
    u.cases++;
    const miss = missingFields(c as never);
    if (!miss.length) u.complete++;
    for (const m of miss) u.missing[m]!++;
  }
  return [...per.values()].sort((a, b) => a.unitCode.localeCompare(b.unitCode));
}
async function completenessShown(scope: Scope, fy: number) {
  const c = await completeness(stack.rt.models, scope, fy);
  expect(c.total.cases).toBe(c.units.reduce((n, u) => n + u.cases, 0));
  return c.units.map(({ unitCode, cases, complete, missing }) => ({ unitCode, cases, complete, missing })).sort((a, b) => a.unitCode.localeCompare(b.unitCode));
}

describe('data completeness from counters', () => {
  it('equals a count from the cases per scope and fiscal year as cases are opened, forwarded and closed; verify is clean', async () => {
    // No district (area), no way to reach the complainant (contact), too short a description.
    const noContact = await openCase(deps(), {
      idempotencyKey: `cq:${++n}`, channel: 'walk_in', category: 'help', description: 'ไฟดับ',
      location: CM, complainant: { name: 'ผู้ร้อง ไม่มีเบอร์', lang: 'th' }, by: { kind: 'officer', id: 'o1', name: 'จนท.' }, receivedAt: new Date('2026-03-10T10:00:00+07:00'),
    });
    const anonymous = await openCase(deps(), {
      idempotencyKey: `cq:${++n}`, channel: 'hotline', category: 'help', description: 'มีการลักลอบทิ้งขยะริมถนนทุกคืนใกล้โรงเรียน',
      location: MUEANG, complainant: { anonymous: true, lang: 'th' }, by: { kind: 'officer', id: 'o1', name: 'จนท.' }, receivedAt: new Date('2026-03-11T10:00:00+07:00'),
    });
    const cm = await scope('50');
    const before = await completenessShown(cm, 2569);
    expect(before).toEqual(await completenessFromCases(cm, 2569));
    const missing = before.find((u) => u.unitCode === noContact.unitCode)!.missing;
    for (const rule of ['contact', 'area', 'description'] as const) expect(missing[rule]).toBeGreaterThan(0);

    // Forwarded to the district: its unit (and so its row on the page) changes.
    now = new Date('2026-03-12T10:00:00+07:00');
    const fwd = await forwardCase(deps(), { caseId: String(anonymous._id), officer: officerOf(anonymous), toUnitCode: anonymous.unitCode === '5001' ? '50' : '5001', reason: 'ส่งต่อผู้รับผิดชอบ' });
    expect(fwd.ok).toBe(true);
    // Closed: the result rule now applies.
    const closedOne = (await stack.rt.models.Case.findById(anonymous._id).lean<CaseDoc>())!;
    await close(closedOne, new Date('2026-03-13T10:00:00+07:00'));

    for (const [code, fy] of [['50', 2569], ['5001', 2569], ['MOI', 2569], ['MOI', 2568], ['10', 2569], ['50', 2570]] as const) {
      const s = await scope(code);
      expect(await completenessShown(s, fy), `${code} ${fy}`).toEqual(await completenessFromCases(s, fy));
    }
    expect((await verifyCounters(stack.rt.models)).mismatches).toEqual([]);
  });

  it('report verify --fix restores lost completeness tallies', async () => {
    const Counter = reportCounterModel(stack.rt.models);
    const id = 't:50:2569';
    const counts = countsOf(await Counter.findById(id).lean());
    const lost = Object.keys(counts).filter((k) => k.startsWith('q'));
    expect(lost.length).toBeGreaterThan(0);
    for (const k of lost) delete counts[k];
    await Counter.updateOne({ _id: id }, { $set: { s: JSON.stringify(counts) }, $unset: { c: 1 }, $inc: { version: 1 } });
    const cm = await scope('50');
    expect(await completenessShown(cm, 2569)).toEqual([]);
    const found = await verifyCounters(stack.rt.models, { fix: true });
    expect(found.mismatches.map((m) => m.key).sort()).toEqual(lost.sort());
    expect(await completenessShown(cm, 2569)).toEqual(await completenessFromCases(cm, 2569));
  });

  it('the completeness page shows the scope\'s figures', async () => {
    const head = await stack.officer('50', 'head', 'หัวหน้า จ.เชียงใหม่ 2');
    const { jar } = await signIn(stack, head.userId);
    const html = await (await get(stack, '/dashboard/completeness?unit=50&fy=2569', jar)).text();
    const units = await completenessFromCases(await scope('50'), 2569);
    const cases = units.reduce((t, u) => t + u.cases, 0), complete = units.reduce((t, u) => t + u.complete, 0);
    expect(html).toContain(`ครบถ้วน ${((complete / cases) * 100).toFixed(2)}% (${complete} จาก ${cases} เรื่อง)`);
    expect(html).toContain('เมืองเชียงใหม่');
  });
});
