/**
 * The ministry's table for one scope and period. From the counters (one document per fiscal year
 * touched) whenever the period is made of whole months — a fiscal year, a month, a whole-month range —
 * and from the cases for a range that starts or ends mid-month (slower, still exact).
 */
import type { Models } from '../models/index.ts';
import { MINISTRY_UNIT_CODE } from '../units/catalog.ts';
import { unitAndDescendants } from '../auth/principal.ts';
import { countsOf, reportCounterModel } from './counters.ts';
import { bangkokEndExclusive, bangkokStart, fiscalYearOfMonth, monthOf, monthsBetween, ReportInputError, wholeMonths, type ReportPeriod } from './period.ts';
import { ROWS, rowMapping, type ReportFormat } from './rows.ts';

export interface ReportQuery {
  /** Unit code (DOPA code of the centre's area, `MOI` for the ministry, a partner's code). */
  unitCode: string;
  /** Include every unit under it (for MOI: the whole country). */
  withChildren: boolean;
  format: ReportFormat;
  period: ReportPeriod;
}

export interface ReportCounts {
  /** ยุติเรื่อง */
  closed: number;
  /** อยู่ระหว่างดำเนินการ */
  open: number;
  /** รวม */
  total: number;
}

/** The report as JSON. `unit` is an object: code, Thai name, and whether units under it are included. */
export interface ReportJson {
  unit: { code: string; nameTh: string; withChildren: boolean };
  format: ReportFormat;
  period: ReportPeriod;
  rows: ({ label: string } & ReportCounts)[];
  total: ReportCounts;
  /** ร้อยละที่ยุติเรื่อง, two decimals ("80.55"; "0.00" when there is nothing). */
  percentClosed: string;
}

export class UnknownUnitError extends Error {
  override name = 'UnknownUnitError';
  constructor(code: string) {
    super(`ไม่พบหน่วยงานรหัส ${code.slice(0, 40)} / unknown unit ${code.slice(0, 40)}`);
  }
}

export function percent(closed: number, total: number): string {
  if (!total) return '0.00';
  // Integer arithmetic, half up: 8055/10000 → "80.55" without float surprises.
  const hundredths = Math.floor((closed * 10000 * 2 + total) / (2 * total));
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

/** Rows as counts: index 0 = row 1. */
export function assemble(unit: ReportJson['unit'], format: ReportFormat, period: ReportPeriod, closed: number[], all: number[]): ReportJson {
  const rows = ROWS[format].map((label, i) => ({ label, closed: closed[i] ?? 0, open: (all[i] ?? 0) - (closed[i] ?? 0), total: all[i] ?? 0 }));
  const total = rows.reduce((t, r) => ({ closed: t.closed + r.closed, open: t.open + r.open, total: t.total + r.total }), { closed: 0, open: 0, total: 0 });
  return { unit, format, period, rows, total, percentClosed: percent(total.closed, total.total) };
}

const UNIT_CODE = /^[A-Za-z0-9_-]{1,40}$/;

/** Unit names change rarely: kept a minute per connection, so a report is one read of counters. */
const unitCache = new WeakMap<object, Map<string, { unit: { _id: string; nameTh: string }; until: number }>>();

async function unitOf(models: Models, code: string): Promise<{ _id: string; nameTh: string }> {
  if (typeof code !== 'string' || !UNIT_CODE.test(code)) throw new ReportInputError(`รหัสหน่วยงานไม่ถูกต้อง / bad unit code ${JSON.stringify(String(code)).slice(0, 40)}`);
  let cache = unitCache.get(models.conn);
  if (!cache) unitCache.set(models.conn, (cache = new Map()));
  const hit = cache.get(code);
  if (hit && hit.until > Date.now()) return hit.unit;
  const unit = await models.Unit.findById(code, { nameTh: 1 }).lean<{ _id: string; nameTh: string }>();
  if (!unit) throw new UnknownUnitError(code);
  cache.set(code, { unit: { _id: unit._id, nameTh: unit.nameTh }, until: Date.now() + 60_000 });
  return unit;
}

/** Report from the counters (whole-month periods) or the cases (others). */
export async function buildReport(deps: { models: Models }, q: ReportQuery): Promise<ReportJson> {
  const unit = await unitOf(deps.models, q.unitCode);
  const months = wholeMonths(q.period);
  const u = { code: unit._id, nameTh: unit.nameTh, withChildren: q.withChildren };
  if (!months) return buildReportFromCases(deps, q, u);
  const prefix = q.format === 'province' ? 'p' : 'd';
  const n = ROWS[q.format].length;
  const closed = new Array<number>(n).fill(0);
  const all = new Array<number>(n).fill(0);
  const fys = [...new Set(monthsBetween(months.first, months.last).map(fiscalYearOfMonth))];
  const Counter = reportCounterModel(deps.models);
  // One read per fiscal year, by _id (the only filter FerretDB pushes down to its storage).
  const docs = await Promise.all(fys.map((fy) => Counter.findById(`${q.withChildren ? 't' : 'o'}:${unit._id}:${fy}`, { c: 1, s: 1 }).lean()));
  for (const doc of docs) {
    for (const [key, v] of Object.entries(countsOf(doc))) {
      if (key[0] !== prefix || !v) continue;
      const [rowS, recvS, endS] = key.slice(1).split('_') as [string, string, string];
      const recv = Number(recvS);
      if (recv < months.first || recv > months.last) continue;
      const row = Number(rowS) - 1;
      if (row < 0 || row >= n) continue;
      all[row]! += v;
      if (endS !== 'o' && Number(endS) <= months.last) closed[row]! += v;
    }
  }
  return assemble(u, q.format, q.period, closed, all);
}

/**
 * The same table counted from the cases: the reference `report verify` and the tests hold the counters
 * to, and the way to answer a range that does not fall on month boundaries.
 */
export async function buildReportFromCases(deps: { models: Models }, q: ReportQuery, unit?: ReportJson['unit']): Promise<ReportJson> {
  let uu = unit;
  if (!uu) {
    const found = await unitOf(deps.models, q.unitCode);
    uu = { code: found._id, nameTh: found.nameTh, withChildren: q.withChildren };
  }
  const units = q.withChildren ? (q.unitCode === MINISTRY_UNIT_CODE ? null : await unitAndDescendants(deps.models, q.unitCode)) : [q.unitCode];
  const from = bangkokStart(q.period.from);
  const toEx = bangkokEndExclusive(q.period.to);
  const endMonth = monthOf(new Date(toEx.getTime() - 1));
  const mapping = rowMapping();
  const n = ROWS[q.format].length;
  const closed = new Array<number>(n).fill(0);
  const all = new Array<number>(n).fill(0);
  const field = q.format === 'province' ? 'provinceRow' : 'districtRow';
  const cursor = deps.models.Case.find(
    { ...(units ? { unitCode: { $in: units } } : {}), receivedAt: { $gte: from, $lt: toEx } },
    { status: 1, category: 1, channel: 1, report: 1, resolution: 1, updatedAt: 1 },
  ).lean().cursor({ batchSize: 5000 });
  for await (const c of cursor as AsyncIterable<Record<string, any>>) {
    const row = (c.report?.[field] ?? mapping.rowFor(q.format, c.category, c.channel)) - 1;
    if (row < 0 || row >= n) continue;
    all[row]! += 1;
    if (mapping.isClosedStatus(c.status)) {
      const closedMonth = c.report?.closedMonth ?? monthOf(new Date(c.resolution?.at ?? c.updatedAt));
      const closedAt = c.resolution?.at ? new Date(c.resolution.at) : undefined;
      // Closed by the end of the period: the exact time when known, else its month.
      if (closedAt ? closedAt < toEx : closedMonth <= endMonth) closed[row]! += 1;
    }
  }
  return assemble(uu, q.format, q.period, closed, all);
}
