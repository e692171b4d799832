/**
 * The official tables from counters kept by the real domain commands, on the real FerretDB: the
 * counters agree with a recount from the cases after a concurrent random workload, the consistency
 * law holds for every province, and GET /api/reports answers with the issue's JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCase } from '../shared/cases/commands/closeCase.ts';
import { forwardCase } from '../shared/cases/commands/forwardCase.ts';
import { openCase } from '../shared/cases/commands/openCase.ts';
import { rejectCase } from '../shared/cases/commands/rejectCase.ts';
import { withdrawCase } from '../shared/cases/commands/withdrawCase.ts';
import { submitSurvey } from '../shared/cases/commands/submitSurvey.ts';
import type { CaseDoc } from '../shared/models/index.ts';
import { buildReport, buildReportFromCases, fiscalYearPeriod, parsePeriod, PROVINCE_ROWS, DISTRICT_ROWS, renderText, toCsv, toXlsx, type ReportFormat } from '../shared/reports/index.ts';
import { verifyCounters } from '../shared/reports/verify.ts';
import { CHANNEL_CODES, SUBJECT_CATEGORY_CODES } from '../shared/categories.ts';
import { startStack, type Stack } from './helpers/stack.ts';
import ExcelJS from 'exceljs';

let stack: Stack;
// Mid fiscal year 2569: closing "now" lands inside the year.
let now = new Date('2026-06-10T10:00:00+07:00');
beforeAll(async () => { stack = await startStack({ worker: false, clock: { now: () => now } }); });
afterAll(async () => { await stack?.close(); });

const FY = fiscalYearPeriod(2569);
const deps = () => ({ models: stack.rt.models });
let n = 0;
const AREAS = [
  { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5001', districtName: 'เมืองเชียงใหม่' },
  { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5002', districtName: 'จอมทอง' },
  { provinceCode: '50', provinceName: 'เชียงใหม่' },
  { provinceCode: '10', provinceName: 'กรุงเทพมหานคร' },
  { provinceCode: '57', provinceName: 'เชียงราย', districtCode: '5701', districtName: 'เมืองเชียงราย' },
];
const pick = <T,>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)]!;

function open(opts: { citizen?: string; receivedAt?: Date; area?: (typeof AREAS)[number]; category?: (typeof SUBJECT_CATEGORY_CODES)[number]; channel?: (typeof CHANNEL_CODES)[number] } = {}) {
  const citizen = opts.citizen ?? 'U' + 'a'.repeat(32);
  return openCase(stack.rt.bot, {
    idempotencyKey: `rep:${++n}:${Math.random()}`, channel: opts.channel ?? 'line', category: opts.category ?? 'help',
    description: 'ถนนในหมู่บ้านเป็นหลุมเป็นบ่อ', location: opts.area ?? AREAS[0]!,
    complainant: { lineUserId: citizen, lang: 'th' }, by: { kind: 'citizen', id: citizen },
    receivedAt: opts.receivedAt ?? new Date('2026-03-15T10:00:00+07:00'),
  });
}
const officerOf = (c: CaseDoc) => ({ id: '0'.repeat(23) + '1', name: 'จนท.', unitCode: c.unitCode });

describe('report periods', () => {
  it('fiscal years run 1 Oct – 30 Sep and are named by the BE year; months and ranges are checked', () => {
    expect(parsePeriod({ fiscalYear: '2569' })).toEqual({ kind: 'fiscalYear', fiscalYear: 2569, from: '2025-10-01', to: '2026-09-30' });
    expect(parsePeriod({ month: '2026-02' })).toMatchObject({ kind: 'month', month: '2026-02', fiscalYear: 2569, from: '2026-02-01', to: '2026-02-28' });
    expect(parsePeriod({ month: '2569-02' })).toMatchObject({ month: '2026-02' });
    expect(parsePeriod({ from: '2026-01-05', to: '2026-01-20' })).toEqual({ kind: 'range', from: '2026-01-05', to: '2026-01-20' });
    expect(() => parsePeriod({ fiscalYear: '2026' })).toThrow(/พ.ศ./);
    expect(() => parsePeriod({ fiscalYear: '2569', month: '2026-11' })).toThrow(/not in fiscal year 2569/);
    expect(() => parsePeriod({ from: '2026-02-30', to: '2026-03-01' })).toThrow(/YYYY-MM-DD/);
    expect(() => parsePeriod({})).toThrow(/fiscalYear/);
  });
});

describe('counters kept by the domain commands', () => {
  it('a case counts under its rows; closing moves it from open to closed by the month it closed', async () => {
    const c = await open({ category: 'informal_debt', channel: 'hotline', area: AREAS[1] });
    let r = await buildReport(deps(), { unitCode: c.unitCode, withChildren: false, format: 'province', period: FY });
    expect(r.rows.find((x) => x.label === 'ร้องเรียนผ่านโทรศัพท์')).toEqual({ label: 'ร้องเรียนผ่านโทรศัพท์', closed: 0, open: 1, total: 1 });
    const d = await buildReport(deps(), { unitCode: c.unitCode, withChildren: false, format: 'district', period: FY });
    expect(d.rows.find((x) => x.label === 'ไกล่เกลี่ยข้อพิพาททางแพ่ง/อาญา')!.open).toBe(1);
    expect((await closeCase(stack.rt.bot, { caseId: String(c._id), officer: officerOf(c), summary: 'ไกล่เกลี่ยแล้ว' })).ok).toBe(true);
    r = await buildReport(deps(), { unitCode: c.unitCode, withChildren: false, format: 'province', period: FY });
    expect(r.total).toEqual({ closed: 1, open: 0, total: 1 });
    expect(r.percentClosed).toBe('100.00');
    // Received in March 2026, closed now (after that month): in March's own table it was still open.
    const march = await buildReport(deps(), { unitCode: c.unitCode, withChildren: false, format: 'province', period: parsePeriod({ month: '2026-03' }) });
    expect(march.total).toEqual({ closed: 0, open: 1, total: 1 });
  });
});

async function lawHolds(unitCode: string, format: ReportFormat, period = FY) {
  const provinceWide = await buildReport(deps(), { unitCode, withChildren: true, format, period });
  const own = await buildReport(deps(), { unitCode, withChildren: false, format, period });
  const districts = await stack.rt.models.Unit.find({ parentCode: unitCode }, { _id: 1 }).lean<{ _id: string }[]>();
  const parts = [own, ...(await Promise.all(districts.map((d) => buildReport(deps(), { unitCode: d._id, withChildren: false, format, period }))))];
  const summed = provinceWide.rows.map((row, i) => ({ label: row.label, closed: 0, open: 0, total: 0, ...Object.fromEntries((['closed', 'open', 'total'] as const).map((k) => [k, parts.reduce((t, p) => t + p.rows[i]![k], 0)])) }));
  expect(summed).toEqual(provinceWide.rows);
  return provinceWide;
}

describe('a random concurrent workload through the real commands', () => {
  it('leaves the counters equal to a recount, and every province table equal to its own plus its districts', async () => {
    // Received over fiscal years 2568 and 2569 with every category and channel; opened all at once.
    const months = ['2025-02-10', '2025-09-30', '2025-10-01', '2026-01-15', '2026-03-31', '2026-05-20'];
    const citizens = Array.from({ length: 6 }, (_, i) => 'U' + String(i).repeat(32));
    const opened = await Promise.all(Array.from({ length: 40 }, (_, i) => open({
      citizen: pick(citizens), area: pick(AREAS), category: pick(SUBJECT_CATEGORY_CODES), channel: pick(CHANNEL_CODES),
      receivedAt: new Date(`${pick(months)}T${String(8 + (i % 14)).padStart(2, '0')}:30:00+07:00`),
    })));
    // Then at once: closes, forwards within and across provinces, withdrawals, rejections — some racing on one case.
    const actions = opened.flatMap((c) => {
      const id = String(c._id);
      const r = Math.random();
      const close = () => closeCase(stack.rt.bot, { caseId: id, officer: officerOf(c), summary: 'ดำเนินการแล้ว' });
      if (r < 0.3) return [close()];
      if (r < 0.5) return [forwardCase(stack.rt.bot, { caseId: id, officer: officerOf(c), toUnitCode: pick(['5002', '50', '57', '5701', '10']), reason: 'อยู่ในอำนาจหน้าที่' }), close()];
      if (r < 0.6) return [withdrawCase(stack.rt.bot, { caseId: id, lineUserId: c.complainant!.lineUserId!, reason: 'ตกลงกันได้แล้ว' }), close()];
      if (r < 0.7) return [rejectCase(stack.rt.bot, { caseId: id, officer: officerOf(c), reason: 'ไม่อยู่ในอำนาจ' })];
      return [];
    });
    await Promise.all(actions);
    // Forwarded cases get closed by their new unit, while other cases are opened.
    const forwarded = await stack.rt.models.Case.find({ status: 'forwarded' }).lean<CaseDoc[]>();
    await Promise.all([
      ...forwarded.map((c) => closeCase(stack.rt.bot, { caseId: String(c._id), officer: officerOf(c), summary: 'หน่วยงานปลายทางดำเนินการแล้ว' })),
      ...Array.from({ length: 8 }, () => open({ area: pick(AREAS), category: pick(SUBJECT_CATEGORY_CODES), channel: pick(CHANNEL_CODES) })),
    ]);
    // Every closed case rated at once (a third of them tapped twice: one answer counts) — the overview's
    // satisfaction counters, in the same few documents as everything else.
    const closedNow = await stack.rt.models.Case.find({ status: 'closed' }).lean<CaseDoc[]>();
    expect(closedNow.length).toBeGreaterThan(0);
    await Promise.all(closedNow.flatMap((c, i) => Array.from({ length: i % 3 ? 1 : 2 }, () =>
      submitSurvey(stack.rt.bot, { caseId: String(c._id), lineUserId: c.complainant!.lineUserId!, score: 1 + (i % 5) }))));

    const v = await verifyCounters(stack.rt.models);
    expect(v.mismatches).toEqual([]);
    expect(v.cases).toBe(49); // 1 + 40 + 8

    for (const province of ['50', '57', '10']) {
      for (const format of ['province', 'district'] as const) {
        await lawHolds(province, format);
        await lawHolds(province, format, parsePeriod({ month: '2026-01' }));
      }
    }
    // The whole country read from one counter document equals a count of the cases.
    for (const period of [FY, fiscalYearPeriod(2568), parsePeriod({ month: '2025-10' }), parsePeriod({ from: '2025-09-01', to: '2026-04-30' })]) {
      for (const format of ['province', 'district'] as const) {
        const q = { unitCode: 'MOI', withChildren: true, format, period };
        expect(await buildReport(deps(), q)).toEqual(await buildReportFromCases(deps(), q));
      }
    }
    const country = await buildReport(deps(), { unitCode: 'MOI', withChildren: true, format: 'province', period: FY });
    expect(country.rows.map((r) => r.label)).toEqual([...PROVINCE_ROWS]);
    expect(country.total.total).toBe(country.total.closed + country.total.open);
    expect(country.total.total).toBeGreaterThan(0);
  }, 180_000);

  it('report verify finds a counter that was tampered with, and --fix repairs it', async () => {
    const Counter = stack.rt.models.conn.collection('report_counters');
    await Counter.updateOne({ _id: 't:50:2569' as never }, { $inc: { 'c.p1_202603_o': 5 } });
    const v = await verifyCounters(stack.rt.models);
    expect(v.mismatches).toContainEqual(expect.objectContaining({ docId: 't:50:2569', key: 'p1_202603_o' }));
    expect((await verifyCounters(stack.rt.models, { fix: true })).fixed).toBe(true);
    expect((await verifyCounters(stack.rt.models)).mismatches).toEqual([]);
  });
});

describe('the official table as text, CSV and XLSX', () => {
  it('prints the rows, the รวม row and the note; Thai digits on request', async () => {
    const r = await buildReport(deps(), { unitCode: '50', withChildren: true, format: 'district', period: FY });
    const text = renderText(r, { asOf: new Date('2026-06-10T10:00:00+07:00') });
    for (const label of DISTRICT_ROWS) expect(text).toContain(label);
    expect(text).toMatch(/\| +รวม +\|/);
    expect(text).toContain(`หมายเหตุ เรื่องร้องเรียนทั้งหมด ${r.total.total.toLocaleString('en-US')} เรื่อง`);
    expect(text).toContain(`ร้อยละ ${r.percentClosed}`);
    expect(text).toContain('ปีงบประมาณ พ.ศ. 2569 (1 ตุลาคม 2568 – 30 กันยายน 2569)');
    const thai = renderText(r, { thaiDigits: true, asOf: new Date('2026-06-10T10:00:00+07:00') });
    expect(thai).toContain('ปีงบประมาณ พ.ศ. ๒๕๖๙');
    expect(thai).not.toMatch(/[0-9]/);
    const csv = toCsv(r);
    // What it is and for when come first, then the table.
    expect(csv.split('\r\n').slice(0, 3)).toEqual([
      '\ufeffสรุปผลการดำเนินการเรื่องร้องเรียน/ร้องทุกข์ ศูนย์ดำรงธรรมจังหวัดเชียงใหม่ (รวมหน่วยงานในสังกัด)',
      'แบบรายงานระดับอำเภอ ปีงบประมาณ พ.ศ. 2569 (1 ตุลาคม 2568 – 30 กันยายน 2569)',
      'ประเด็น,ยุติเรื่อง,อยู่ระหว่างดำเนินการ,รวม',
    ]);
    expect(csv).toContain(`รวม,${r.total.closed},${r.total.open},${r.total.total}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await toXlsx(r) as never);
    const values = wb.worksheets[0]!.getSheetValues().flat().map(String);
    expect(values).toContain('ไกล่เกลี่ยข้อพิพาททางแพ่ง/อาญา');
    expect(values).toContain(String(r.total.total));
  });
});

describe('GET /api/reports', () => {
  const get = (qs: string, token?: string) => fetch(`${stack.web.url}/api/reports?${qs}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('answers a linked officer with the issue JSON for their unit and below, 401/403/400 otherwise', async () => {
    const head = await stack.officer('50', 'head', 'หัวหน้าศูนย์ดำรงธรรมจังหวัดเชียงใหม่');
    const token = stack.sim.issueIdToken(head.userId);
    const res = await get('unit=50&withChildren=true&format=province&fiscalYear=2569', token);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(Object.keys(body)).toEqual(['unit', 'format', 'period', 'rows', 'total', 'percentClosed']);
    expect(body.unit).toMatchObject({ code: '50', withChildren: true });
    expect(body.rows).toHaveLength(13);
    expect(Object.keys(body.rows[0])).toEqual(['label', 'closed', 'open', 'total']);
    expect(body.rows.map((r: { label: string }) => r.label)).toEqual([...PROVINCE_ROWS]);
    expect(body.percentClosed).toMatch(/^\d{1,3}\.\d{2}$/);
    expect(body).toEqual(await buildReport(deps(), { unitCode: '50', withChildren: true, format: 'province', period: FY }));
    // A district under it, a month: fine. Another province: 403. No token: 401.
    expect((await get('unit=5001&format=district&month=2026-03', token)).status).toBe(200);
    const other = await get('unit=57&format=province&fiscalYear=2569', token);
    expect(other.status).toBe(403);
    expect((await other.json()).message).toMatch(/หน่วยงานของท่าน/);
    expect((await get('unit=50&format=province&fiscalYear=2569')).status).toBe(401);
    expect((await get('unit=50&format=province&fiscalYear=2569', 'not.a.token')).status).toBe(401);
    // Bad parameters: 400 with a Thai / English message.
    for (const [qs, msg] of [
      ['unit=50&format=province&fiscalYear=2026', /พ.ศ.*Buddhist-era/],
      ['unit=50&format=county&fiscalYear=2569', /province หรือ district/],
      ['unit=50&format=province', /fiscalYear/],
      ['unit[$gt]=&format=province&fiscalYear=2569', /unknown parameter/],
      ['unit=50&unit=57&format=province&fiscalYear=2569', /plain text/],
      ['unit=<script>&format=province&fiscalYear=2569', /unit/],
      ['unit=50&format=province&from=2026-01-10&to=2026-01-01', /from must not be after to/],
      ['unit=50&format=province&fiscalYear=2569&evil=1', /unknown parameter/],
    ] as const) {
      const r = await get(qs, token);
      expect(r.status, qs).toBe(400);
      expect((await r.json()).message, qs).toMatch(msg);
    }
    expect((await get('unit=ZZ99&format=province&fiscalYear=2569', stack.sim.issueIdToken((await stack.officer('MOI')).userId))).status).toBe(404);
  });

  it('the ministry reads any province; the same table comes as CSV', async () => {
    const moi = await stack.officer('MOI', 'officer', 'จนท. ศูนย์ดำรงธรรมกระทรวงมหาดไทย');
    const token = stack.sim.issueIdToken(moi.userId);
    const res = await get('unit=57&withChildren=true&format=district&fiscalYear=2569&output=csv', token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    expect(res.headers.get('content-disposition')).toContain('rongrian-report-57-fy2569-district.csv');
    expect(await res.text()).toContain('ไกล่เกลี่ยข้อพิพาททางแพ่ง/อาญา');
  });
});
