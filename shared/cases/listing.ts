/**
 * Keys the dashboard's case list pages through (dashboard/data.ts searchCases). FerretDB v1 pushes
 * down to its storage only equalities on top-level scalar fields — no ranges, no sorts, no limit
 * with a filter — so a list ordered by date reads one day (`listDay`) or one unit's month
 * (`unitCode` + `listMonth`) at a time, never the whole collection. Both follow the date the case
 * was received (the list's order), which never changes once the case exists.
 */
import { monthOf } from '../reports/period.ts';

/** yyyymmdd (Bangkok) of an instant. */
export function bangkokDay(d: Date): number {
  const b = new Date(d.getTime() + 7 * 3_600_000);
  return b.getUTCFullYear() * 10_000 + (b.getUTCMonth() + 1) * 100 + b.getUTCDate();
}

export function listFieldsFor(receivedAt: Date): { listDay: number; listMonth: number } {
  return { listDay: bangkokDay(receivedAt), listMonth: monthOf(receivedAt) };
}
