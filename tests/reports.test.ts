/**
 * The official tables from counters kept by the real domain commands, on the real FerretDB: the
 * counters agree with a recount from the cases after a concurrent random workload, the consistency
 * law holds for every province, and GET /api/reports answers with the JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCase } from '../shared/cases/commands/closeCase.ts';
import { forwardCase } from '../shared/cases/commands/forwardCase.ts';
import { openCase } from '../shared/cases/commands/openCase.ts';
import { rejectCase } from '../shared/cases/commands/rejectCase.ts';
import { withdrawCase } from '../shared/cases/commands/withdrawCase.ts';
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
