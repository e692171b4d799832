import shipped from './data/th-gov-holidays.json' with { type: 'json' };

/** A day Thai government offices are closed. `provisional` days are not yet confirmed by the cabinet and should be flagged to admins. */
export interface Holiday {
  /** YYYY-MM-DD, a Bangkok calendar date. */
  date: string;
  nameTh: string;
  nameEn: string;
  /** 'regular' | 'substitute' | 'special' | 'royal-ploughing' in the shipped table; kept open so admins can add their own kinds. */
  kind: string;
  provisional: boolean;
}

export interface CalendarOverrides {
  /** Extra closed days (e.g. a cabinet "bridge" day announced mid-year); replaces a table entry on the same date. */
  add?: Holiday[];
  /** Dates (YYYY-MM-DD) the offices turn out to be open after all, e.g. a provisional day the cabinet did not confirm. */
  remove?: string[];
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/**
 * Thailand has kept UTC+7 all year since 1920 and has no daylight-saving time, so a fixed offset is exact
 * and spares us an Intl/tz lookup on every step of the SLA loop.
 */
const BANGKOK_OFFSET_MS = 7 * 60 * MINUTE_MS;

/** Office hours in minutes after Bangkok midnight: 08:30–16:30, the civil-service working day. */
export const OFFICE_OPEN_MINUTE = 8 * 60 + 30;
export const OFFICE_CLOSE_MINUTE = 16 * 60 + 30;
/** One working day of SLA time; fractional day targets (1.5, 8.5) are converted at this rate. */
export const OFFICE_DAY_MINUTES = OFFICE_CLOSE_MINUTE - OFFICE_OPEN_MINUTE;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function assertValidDate(d: Date, what: string): void {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) {
    throw new RangeError(`${what}: invalid date / วันที่ไม่ถูกต้อง`);
  }
}

function assertIsoDay(s: unknown, what: string): string {
  const m = typeof s === 'string' ? DATE_RE.exec(s) : null;
  // Round-tripping through Date rejects 2026-02-30 and friends, which the regex alone lets through.
  if (!m || new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) !== s) {
    throw new RangeError(`${what}: expected a date as YYYY-MM-DD, got ${JSON.stringify(s)} / ต้องเป็นวันที่รูปแบบ YYYY-MM-DD`);
  }
  return s as string;
}

/** UTC instant of 00:00 Bangkok on the Bangkok day containing `t`. */
function bangkokDayStart(t: number): number {
  return Math.floor((t + BANGKOK_OFFSET_MS) / DAY_MS) * DAY_MS - BANGKOK_OFFSET_MS;
}

function bangkokKey(t: number): string {
  return new Date(t + BANGKOK_OFFSET_MS).toISOString().slice(0, 10);
}

function bangkokWeekday(t: number): number {
  return new Date(t + BANGKOK_OFFSET_MS).getUTCDay();
}

function validHoliday(h: Holiday, what: string): Holiday {
  if (!h || typeof h !== 'object') throw new TypeError(`${what}: not a holiday record`);
  assertIsoDay(h.date, `${what}.date`);
  return { date: h.date, nameTh: String(h.nameTh ?? ''), nameEn: String(h.nameEn ?? ''), kind: String(h.kind ?? 'special'), provisional: Boolean(h.provisional) };
}

/**
 * Thai government working days and office hours. The holiday table is data, not rules: lunar dates,
 * substitute days and cabinet "bridge" days can only come from announcements, so admins patch it with overrides.
 */
export class WorkingCalendar {
  readonly #byDate: Map<string, Holiday>;
  readonly #coverage: { from: number; to: number };

  constructor(holidays: Holiday[] = shipped.holidays, overrides: CalendarOverrides = {}) {
    if (!Array.isArray(holidays)) throw new TypeError('holidays must be an array');
    const byDate = new Map<string, Holiday>();
    holidays.forEach((h, i) => {
      const v = validHoliday(h, `holidays[${i}]`);
      byDate.set(v.date, v);
    });
    // Coverage follows the base table only: one added override day in 2030 does not make 2030 known.
    const years = [...byDate.keys()].map((k) => Number(k.slice(0, 4)));
    this.#coverage = years.length ? { from: Math.min(...years), to: Math.max(...years) } : { from: 0, to: -1 };
    (overrides.add ?? []).forEach((h, i) => {
      const v = validHoliday(h, `overrides.add[${i}]`);
      byDate.set(v.date, v);
    });
    (overrides.remove ?? []).forEach((d, i) => byDate.delete(assertIsoDay(d, `overrides.remove[${i}]`)));
    this.#byDate = byDate;
  }

  /** The government holiday on the Bangkok date of `d`, weekend-dated ones included. */
  holiday(d: Date): Holiday | undefined {
    assertValidDate(d, 'holiday');
    const h = this.#byDate.get(bangkokKey(d.getTime()));
    return h && { ...h };
  }

  isWorkingDay(d: Date): boolean {
    assertValidDate(d, 'isWorkingDay');
    return this.#isWorkingAt(d.getTime());
  }

  #isWorkingAt(t: number): boolean {
    const wd = bangkokWeekday(t);
    return wd !== 0 && wd !== 6 && !this.#byDate.has(bangkokKey(t));
  }

  /**
   * Adds office time: office hours are 08:30–16:30 Asia/Bangkok on working days (8 h = 1 working day).
   * A start outside office hours counts from the next opening. Office hours are half-open [08:30, 16:30):
   * a case received at 16:30 sharp counts from the next opening, but time that runs out exactly at
   * closing ends at 16:30 that day, not at the next morning. With 0 minutes the result is the start
   * moved to the next opening, i.e. when the clock would begin to run.
   */
  addOfficeMinutes(start: Date, minutes: number): Date {
    assertValidDate(start, 'addOfficeMinutes');
    if (!Number.isFinite(minutes) || minutes < 0) {
      throw new RangeError(`addOfficeMinutes: minutes must be a finite number ≥ 0, got ${minutes}`);
    }
    let remaining = Math.round(minutes * MINUTE_MS);
    let t = start.getTime();
    for (;;) {
      const dayStart = bangkokDayStart(t);
      if (this.#isWorkingAt(dayStart)) {
        const open = dayStart + OFFICE_OPEN_MINUTE * MINUTE_MS;
        const close = dayStart + OFFICE_CLOSE_MINUTE * MINUTE_MS;
        if (t < open) t = open;
        if (t < close) {
          if (remaining <= close - t) return new Date(t + remaining);
          remaining -= close - t;
        }
      }
      t = dayStart + DAY_MS;
    }
  }

  /** Working days as office time, so fractional targets (1.5, 8.5) land mid-day rather than being rounded. */
  addWorkingDays(start: Date, days: number): Date {
    if (!Number.isFinite(days) || days < 0) throw new RangeError(`addWorkingDays: days must be a finite number ≥ 0, got ${days}`);
    return this.addOfficeMinutes(start, days * OFFICE_DAY_MINUTES);
  }

  /** Plain elapsed days; exact because Bangkok has no DST, so every day is 24 h. */
  addCalendarDays(start: Date, days: number): Date {
    assertValidDate(start, 'addCalendarDays');
    if (!Number.isFinite(days)) throw new RangeError(`addCalendarDays: days must be finite, got ${days}`);
    return new Date(start.getTime() + Math.round(days * DAY_MS));
  }

  /** Years the table covers, so callers can warn when a date is outside it. `{ from: 0, to: -1 }` for an empty table. */
  coverage(): { from: number; to: number } {
    return { ...this.#coverage };
  }

  /** Whether the Bangkok year of `d` is inside coverage(); outside it only weekends are known to be closed. */
  covers(d: Date): boolean {
    assertValidDate(d, 'covers');
    const year = Number(bangkokKey(d.getTime()).slice(0, 4));
    return year >= this.#coverage.from && year <= this.#coverage.to;
  }

  /** All closed days in date order, e.g. for an admin screen that flags the provisional ones. */
  holidays(): Holiday[] {
    return [...this.#byDate.values()].sort((a, b) => a.date.localeCompare(b.date)).map((h) => ({ ...h }));
  }
}

/** The shipped table without overrides. Built once at import: 120 rows, cheaper than a lazy getter's bookkeeping. */
export const defaultCalendar: WorkingCalendar = new WorkingCalendar();
