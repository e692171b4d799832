/**
 * The public figures, computed in one pass over the report counters (shared/reports/counters.ts):
 * one read by `_id` of each unit's tree document for the fiscal year, whatever the number of cases.
 * Received and closed follow the official table exactly (cases received in the period; of them,
 * closed by its end); days to close, SLA met and satisfaction cover the cases closed (or rated) in
 * the period, as the dashboard's overview counts them; the reopen rate is the fiscal year's.
 */
import type { CaseDoc, Models } from '../shared/models/index.ts';
import { countsOf, reportCounterModel } from '../shared/reports/counters.ts';
import { fiscalYearOfMonth, monthsBetween, wholeMonths, type ReportPeriod } from '../shared/reports/period.ts';
import { MINISTRY_UNIT_CODE } from '../shared/units/catalog.ts';
import { isShownPublicly } from '../shared/publicResults/index.ts';
import { caseKind } from '../shared/problems/display.ts';
import { formatArea } from '../shared/cases/area.ts';

export interface UnitFigures {
  /** ได้รับเรื่อง: received in the period (the official table's total). */
  received: number;
  /** ยุติเรื่อง: of those, closed by the end of the period (the official table's closed). */
  closed: number;
  /** Whole working days from receipt to close, of the cases closed in the period: the median and how many it is over. */
  medianDays: number | null;
  closedInPeriod: number;
  /** Closed in the period by their resolve deadline, over those that had one. */
  slaMet: number;
  slaOf: number;
  /** Survey answers given in the period: how many, and the sum of their scores (1–5). */
  responses: number;
  scoreSum: number;
  /** Cases of the fiscal year ever closed as resolved, and of them reopened by the complainant. */
  reopenOf: number;
  reopened: number;
}

export interface FiguresRow extends UnitFigures { code: string; nameTh: string; nameEn: string }

/** A result an officer approved for the public (never the tracking number, the complainant or their words). */
export interface PublicResultItem {
  slug: string;
  problemTh: string; problemEn: string; icon: string;
  areaTh: string; areaEn: string;
  /** yyyymm closed (Bangkok). */
  month: number;
  closeDays: number | null;
  summary: string;
  photo: boolean;
}

export interface FiguresData {
  period: ReportPeriod;
  total: FiguresRow | null;
  provinces: FiguresRow[];
  agencies: FiguresRow[];
  results: PublicResultItem[];
  computedAt: string;
}

/** The median of whole-number values given as a histogram (value → count): the middle one, or the mean of the middle two. */
export function medianOfHistogram(hist: Map<number, number>): number | null {
  const sorted = [...hist.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const count = sorted.reduce((t, [, n]) => t + n, 0);
  if (!count) return null;
  const nth = (i: number) => {
    let seen = 0;
    for (const [v, n] of sorted) { seen += n; if (i < seen) return v; }
    return sorted[sorted.length - 1]![0];
  };
  return count % 2 ? nth((count - 1) / 2) : (nth(count / 2 - 1) + nth(count / 2)) / 2;
}

/** One unit's figures from its tree counter document's counts (see the file comment for what each covers). */
export function figuresFromCounts(counts: Record<string, number>, months: { first: number; last: number }): UnitFigures {
  const f: UnitFigures = { received: 0, closed: 0, medianDays: null, closedInPeriod: 0, slaMet: 0, slaOf: 0, responses: 0, scoreSum: 0, reopenOf: 0, reopened: 0 };
  const days = new Map<number, number>();
  const inPeriod = (m: number) => m >= months.first && m <= months.last;
  for (const [key, n] of Object.entries(counts)) {
    if (!n) continue;
    const kind = key[0];
    if (kind === 'p') {
      // The province format: each case once (the district format counts the same cases again).
      const [, recvS, endS] = key.slice(1).split('_') as [string, string, string];
      if (!inPeriod(Number(recvS))) continue;
      f.received += n;
      if (endS !== 'o' && Number(endS) <= months.last) f.closed += n;
    } else if (kind === 'k' || kind === 'w' || kind === 'v') {
      const [head, monthS] = key.slice(1).split('_') as [string, string];
      if (!inPeriod(Number(monthS))) continue;
      if (kind === 'k') {
        if (head === 'm') { f.slaMet += n; f.slaOf += n; } else if (head === 'x') f.slaOf += n;
      } else if (kind === 'w') {
        days.set(Number(head), (days.get(Number(head)) ?? 0) + n);
        f.closedInPeriod += n;
      } else {
        f.responses += n;
        f.scoreSum += Number(head) * n;
      }
    } else if (kind === 'y') {
      const what = key.slice(key.lastIndexOf('_') + 1);
      if (what === 'c') f.reopenOf += n; else if (what === 'r') f.reopened += n;
    }
  }
  f.medianDays = medianOfHistogram(days);
  return f;
}

const RESULT_FIELDS = {
  status: 1, category: 1, problemType: 1, concernedUnitCode: 1, mergedInto: 1, 'complainant.anonymous': 1, resolution: 1,
  'location.provinceName': 1, 'location.provinceCode': 1, 'location.districtName': 1, 'location.subdistrictName': 1,
  'report.closeDays': 1, publicResult: 1, publicSlug: 1, publicMonth: 1,
} as const;

/** At most this many results on the page, newest first. */
export const MAX_RESULTS = 30;

/** Reads and computes everything the page shows for a fiscal year or a month. */
export async function computeFigures(models: Models, period: ReportPeriod): Promise<FiguresData> {
  const months = wholeMonths(period);
  if (!months || fiscalYearOfMonth(months.first) !== fiscalYearOfMonth(months.last)) throw new Error('figures: a fiscal year or a month');
  const fy = fiscalYearOfMonth(months.first);
  const units = await models.Unit.find({ level: { $in: ['province', 'partner', 'ministry'] } }, { nameTh: 1, nameEn: 1, level: 1 }).lean();
  const Counter = reportCounterModel(models);
  // One small document per unit, by _id (the one filter FerretDB answers from an index); a few at a time.
  const docs = new Map<string, Record<string, number>>();
  const queue = units.map((u) => String(u._id));
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (let code = queue.shift(); code !== undefined; code = queue.shift()) {
      docs.set(code, countsOf(await Counter.findById(`t:${code}:${fy}`, { c: 1, s: 1 }).lean()));
    }
  }));
  const rowOf = (u: (typeof units)[number]): FiguresRow => ({ code: String(u._id), nameTh: u.nameTh, nameEn: u.nameEn, ...figuresFromCounts(docs.get(String(u._id)) ?? {}, months) });
  const active = (r: FiguresRow) => r.received > 0 || r.closedInPeriod > 0 || r.responses > 0;
  const byName = (a: FiguresRow, b: FiguresRow) => a.nameTh.localeCompare(b.nameTh, 'th');
  const ministry = units.find((u) => String(u._id) === MINISTRY_UNIT_CODE);
  return {
    period,
    total: ministry ? rowOf(ministry) : null,
    provinces: units.filter((u) => u.level === 'province').map(rowOf).filter(active).sort(byName),
    agencies: units.filter((u) => u.level === 'partner').map(rowOf).filter(active).sort(byName),
    results: await publicResults(models, months),
    computedAt: new Date().toISOString(),
  };
}

/**
 * Approved results of cases closed in the period, by `publicMonth` equality (indexed). Each is
 * checked again against the publication rules: a case reopened, merged or made anonymous since
 * the approval stays off the page.
 */
async function publicResults(models: Models, months: { first: number; last: number }): Promise<PublicResultItem[]> {
  const found = (await Promise.all(monthsBetween(months.first, months.last).reverse().map((publicMonth) => models.Case.find({ publicMonth }, RESULT_FIELDS).lean<CaseDoc[]>()))).flat();
  const out: (PublicResultItem & { at: number })[] = [];
  for (const c of found) {
    if (!c.publicSlug || !c.publicResult?.approvedAt || !isShownPublicly(c)) continue;
    const kind = caseKind(c.problemType, c.category);
    out.push({
      slug: c.publicSlug,
      problemTh: kind?.th ?? c.category, problemEn: kind?.en ?? c.category, icon: kind?.icon ?? '',
      areaTh: formatArea(c.location, 'th'), areaEn: formatArea(c.location, 'en'),
      month: c.publicMonth ?? 0,
      closeDays: typeof c.report?.closeDays === 'number' ? c.report.closeDays : null,
      summary: c.publicResult.summary ?? '',
      photo: Boolean(c.publicResult.photoFileId),
      at: new Date(c.resolution?.at ?? 0).getTime(),
    });
  }
  return out.sort((a, b) => b.at - a.at).slice(0, MAX_RESULTS).map(({ at: _at, ...r }) => r);
}
