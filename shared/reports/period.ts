/**
 * Report periods. Everything is in Bangkok dates: a case received at 23:30 on 30 Sep (Bangkok) belongs
 * to the fiscal year ending that day, whatever UTC says. Months are handled as yyyymm numbers (CE).
 */

/** A period of a report, as it appears in the JSON (dates are Bangkok calendar dates, `to` inclusive). */
export type ReportPeriod =
  | { kind: 'fiscalYear'; fiscalYear: number; from: string; to: string }
  | { kind: 'month'; month: string; fiscalYear: number; from: string; to: string }
  | { kind: 'range'; from: string; to: string };

/** Bad period parameters: the message is Thai first, English second, and safe to show. */
export class ReportInputError extends Error {
  override name = 'ReportInputError';
}

const BKK_MS = 7 * 3600_000;

/** yyyymm (CE) of the moment as seen in Bangkok. */
export function monthOf(d: Date): number {
  const b = new Date(d.getTime() + BKK_MS);
  return b.getUTCFullYear() * 100 + b.getUTCMonth() + 1;
}

/** Fiscal year (BE) a yyyymm month belongs to: October starts the next one. */
export function fiscalYearOfMonth(m: number): number {
  const y = Math.floor(m / 100);
  return (m % 100 >= 10 ? y + 1 : y) + 543;
}

export function fiscalYearOf(d: Date): number {
  return fiscalYearOfMonth(monthOf(d));
}

/** The first instant (UTC) of a Bangkok date `YYYY-MM-DD`. */
export function bangkokStart(date: string): Date {
  return new Date(`${date}T00:00:00+07:00`);
}

/** The instant just after a Bangkok date ends. */
export function bangkokEndExclusive(date: string): Date {
  return new Date(bangkokStart(date).getTime() + 24 * 3600_000);
}

function isoDate(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function lastDay(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function validDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= lastDay(y, mo);
}

/** A fiscal year named by its BE year: 1 Oct (BE−1) – 30 Sep (BE). */
export function fiscalYearPeriod(beYear: number): ReportPeriod {
  const ce = beYear - 543;
  return { kind: 'fiscalYear', fiscalYear: beYear, from: isoDate(ce - 1, 10, 1), to: isoDate(ce, 9, 30) };
}

export function monthPeriod(month: string): ReportPeriod {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) {
    throw new ReportInputError(`เดือนไม่ถูกต้อง ใช้รูปแบบ YYYY-MM เช่น 2026-03 / month must be YYYY-MM, e.g. 2026-03 (got ${JSON.stringify(month).slice(0, 40)})`);
  }
  // A year past 2400 is a Buddhist-era year (officers often write 2569-03): read it as such.
  const y = Number(m[1]) > 2400 ? Number(m[1]) - 543 : Number(m[1]);
  const mo = Number(m[2]);
  const ym = `${y}-${m[2]}`;
  return { kind: 'month', month: ym, fiscalYear: fiscalYearOfMonth(y * 100 + mo), from: isoDate(y, mo, 1), to: isoDate(y, mo, lastDay(y, mo)) };
}

export interface PeriodInput {
  /** Fiscal year, BE (e.g. 2569 = 1 Oct 2025 – 30 Sep 2026). */
  fiscalYear?: string | number;
  /** YYYY-MM (CE, or BE if the year is past 2400). Within `fiscalYear` if both are given. */
  month?: string;
  /** YYYY-MM-DD Bangkok dates, both inclusive. */
  from?: string;
  to?: string;
}

/** One period from query or CLI parameters: a fiscal year, a month, or a date range (exactly one). */
export function parsePeriod(input: PeriodInput): ReportPeriod {
  const has = (v: unknown) => v !== undefined && v !== null && v !== '';
  const fy = has(input.fiscalYear) ? String(input.fiscalYear) : undefined;
  if (has(input.from) || has(input.to)) {
    if (fy || has(input.month)) throw new ReportInputError('ระบุได้อย่างเดียว: ปีงบประมาณ/เดือน หรือ ช่วงวันที่ / give a fiscal year or month, or a date range, not both');
    const from = String(input.from ?? '');
    const to = String(input.to ?? '');
    if (!validDate(from) || !validDate(to)) throw new ReportInputError('ช่วงวันที่ไม่ถูกต้อง ใช้ from=YYYY-MM-DD และ to=YYYY-MM-DD / from and to must both be dates YYYY-MM-DD');
    if (from > to) throw new ReportInputError('วันเริ่มต้องไม่หลังวันสิ้นสุด / from must not be after to');
    if (Number(to.slice(0, 4)) - Number(from.slice(0, 4)) > 20) throw new ReportInputError('ช่วงวันที่ยาวเกิน 20 ปี / the range may span at most 20 years');
    return { kind: 'range', from, to };
  }
  let year: number | undefined;
  if (fy !== undefined) {
    if (!/^\d{4}$/.test(fy) || Number(fy) < 2500 || Number(fy) > 2700) {
      throw new ReportInputError(`ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2569 / fiscal year must be a Buddhist-era year such as 2569 (got ${JSON.stringify(fy).slice(0, 20)})`);
    }
    year = Number(fy);
  }
  if (has(input.month)) {
    const p = monthPeriod(String(input.month));
    if (year !== undefined && p.kind === 'month' && p.fiscalYear !== year) {
      throw new ReportInputError(`เดือน ${p.month} ไม่อยู่ในปีงบประมาณ ${year} / month ${p.month} is not in fiscal year ${year}`);
    }
    return p;
  }
  if (year !== undefined) return fiscalYearPeriod(year);
  throw new ReportInputError('ต้องระบุ fiscalYear (พ.ศ.), month (YYYY-MM) หรือ from/to / give fiscalYear (BE), month (YYYY-MM) or from and to');
}

/**
 * The period as whole months, when it is made of whole months (then counters answer it): first and
 * last yyyymm. Undefined for a range that starts or ends mid-month.
 */
export function wholeMonths(p: ReportPeriod): { first: number; last: number } | undefined {
  const [fy, fm, fd] = p.from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = p.to.split('-').map(Number) as [number, number, number];
  if (fd !== 1 || td !== lastDay(ty, tm)) return undefined;
  return { first: fy * 100 + fm, last: ty * 100 + tm };
}

/** Every yyyymm from first to last, inclusive. */
export function monthsBetween(first: number, last: number): number[] {
  const out: number[] = [];
  for (let m = first; m <= last; m = m % 100 === 12 ? m + 89 : m + 1) out.push(m);
  return out;
}
