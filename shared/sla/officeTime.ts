import { OFFICE_CLOSE_MINUTE, OFFICE_OPEN_MINUTE, type WorkingCalendar } from './calendar.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
// Thailand keeps UTC+7 all year (no daylight saving), so a Bangkok day is a fixed UTC window.
const BANGKOK_OFFSET_MS = 7 * 3_600_000;

/** Midnight (Bangkok) of the day containing instant `t`, as epoch ms. */
export function bangkokDayStart(t: number): number {
  return Math.floor((t + BANGKOK_OFFSET_MS) / DAY_MS) * DAY_MS - BANGKOK_OFFSET_MS;
}

/** Office minutes (08:30–16:30 on working days) between two instants; 0 if b ≤ a. */
export function officeMinutesBetween(cal: WorkingCalendar, a: Date, b: Date): number {
  let total = 0;
  for (let ds = bangkokDayStart(a.getTime()); ds < b.getTime(); ds += DAY_MS) {
    if (!cal.isWorkingDay(new Date(ds))) continue;
    const lo = Math.max(a.getTime(), ds + OFFICE_OPEN_MINUTE * MINUTE_MS);
    const hi = Math.min(b.getTime(), ds + OFFICE_CLOSE_MINUTE * MINUTE_MS);
    if (hi > lo) total += hi - lo;
  }
  return total / MINUTE_MS;
}
