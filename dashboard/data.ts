/**
 * What the dashboard pages read. Scope first: every query is limited to the units the signed-in
 * officer may see (their unit and below; the ministry sees all), and a unit picked in the page must
 * be inside that scope.
 *
 * FerretDB v1 has no $cond/$avg/$min in aggregations, so completeness is computed from a projection
 * of the period's cases (a few fields each). The overview and trends read the report engine's
 * counters instead (shared/reports/): a few reads by _id, whatever the number of cases.
 */
import { CASE_STATUSES, CHANNELS, OPEN_STATUSES, SUBJECT_CATEGORIES } from '../shared/categories.ts';
import { maskFreeText } from './mask.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { mayRead } from '../shared/auth/principal.ts';
import type { Models } from '../shared/models/index.ts';
import { inScope, overdueFilter, scopeOf } from '../shared/supervision/lateUnits.ts';
import { usableLateSnapshot } from '../shared/supervision/lateSnapshot.ts';
import { MINISTRY_UNIT_CODE } from '../shared/units/catalog.ts';
import { PROBLEM_TYPE_CODES } from '../shared/problems/types.ts';
import { areaOf } from './area.ts';
import { rulesOfMask, type CompletenessRule, COMPLETENESS_RULES } from './completeness.ts';
import { fiscalYearPeriod, monthPeriod, type ReportJson, type ReportQuery } from '../shared/reports/index.ts';
import { countsOf, reportCounterModel } from '../shared/reports/counters.ts';
import { bangkokEndExclusive, bangkokStart, fiscalYearOfMonth } from '../shared/reports/period.ts';

export class ForbiddenScope extends Error { override name = 'ForbiddenScope'; }

export interface UnitInfo { code: string; nameTh: string; nameEn: string; level: string; parentCode: string | null }
export interface Scope { unit: UnitInfo; codes: string[] | null }

/** Fiscal year named by its BE year as instants: 1 Oct Bangkok midnight to the next 1 Oct (exclusive). */
export function fiscalYearRange(be: number): { from: Date; to: Date } {
  const p = fiscalYearPeriod(be);
  return { from: bangkokStart(p.from), to: bangkokEndExclusive(p.to) };
}

/** The 12 months of a fiscal year, Oct first: [{y, m}] in Gregorian. */
export function fiscalMonths(be: number): { y: number; m: number }[] {
  const g = be - 543;
  return Array.from({ length: 12 }, (_, i) => (i < 3 ? { y: g - 1, m: 10 + i } : { y: g, m: i - 2 }));
}

export async function unitInfo(models: Models, code: string): Promise<UnitInfo | null> {
  const u = await models.Unit.findById(code).lean();
  return u ? { code: String(u._id), nameTh: u.nameTh, nameEn: u.nameEn, level: u.level, parentCode: u.parentCode ?? null } : null;
}

/** The unit the page asks for (default: the officer's own), checked against the officer's scope. */
export async function resolveScope(models: Models, p: Principal, requested: unknown): Promise<Scope> {
  const code = typeof requested === 'string' && requested ? requested : p.unitCode;
  // Agency codes run to 31 characters (shared/agencies AGENCY_CODE).
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(code)) throw new ForbiddenScope('bad unit');
  const unit = await unitInfo(models, code);
  if (!unit || !(await mayRead(models, p, code))) throw new ForbiddenScope(code);
  return { unit, codes: code === MINISTRY_UNIT_CODE ? null : await scopeOf(models, code) };
}

/** Units offered in the scope picker: the officer's unit, the units directly under it, and the chosen unit's children. */
export async function unitOptions(models: Models, p: Principal, selected: UnitInfo): Promise<UnitInfo[]> {
  const codes = new Set<string>([p.unitCode, selected.code]);
  const add = async (parent: string) => {
    for (const u of await models.Unit.find({ parentCode: parent }, { _id: 1 }).sort({ _id: 1 }).lean()) codes.add(String(u._id));
  };
  await add(p.unitCode);
  if (selected.code !== p.unitCode) await add(selected.code);
  if (selected.parentCode && selected.parentCode !== p.unitCode && (await mayRead(models, p, selected.parentCode))) {
    codes.add(selected.parentCode);
    await add(selected.parentCode);
  }
  const units = await models.Unit.find({ _id: { $in: [...codes] } }).lean();
  const centreKey = (u: { level: string; _id: unknown }) => `${{ ministry: 0, province: 1, district: 2 }[u.level] ?? 3}${String(u._id).padStart(6, '0')}`;
  const keys = new Map(units.filter((u) => u.level !== 'partner').map((u) => [String(u._id), centreKey(u)]));
  // An agency right under the centre that supervises it ('~' sorts after the centre's own key and before the next centre's).
  const order = (u: { level: string; _id: unknown; parentCode?: string | null }) => (u.level === 'partner' ? `${(u.parentCode && keys.get(u.parentCode)) || '3'}~${String(u._id)}` : keys.get(String(u._id))!);
  return units.sort((a, b) => order(a).localeCompare(order(b))).map((u) => ({ code: String(u._id), nameTh: u.nameTh, nameEn: u.nameEn, level: u.level, parentCode: u.parentCode ?? null }));
}

/** A row's unit as the per-unit tables show it: partner agencies marked, with the centre that supervises them. */
export interface UnitMark { partner: boolean; supervisorCode?: string; supervisorName?: string }

/** Marks for the units of a table (two reads of the small unit collection by _id, whatever the cases). */
export async function unitMarks(models: Models, codes: readonly string[]): Promise<Map<string, UnitMark>> {
  const units = await models.Unit.find({ _id: { $in: [...new Set(codes)] } }, { level: 1, parentCode: 1 }).lean();
  const parents = [...new Set(units.filter((u) => u.level === 'partner' && u.parentCode).map((u) => u.parentCode!))];
  const names = new Map((parents.length ? await models.Unit.find({ _id: { $in: parents } }, { nameTh: 1 }).lean() : []).map((u) => [String(u._id), u.nameTh]));
  return new Map(units.map((u) => [String(u._id), u.level === 'partner'
    ? { partner: true, ...(u.parentCode ? { supervisorCode: u.parentCode, supervisorName: names.get(u.parentCode) ?? u.parentCode } : {}) }
    : { partner: false }]));
}

export interface AgencyFigures { code: string; nameTh: string; supervisorCode: string; supervisorName: string; received: number; closed: number; open: number }

/** At most this many agencies on the overview (the country has thousands of local bodies; a province a few hundred). */
export const OVERVIEW_AGENCIES_MAX = 300;

/**
 * The partner agencies in a scope with their fiscal year's table totals, grouped under their
 * supervising centre: agencies by one indexed equality (`level`), the figures from the report
 * engine (one counter read by _id per agency), so they agree with the official tables.
 */
export async function agencyFigures(models: Models, report: ReportFn, scope: Scope, fiscalYear: number): Promise<{ agencies: AgencyFigures[]; more: number }> {
  const all = (await models.Unit.find({ level: 'partner' }, { nameTh: 1, parentCode: 1 }).lean())
    .filter((u) => u.parentCode && inScope(scope.codes, String(u._id)))
    .sort((a, b) => a.parentCode!.localeCompare(b.parentCode!) || String(a._id).localeCompare(String(b._id)));
  const shown = all.slice(0, OVERVIEW_AGENCIES_MAX);
  const sup = new Map((await models.Unit.find({ _id: { $in: [...new Set(shown.map((u) => u.parentCode!))] } }, { nameTh: 1 }).lean()).map((u) => [String(u._id), u.nameTh]));
  const tables = await Promise.all(shown.map((u) => report({ unitCode: String(u._id), withChildren: true, format: 'district', period: fiscalYearPeriod(fiscalYear) })));
  return {
    agencies: shown.map((u, i) => ({ code: String(u._id), nameTh: u.nameTh, supervisorCode: u.parentCode!, supervisorName: sup.get(u.parentCode!) ?? u.parentCode!, received: tables[i]!.total.total, closed: tables[i]!.total.closed, open: tables[i]!.total.open })),
    more: all.length - shown.length,
  };
}

/** Cases received in [from, to): `receivedAt` when recorded, else the time the case was created. */
export function receivedBetween(from: Date, to: Date): Record<string, unknown> {
  return { $or: [{ receivedAt: { $gte: from, $lt: to } }, { receivedAt: { $exists: false }, createdAt: { $gte: from, $lt: to } }] };
}

export function scopeFilter(codes: string[] | null): Record<string, unknown> {
  return codes ? { unitCode: { $in: codes } } : {};
}

/** The report engine, as the dashboard calls it (shared/reports buildReport bound to the models). */
export type ReportFn = (q: ReportQuery) => Promise<ReportJson>;

export interface Overview {
  /** From the official table (report counters), so the overview and the table always agree. */
  received: number; closed: number; open: number;
  /** closed / received × 100, two decimals as the official note ("80.55"). */
  percentClosed: string;
  /** Cases closed (ยุติเรื่อง) in the period whose result came by their resolve deadline, over those that have one. */
  slaMet: { met: number; of: number; percent: string | null };
  /** Open cases in scope past a deadline now (any period). */
  overdue: number;
  /** Set when `overdue` is the SLA sweep's tally (many open cases), not a live count: as of then. */
  overdueAsOf?: Date;
  /** Median whole working days from receipt to ยุติเรื่อง over the cases closed in the period (CLOSE_DAYS_CAP = that many or more). */
  medianDaysToClose: number | null;
  /** Survey answers given in the period. */
  satisfaction: { responses: number; mean: number | null; percentSatisfied: string | null };
}

const pct = (a: number, b: number): string | null => (b ? ((a / b) * 100).toFixed(2) : null);

/** The value at 0-based position i of the sorted values a histogram (value → count) describes. */
function nthOfHistogram(hist: [number, number][], i: number): number {
  let seen = 0;
  for (const [v, n] of hist) {
    seen += n;
    if (i < seen) return v;
  }
  return hist[hist.length - 1]![0];
}

/**
 * Overdue now, as the late-units card counts it: past LIVE_MAX_OPEN_CASES open cases from the SLA
 * sweep's per-unit tally (one document), since a live count is a scan of every case on FerretDB.
 */
async function overdueNow(models: Models, scope: Scope, now: Date): Promise<{ count: number; asOf?: Date }> {
  const snap = await usableLateSnapshot(models, now);
  if (snap) return { count: snap.units.filter((u) => inScope(scope.codes, u.unitCode)).reduce((n, u) => n + u.overdue, 0), asOf: new Date(snap.at) };
  return { count: await models.Case.countDocuments({ ...overdueFilter(now), ...scopeFilter(scope.codes) }) };
}

/**
 * The overview's closed-case and survey figures come from the report counters (shared/reports/
 * counters.ts: `k`, `w`, `v` keys, kept by closeCase/submitSurvey and recounted by `report verify`):
 * one read by _id of the scope's tree document for the fiscal year, whatever the number of cases.
 */
export async function overview(models: Models, report: ReportFn, scope: Scope, fiscalYear: number, now: Date): Promise<Overview> {
  const [table, counterDoc, overdue] = await Promise.all([
    report({ unitCode: scope.unit.code, withChildren: true, format: 'province', period: fiscalYearPeriod(fiscalYear) }),
    reportCounterModel(models).findById(`t:${scope.unit.code}:${fiscalYear}`, { c: 1, s: 1 }).lean(),
    overdueNow(models, scope, now),
  ]);
  let met = 0, missed = 0, responses = 0, surveySum = 0, satisfied = 0;
  const days = new Map<number, number>();
  for (const [key, n] of Object.entries(countsOf(counterDoc))) {
    if (!n) continue;
    // Completeness (`q`), case list (`z`) and reopen (`y`) keys are not the overview's.
    if (key[0] === 'q' || key[0] === 'z' || key[0] === 'y') continue;
    const [head, monthS] = key.slice(1).split('_') as [string, string | undefined];
    // Keys sit in the document of the fiscal year they happened in; checked anyway.
    if (monthS === undefined || fiscalYearOfMonth(Number(monthS)) !== fiscalYear) continue;
    if (key[0] === 'k') {
      if (head === 'm') met += n;
      else if (head === 'x') missed += n;
    } else if (key[0] === 'w') {
      days.set(Number(head), (days.get(Number(head)) ?? 0) + n);
    } else if (key[0] === 'v') {
      const score = Number(head);
      responses += n;
      surveySum += score * n;
      if (score >= 4) satisfied += n;
    }
  }
  const hist = [...days.entries()].sort((x, y) => x[0] - y[0]);
  const closedCount = hist.reduce((t, [, n]) => t + n, 0);
  // Whole working days per case, so the median is exact: the middle case's, or the mean of the middle two.
  const median = closedCount ? (closedCount % 2 ? nthOfHistogram(hist, (closedCount - 1) / 2) : (nthOfHistogram(hist, closedCount / 2 - 1) + nthOfHistogram(hist, closedCount / 2)) / 2) : null;
  return {
    received: table.total.total, closed: table.total.closed, open: table.total.open, percentClosed: table.percentClosed,
    slaMet: { met, of: met + missed, percent: pct(met, met + missed) },
    overdue: overdue.count,
    ...(overdue.asOf ? { overdueAsOf: overdue.asOf } : {}),
    medianDaysToClose: median,
    satisfaction: { responses, mean: responses ? Math.round((surveySum / responses) * 100) / 100 : null, percentSatisfied: pct(satisfied, responses) },
  };
}

export interface Trends {
  /** Per month of the fiscal year: cases received, and cases of this fiscal year closed (ยุติเรื่อง) in that month. */
  months: { y: number; m: number; received: number; closed: number }[];
  /** The official rows of both formats for the fiscal year (closed / open / total). */
  province: ReportJson['rows'];
  district: ReportJson['rows'];
}

/**
 * Everything from the report engine (counters: a few document reads by _id, whatever the scope):
 * received per month = that month's table; closed per month = the change in "closed" of the tables
 * from the start of the fiscal year to the end of each month.
 */
export async function trends(report: ReportFn, scope: Scope, fiscalYear: number): Promise<Trends> {
  const base = { unitCode: scope.unit.code, withChildren: true } as const;
  const months = fiscalMonths(fiscalYear);
  const ym = (x: { y: number; m: number }) => `${x.y}-${String(x.m).padStart(2, '0')}`;
  const fyStart = `${months[0].y}-10-01`;
  const lastDay = (x: { y: number; m: number }) => `${ym(x)}-${String(new Date(Date.UTC(x.y, x.m, 0)).getUTCDate()).padStart(2, '0')}`;
  const [monthly, cumulative, province, district] = await Promise.all([
    Promise.all(months.map((x) => report({ ...base, format: 'district', period: monthPeriod(ym(x)) }))),
    Promise.all(months.map((x) => report({ ...base, format: 'district', period: { kind: 'range', from: fyStart, to: lastDay(x) } }))),
    report({ ...base, format: 'province', period: fiscalYearPeriod(fiscalYear) }),
    report({ ...base, format: 'district', period: fiscalYearPeriod(fiscalYear) }),
  ]);
  return {
    months: months.map((x, i) => ({ ...x, received: monthly[i].total.total, closed: cumulative[i].total.closed - (i ? cumulative[i - 1].total.closed : 0) })),
    province: province.rows,
    district: district.rows,
  };
}

export interface UnitCompleteness {
  unitCode: string; nameTh: string; cases: number; complete: number; percent: string;
  missing: Record<CompletenessRule, number>;
}

/**
 * Data completeness per unit of the scope for the cases received in a fiscal year, from the report
 * counters' `q<unit>_<mask>` keys (kept with the tables by every case command, recounted by `report
 * verify`): one read by _id of the scope's tree document, whatever the number of cases.
 */
export async function completeness(models: Models, scope: Scope, fiscalYear: number): Promise<{ units: UnitCompleteness[]; total: { cases: number; complete: number; percent: string } }> {
  const doc = await reportCounterModel(models).findById(`t:${scope.unit.code}:${fiscalYear}`, { c: 1, s: 1 }).lean();
  const per = new Map<string, UnitCompleteness>();
  const blank = () => Object.fromEntries(COMPLETENESS_RULES.map((r) => [r.key, 0])) as Record<CompletenessRule, number>;
  let cases = 0, complete = 0;
  for (const [key, n] of Object.entries(countsOf(doc))) {
    if (key[0] !== 'q' || !n) continue;
    const sep = key.lastIndexOf('_');
    const unitCode = key.slice(1, sep), mask = Number(key.slice(sep + 1));
    let u = per.get(unitCode);
    if (!u) per.set(unitCode, (u = { unitCode, nameTh: unitCode, cases: 0, complete: 0, percent: '0.00', missing: blank() }));
    u.cases += n;
    cases += n;
    if (!mask) { u.complete += n; complete += n; }
    for (const m of rulesOfMask(mask)) u.missing[m] += n;
  }
  // Units are a small collection (about a thousand): reading their names is cheap whatever the cases.
  const names = new Map((await models.Unit.find({ _id: { $in: [...per.keys()] } }, { nameTh: 1 }).lean()).map((u) => [String(u._id), u.nameTh]));
  const units = [...per.values()].map((u) => ({ ...u, nameTh: names.get(u.unitCode) ?? u.unitCode, percent: pct(u.complete, u.cases) ?? '0.00' }));
  units.sort((a, b) => a.complete / a.cases - b.complete / b.cases || b.cases - a.cases || a.unitCode.localeCompare(b.unitCode));
  return { units, total: { cases, complete, percent: pct(complete, cases) ?? '0.00' } };
}

export interface CaseSearch {
  q?: string; status?: string; category?: string; from?: Date; to?: Date; page: number;
  /** A problem type code (config/problem-types.json). */
  problemType?: string;
  /** Only cases that two or more people reported (the complainant and those who joined). */
  reported?: boolean;
}

export const PAGE_SIZE = 50;

interface SearchRow {
  supporterCount?: number; trackingNo: string; status: string; category: string; problemType?: string; channel: string; unitCode: string; receivedAt?: Date; createdAt: Date; resolveDueAt?: Date;
  location?: { provinceCode?: string; provinceName?: string; districtCode?: string; districtName?: string }; description?: string;
}

const SEARCH_FIELDS = { supporterCount: 1, trackingNo: 1, status: 1, category: 1, problemType: 1, channel: 1, unitCode: 1, receivedAt: 1, createdAt: 1, resolveDueAt: 1, 'location.provinceCode': 1, 'location.provinceName': 1, 'location.districtCode': 1, 'location.districtName': 1, description: 1 } as const;

/** Newest received first; cases received at the same instant, newest recorded (_id) first. */
const byReceivedDesc = (a: SearchRow & { _id: unknown }, b: SearchRow & { _id: unknown }) =>
  new Date(b.receivedAt ?? b.createdAt).getTime() - new Date(a.receivedAt ?? a.createdAt).getTime() || String(b._id).localeCompare(String(a._id));

/** The first fiscal year whose counters the case list reads (Thai centres' records start well after it). */
const LIST_FIRST_FY = 2540;
/** Scopes of at most this many units read a month unit by unit (`unitCode` + `listMonth`); larger ones day by day (`listDay`). */
const UNIT_MONTH_MAX_UNITS = 60;

/**
 * Cases per month of receipt in the scope matching a status / category, from the report counters'
 * `z` keys (kept by every case command, recounted by `report verify`): one read by _id per fiscal year.
 */
async function listMonths(models: Models, scope: Scope, status: string | undefined, category: string | undefined): Promise<[number, number][]> {
  const last = fiscalYearOfMonth(Number(new Date().toISOString().slice(0, 7).replace('-', ''))) + 2;
  const ids = Array.from({ length: last - LIST_FIRST_FY + 1 }, (_, i) => `t:${scope.unit.code}:${LIST_FIRST_FY + i}`);
  const Counter = reportCounterModel(models);
  const docs = await Promise.all(ids.map((id) => Counter.findById(id, { c: 1, s: 1 }).lean()));
  const months = new Map<number, number>();
  for (const doc of docs) {
    for (const [key, n] of Object.entries(countsOf(doc))) {
      if (key[0] !== 'z' || !n) continue;
      const [st, cat, m] = key.slice(1).split('|') as [string, string, string];
      if ((status && st !== status) || (category && cat !== category)) continue;
      months.set(Number(m), (months.get(Number(m)) ?? 0) + n);
    }
  }
  return [...months.entries()].filter(([, n]) => n > 0).sort((x, y) => y[0] - x[0]);
}

/**
 * One month's matching cases, newest first, through equality filters FerretDB answers from its
 * indexes: a small scope unit by unit, the country day by day from the month's last day (stopping
 * once `want` cases are in hand, or all `count` of the month are).
 */
async function monthRows(models: Models, scope: Scope, month: number, eq: Record<string, unknown>, want: number, count: number): Promise<(SearchRow & { _id: unknown })[]> {
  const find = (f: Record<string, unknown>) => models.Case.find({ ...f, ...eq }, SEARCH_FIELDS).lean<(SearchRow & { _id: unknown })[]>();
  if (scope.codes && scope.codes.length <= UNIT_MONTH_MAX_UNITS) {
    return (await Promise.all(scope.codes.map((unitCode) => find({ listMonth: month, unitCode })))).flat().sort(byReceivedDesc);
  }
  const y = Math.floor(month / 100), m = month % 100;
  const days = Array.from({ length: new Date(Date.UTC(y, m, 0)).getUTCDate() }, (_, i) => month * 100 + i + 1).reverse();
  const out: (SearchRow & { _id: unknown })[] = [];
  let seen = 0;
  // The newest day alone (it fills most first pages), then a few days at a time.
  for (let i = 0, step = 1; i < days.length && out.length < want && seen < count; i += step, step = 4) {
    const batch = await Promise.all(days.slice(i, i + step).map((listDay) => find({ listDay, ...scopeFilter(scope.codes) })));
    for (const rows of batch) { seen += rows.length; out.push(...rows.sort(byReceivedDesc)); }
  }
  return out;
}

/** Case list for the search page and exports: no personal data in it (the detail page decides that). */
export async function searchCases(models: Models, scope: Scope, s: CaseSearch, limit = PAGE_SIZE) {
  const status = s.status && (CASE_STATUSES as readonly string[]).includes(s.status) ? s.status : undefined;
  const category = s.category && SUBJECT_CATEGORIES.some((c) => c.code === s.category) ? s.category : undefined;
  const problemType = s.problemType && PROBLEM_TYPE_CODES.includes(s.problemType) ? s.problemType : undefined;
  // Equality on a top-level field and a bound on another, applied within the month's index-served read.
  const narrow: Record<string, unknown> = { ...(problemType ? { problemType } : {}), ...(s.reported ? { supporterCount: { $gte: 2 } } : {}) };
  let total: number, rows: SearchRow[];
  let totalExact = true;
  if (!s.q && !s.from && !s.to && Object.keys(narrow).length) {
    // The counters know months by status and category only: read months newest first, each through
    // the list's index-served equalities, until this page and one case more are in hand. The total is
    // then exact only when every month was read ("at least" otherwise).
    const months = await listMonths(models, scope, status, category);
    const eq: Record<string, unknown> = { ...(status ? { status } : {}), ...(category ? { category } : {}), ...narrow };
    const want = s.page * limit + 1;
    const matched: SearchRow[] = [];
    for (const [month, count] of months) {
      if (matched.length >= want) break;
      matched.push(...(await monthRows(models, scope, month, eq, want - matched.length, count)));
    }
    totalExact = matched.length < want;
    total = matched.length;
    rows = matched.slice((s.page - 1) * limit, s.page * limit);
  } else if (!s.q && !s.from && !s.to) {
    // Pages through months of receipt (totals from the counters), reading only the month a page falls in.
    const months = await listMonths(models, scope, status, category);
    total = months.reduce((t, [, n]) => t + n, 0);
    const eq: Record<string, string> = { ...(status ? { status } : {}), ...(category ? { category } : {}) };
    let skip = (s.page - 1) * limit;
    const out: SearchRow[] = [];
    for (const [month, count] of months) {
      if (out.length >= limit) break;
      if (skip >= count) { skip -= count; continue; }
      const got = await monthRows(models, scope, month, eq, skip + limit - out.length, count);
      out.push(...got.slice(skip, skip + limit - out.length));
      skip = Math.max(0, skip - got.length);
    }
    rows = out;
  } else {
    const filter: Record<string, unknown> = { ...scopeFilter(scope.codes) };
    const and: Record<string, unknown>[] = [];
    if (s.q) {
      // Ours (2569-000042) and imported ones (IMP-<externalId>, shared/import): an exact match, from an index.
      if (/^(\d{4}-\d{1,6}|IMP-\S+)$/.test(s.q)) filter.trackingNo = s.q;
      else and.push({ description: { $regex: s.q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' } });
    }
    if (status) filter.status = status;
    if (category) filter.category = category;
    Object.assign(filter, narrow);
    if (s.from || s.to) and.push(receivedBetween(s.from ?? new Date(0), s.to ?? new Date(8.64e15)));
    if (and.length) filter.$and = and;
    // Text and date searches filter on what FerretDB cannot push down: these read the whole collection there.
    [total, rows] = await Promise.all([
      models.Case.countDocuments(filter),
      models.Case.find(filter, SEARCH_FIELDS).sort({ receivedAt: -1, _id: -1 }).skip((s.page - 1) * limit).limit(limit).lean<SearchRow[]>(),
    ]);
  }
  const names = new Map((await models.Unit.find({ _id: { $in: [...new Set(rows.map((r) => r.unitCode))] } }, { nameTh: 1 }).lean()).map((u) => [String(u._id), u.nameTh]));
  return {
    total, totalExact,
    rows: rows.map((r) => ({ supporterCount: r.supporterCount ?? 1,
      trackingNo: r.trackingNo, status: r.status, category: r.category, problemType: r.problemType, channel: r.channel, unitCode: r.unitCode, unitName: names.get(r.unitCode) ?? r.unitCode,
      receivedAt: new Date(r.receivedAt ?? r.createdAt), resolveDueAt: r.resolveDueAt ? new Date(r.resolveDueAt) : undefined,
      area: areaOf(r.location ?? {}),
      summary: maskFreeText(String(r.description ?? '')).slice(0, 80),
    })),
  };
}

export interface UnitReopens {
  unitCode: string;
  nameTh: string;
  /** Cases of the year ever closed as resolved (ยุติเรื่อง). */
  closed: number;
  /** Of those, how many the complainant reopened (the problem was not fixed). */
  reopened: number;
  /** reopened / closed, two decimals. */
  percent: string;
}

/**
 * Reopen rate per unit of the scope for a fiscal year of receipt, from the `y` keys of the scope's
 * tree counter document (shared/reports/counters.ts): one read by _id, whatever the number of cases.
 * A case counts at the unit holding it now (a case sent up after a second reopen counts at the parent).
 */
export async function reopenRates(models: Models, scope: Scope, fiscalYear: number): Promise<{ units: UnitReopens[]; total: { closed: number; reopened: number; percent: string | null } }> {
  const doc = await reportCounterModel(models).findById(`t:${scope.unit.code}:${fiscalYear}`, { c: 1, s: 1 }).lean();
  const per = new Map<string, UnitReopens>();
  let closed = 0, reopened = 0;
  for (const [key, n] of Object.entries(countsOf(doc))) {
    if (key[0] !== 'y' || !n) continue;
    const sep = key.lastIndexOf('_');
    const unitCode = key.slice(1, sep), what = key.slice(sep + 1);
    let u = per.get(unitCode);
    if (!u) per.set(unitCode, (u = { unitCode, nameTh: unitCode, closed: 0, reopened: 0, percent: '0.00' }));
    if (what === 'c') { u.closed += n; closed += n; } else if (what === 'r') { u.reopened += n; reopened += n; }
  }
  const names = new Map((await models.Unit.find({ _id: { $in: [...per.keys()] } }, { nameTh: 1 }).lean()).map((u) => [String(u._id), u.nameTh]));
  const units = [...per.values()].map((u) => ({ ...u, nameTh: names.get(u.unitCode) ?? u.unitCode, percent: pct(u.reopened, u.closed) ?? '0.00' }));
  units.sort((a, b) => b.reopened - a.reopened || b.closed - a.closed || a.unitCode.localeCompare(b.unitCode));
  return { units, total: { closed, reopened, percent: pct(reopened, closed) } };
}
