/**
 * Deadlines on every case: computed at intake from channel, category and the unit's policy,
 * recomputed on forwarding without moving the citizen's s.38 date, and explained by the CLI.
 * 2026-04-09 is a Thursday; Songkran closes offices Mon 13 – Wed 15 April 2026.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelCode, SubjectCategoryCode } from '../shared/categories.ts';
import { forwardCase } from '../shared/cases/commands/forwardCase.ts';
import { openCase } from '../shared/cases/commands/openCase.ts';
import type { DomainDeps } from '../shared/cases/deps.ts';
import { defaultCalendar } from '../shared/sla/calendar.ts';
import { computeDeadlines, toBangkokIso, unitChain } from '../shared/sla/deadlines.ts';
import { loadCalendar, loadSlaPolicy, parseSlaPolicy, type SlaContext } from '../shared/sla/load.ts';
import { startStack, type Stack } from './helpers/stack.ts';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '..', 'app', 'cli.ts');
const cli = async (args: string[], env: Record<string, string>) =>
  (await run(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 })).stdout;

const bkk = (s: string) => new Date(`${s}+07:00`);
const iso = (d: Date | null | undefined) => (d ? toBangkokIso(new Date(d)) : d);

const dir = mkdtempSync(join(tmpdir(), 'rongrian-sla-'));
const POLICY_FILE = join(dir, 'sla-policy.json');
writeFileSync(POLICY_FILE, JSON.stringify({
  default: { resolve: { byCategory: { petition: { unit: 'calendarDays', amount: 60 } } } },
  units: {
    // Chiang Mai province: LINE acknowledged within 3 working days in all its districts…
    50: { ack: { line: { unit: 'workingDays', amount: 3 } } },
    // …and Mueang Chiang Mai district resolves everything within 10.
    5001: { resolve: { default: { unit: 'workingDays', amount: 10 } } },
  },
}));
const HOLIDAYS_FILE = join(dir, 'holidays-override.json');
writeFileSync(HOLIDAYS_FILE, JSON.stringify({
  add: [{ date: '2026-04-10', nameTh: 'วันหยุดพิเศษ (เชื่อมสงกรานต์)', nameEn: 'Songkran bridge holiday', kind: 'special', provisional: true }],
  remove: ['2026-05-13'],
}));

let stack: Stack;
beforeAll(async () => { stack = await startStack({ worker: false }); });
afterAll(async () => { await stack?.close(); });

let n = 0;
function open(opts: { channel?: ChannelCode; category?: SubjectCategoryCode; receivedAt?: Date; districtCode?: string; sla?: SlaContext } = {}) {
  const deps: DomainDeps = opts.sla ? { ...stack.rt.bot, sla: opts.sla } : stack.rt.bot;
  return openCase(deps, {
    idempotencyKey: `sla:${++n}:${Math.random()}`, channel: opts.channel ?? 'line', category: opts.category ?? 'help',
    description: 'ถนนในหมู่บ้านชำรุดเป็นหลุมลึก', receivedAt: opts.receivedAt ?? bkk('2026-04-09T09:00:00'),
    location: { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: opts.districtCode ?? '5001' },
    complainant: { name: 'สมหญิง', phone: '0812345678' }, by: { kind: 'system' },
  });
}

describe('deadlines at intake', () => {
  it('a LINE case: 1 working day to acknowledge (over Songkran), 15 calendar days to answer, 30 working days to resolve', async () => {
    const c = await open();
    expect(iso(c.ackDueAt)).toBe('2026-04-10T09:00:00+07:00');
    expect(iso(c.answerDueAt)).toBe('2026-04-24T09:00:00+07:00');
    // Skips Songkran 13–15 Apr, Coronation Day 4 May and the (provisional) Royal Ploughing Day 13 May.
    expect(iso(c.resolveDueAt)).toBe('2026-05-28T09:00:00+07:00');
    const saved = await stack.rt.models.Case.findById(c._id).lean();
    expect(iso(saved!.ackDueAt)).toBe('2026-04-10T09:00:00+07:00');
  });

  it('a hotline call at 16:00 on Friday: 2 office hours run out Thursday after Songkran at 10:00', async () => {
    const c = await open({ channel: 'hotline', receivedAt: bkk('2026-04-10T16:00:00') });
    expect(iso(c.ackDueAt)).toBe('2026-04-16T10:00:00+07:00');
    expect(iso(c.answerDueAt)).toBe('2026-04-25T16:00:00+07:00');
  });

  it('counts from now when no receipt time is given', async () => {
    const c = await openCase({ ...stack.rt.bot, clock: { now: () => bkk('2026-04-09T09:00:00') } }, {
      idempotencyKey: `sla:now:${Math.random()}`, channel: 'line', category: 'help', description: 'ไฟดับ',
      location: { provinceCode: '50', districtCode: '5001' }, complainant: { name: 'ก' }, by: { kind: 'system' },
    });
    expect(iso(c.ackDueAt)).toBe('2026-04-10T09:00:00+07:00');
  });
});

describe('policy file: unit, parent unit and category', () => {
  const ctx: SlaContext = { policy: loadSlaPolicy({}, POLICY_FILE), calendar: defaultCalendar };

  it('the district\'s own rule and its province\'s rule both apply to a case in the district', async () => {
    const c = await open({ sla: ctx });
    expect(c.unitCode).toBe('5001');
    expect(iso(c.ackDueAt)).toBe('2026-04-17T09:00:00+07:00'); // province 50: 3 working days
    expect(iso(c.resolveDueAt)).toBe('2026-04-28T09:00:00+07:00'); // district 5001: 10 working days
    expect(iso(c.answerDueAt)).toBe('2026-04-24T09:00:00+07:00'); // s.38 untouched
    const d = computeDeadlines({ receivedAt: bkk('2026-04-09T09:00:00'), channel: 'line', category: 'help', unitChain: await unitChain('5001') }, ctx);
    expect(d.applied.ack).toMatchObject({ rule: 'units.50.ack.line', unitCode: '50', inherited: true });
    expect(d.applied.resolve).toMatchObject({ rule: 'units.5001.resolve.default', unitCode: '5001', inherited: false });
  });

  it('a category target applies where no unit sets a resolution target', async () => {
    const chain = await unitChain('5002');
    expect(chain).toEqual(['5002', '50', 'MOI']);
    const at = bkk('2026-04-09T09:00:00');
    const petition = computeDeadlines({ receivedAt: at, channel: 'letter', category: 'petition', unitChain: chain }, ctx);
    expect(petition.applied.resolve.rule).toBe('default.resolve.byCategory.petition');
    expect(iso(petition.resolveDueAt)).toBe('2026-06-08T09:00:00+07:00');
    const help = computeDeadlines({ receivedAt: at, channel: 'letter', category: 'help', unitChain: chain }, ctx);
    expect(iso(help.resolveDueAt)).toBe('2026-05-28T09:00:00+07:00');
    // The province's LINE rule does not touch letters.
    expect(help.applied.ack.rule).toBe('default.ack.letter');
  });

  it('a bad policy file is refused with the key named', () => {
    expect(() => parseSlaPolicy({ units: { 50: { ack: { lin: { unit: 'workingDays', amount: 1 } } } } }, 'p.json')).toThrow(/p\.json: units\.50\.ack\.lin: unknown key/);
    expect(() => parseSlaPolicy({ default: { answer: { unit: 'days', amount: 15 } } }, 'p.json')).toThrow(/default\.answer\.unit/);
    expect(() => parseSlaPolicy({ default: { resolve: { default: { unit: 'workingDays', amount: -1 } } } }, 'p.json')).toThrow(/default\.resolve\.default\.amount/);
  });

  it('the checked-in config/sla-policy.json is the built-in defaults', () => {
    const p = loadSlaPolicy({});
    expect(p.units).toEqual({});
    expect(p.default.ack?.hotline).toEqual({ unit: 'officeHours', amount: 2 });
    expect(p.default.resolve?.default).toEqual({ unit: 'workingDays', amount: 30 });
  });
});

describe('forwarding', () => {
  it('gives the new unit its own acknowledgement window but keeps the citizen\'s answer date', async () => {
    const c = await open();
    const deps = { ...stack.rt.bot, clock: { now: () => bkk('2026-04-20T10:00:00') } };
    const r = await forwardCase(deps, { caseId: String(c._id), officer: { id: 'o'.repeat(24), name: 'จนท.', unitCode: '5001' }, toUnitCode: '5002', reason: 'อยู่ในเขตอำเภอแม่ริม' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(iso(r.case.ackDueAt)).toBe('2026-04-21T10:00:00+07:00');
    expect(iso(r.case.answerDueAt)).toBe(iso(c.answerDueAt));
    expect(iso(r.case.resolveDueAt)).toBe('2026-05-28T09:00:00+07:00'); // from receipt: forwarding buys no time
  });

  it('recomputes by the new unit\'s policy', async () => {
    const ctx: SlaContext = { policy: loadSlaPolicy({}, POLICY_FILE), calendar: defaultCalendar };
    const c = await open({ sla: ctx, districtCode: '5002' });
    expect(iso(c.resolveDueAt)).toBe('2026-05-28T09:00:00+07:00');
    const deps = { ...stack.rt.bot, sla: ctx, clock: { now: () => bkk('2026-04-20T10:00:00') } };
    const r = await forwardCase(deps, { caseId: String(c._id), officer: { id: 'o'.repeat(24), name: 'จนท.', unitCode: '5002' }, toUnitCode: '5001', reason: 'ในเขตเมือง' });
    expect(r.ok && iso(r.case.resolveDueAt)).toBe('2026-04-28T09:00:00+07:00');
    expect(r.ok && iso(r.case.ackDueAt)).toBe('2026-04-23T10:00:00+07:00'); // province 50: 3 working days from the forward
  });

  it('a case from before deadlines existed forwards and explains without crashing', async () => {
    const c = await open();
    await stack.rt.models.Case.updateOne({ _id: c._id }, { $unset: { ackDueAt: 1, answerDueAt: 1, resolveDueAt: 1, receivedAt: 1 } });
    const out = await cli(['sla', 'explain', c.trackingNo], stack.env);
    expect(out).toContain('not stored on the case');
    const r = await forwardCase(stack.rt.bot, { caseId: String(c._id), officer: { id: 'o'.repeat(24), name: 'จนท.', unitCode: '5001' }, toUnitCode: '5002', reason: 'ส่งต่อ' });
    expect(r.ok).toBe(true);
    expect(r.ok && r.case.answerDueAt).toBeTruthy();
  });
});

describe('holiday override file', () => {
  it('adds and removes days, which moves due dates', () => {
    const cal = loadCalendar({}, HOLIDAYS_FILE);
    const from = bkk('2026-04-09T09:00:00');
    expect(toBangkokIso(defaultCalendar.addWorkingDays(from, 1))).toBe('2026-04-10T09:00:00+07:00');
    expect(toBangkokIso(cal.addWorkingDays(from, 1))).toBe('2026-04-16T09:00:00+07:00');
    expect(cal.holiday(bkk('2026-04-10T12:00:00'))).toMatchObject({ nameEn: 'Songkran bridge holiday', provisional: true });
    expect(cal.isWorkingDay(bkk('2026-05-13T12:00:00'))).toBe(true);
    expect(defaultCalendar.isWorkingDay(bkk('2026-05-13T12:00:00'))).toBe(false);
  });

  it('a bad override file names the entry', () => {
    const bad = join(dir, 'bad-holidays.json');
    writeFileSync(bad, JSON.stringify({ add: [{ date: '2026-4-10', nameTh: 'x', nameEn: 'x' }] }));
    expect(() => loadCalendar({}, bad)).toThrow(/add\.0\.date/);
  });
});

describe('sla CLI (child processes)', () => {
  it('sla due needs no database', async () => {
    expect((await cli(['sla', 'due', '--from', '2026-04-09T09:00:00+07:00', '--working-days', '3'], {})).trim()).toBe('2026-04-17T09:00:00+07:00');
    expect((await cli(['sla', 'due', '--from', '2026-04-09T09:00:00+07:00', '--working-days', '1'], { HOLIDAYS_OVERRIDE_FILE: HOLIDAYS_FILE })).trim()).toBe('2026-04-16T09:00:00+07:00');
    await expect(cli(['sla', 'due', '--from', 'tomorrow', '--working-days', '1'], {})).rejects.toThrow(/not an ISO datetime/);
  });

  it('sla explain prints each deadline, its rule and the days skipped, Thai first', async () => {
    const c = await open();
    const out = await cli(['sla', 'explain', c.trackingNo], stack.env);
    expect(out).toContain(`เรื่องเลขที่ / case ${c.trackingNo}`);
    expect(out).toContain('กำหนด / due: 2026-04-10T09:00:00+07:00');
    expect(out).toContain('กำหนด / due: 2026-04-24T09:00:00+07:00');
    expect(out).toContain('กำหนด / due: 2026-05-28T09:00:00+07:00');
    expect(out).toContain('[default.ack.line]');
    expect(out).toContain('[default.resolve.default]');
    expect(out).toContain('Royal Decree on Good Governance s.38');
    expect(out).toContain('2026-04-13 วันจันทร์ วันสงกรานต์ / Monday, Songkran Festival');
    expect(out).toContain('2026-04-11 วันเสาร์ / Saturday');
    expect(out).toContain('2026-05-13 วันพุธ วันพืชมงคล / Wednesday, Royal Ploughing Ceremony (provisional)');
    expect(out).toContain('calendar days: weekends and holidays count');
  });

  it('sla explain names the parent unit\'s rule, and sla policy shows the effective policy', async () => {
    const ctx: SlaContext = { policy: loadSlaPolicy({}, POLICY_FILE), calendar: defaultCalendar };
    const c = await open({ sla: ctx });
    const out = await cli(['sla', 'explain', c.trackingNo], { ...stack.env, SLA_POLICY_FILE: POLICY_FILE });
    expect(out).toContain('override of parent unit 50 [units.50.ack.line]');
    expect(out).toContain('override of unit 5001 [units.5001.resolve.default]');
    expect(out).toContain('กำหนด / due: 2026-04-17T09:00:00+07:00');
    const policy = await cli(['sla', 'policy', '--unit', '5001'], { SLA_POLICY_FILE: POLICY_FILE });
    expect(policy).toContain('5001 → 50 → MOI');
    expect(policy).toContain('LINE / LINE: 3 วันทำการ / 3 working days — จากหน่วยงานต้นสังกัด / from parent 50 [units.50.ack.line]');
    expect(policy).toMatch(/เรื่องทูลเกล้าถวายฎีกา \/ Royal petition: 10 วันทำการ .*\[units\.5001\.resolve\.default\]/);
  });
});
