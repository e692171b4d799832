/**
 * Late units for supervisors (issue #4): which units in a head's scope have overdue cases, how many,
 * and how old the oldest is. Stays inside FerretDB v1: one `$match` + `$group`/`$sum` aggregate for
 * the counts, then three indexed `sort + limit 1` finds per shown unit for the oldest (no `$min`).
 */
import { OPEN_STATUSES } from '../categories.ts';
import type { Models } from '../models/index.ts';
import { OFFICE_DAY_MINUTES, type WorkingCalendar } from '../sla/calendar.ts';
import { MINISTRY_UNIT_CODE } from '../units/catalog.ts';
import { officeMinutesBetween } from '../sla/officeTime.ts';
import { usableLateSnapshot } from './lateSnapshot.ts';

export const SUPERVISOR_ROLES = ['head', 'executive', 'admin'] as const;

export function isSupervisor(role: string | undefined | null): boolean {
  return !!role && (SUPERVISOR_ROLES as readonly string[]).includes(role);
}

/** Unit codes a supervisor of `unitCode` oversees: the unit and everything below it; `null` = the whole country (MOI). */
export async function scopeOf(models: Models, unitCode: string): Promise<string[] | null> {
  if (unitCode === MINISTRY_UNIT_CODE) return null;
  const codes = [unitCode];
  let frontier = [unitCode];
  for (let depth = 0; depth < 4 && frontier.length; depth++) {
    const children = (await models.Unit.find({ parentCode: { $in: frontier } }, { _id: 1 }).lean()).map((u) => String(u._id));
    frontier = children.filter((c) => !codes.includes(c));
    codes.push(...frontier);
  }
  return codes;
}

export function inScope(scope: string[] | null, unitCode: string): boolean {
  return scope === null || scope.includes(unitCode);
}

/** Open cases past a deadline whose promise is not yet kept (as workers/sla/plan.ts judges it). */
export function overdueFilter(now: Date): Record<string, unknown> {
  return {
    status: { $in: OPEN_STATUSES },
    $or: [
      { status: 'received', ackDueAt: { $lt: now } },
      { resolveDueAt: { $lt: now } },
      { answerDueAt: { $lt: now }, ...NOT_ANSWERED },
    ],
  };
}

/**
 * No timeline entry answers the complainant. Spelt `$nor` + `$in`: FerretDB v1 takes `$nin` (and
 * `$ne`) on an array path as "some element is not in", so every case with an `opened` entry matched.
 */
const NOT_ANSWERED = { $nor: [{ 'timeline.action': { $in: ['note', 'asked', 'forwarded'] } }] };

export interface LateUnit {
  unitCode: string;
  nameTh: string;
  overdue: number;
  /** The oldest missed deadline and its case. */
  oldestDueAt?: Date;
  oldestTrackingNo?: string;
  /** Whole working days since that deadline (0: less than one). */
  oldestDays: number;
}

export async function overdueCount(models: Models, unitCode: string, now: Date): Promise<number> {
  return models.Case.countDocuments({ ...overdueFilter(now), unitCode });
}

/** The earliest missed deadline of a unit's overdue cases: one indexed find per deadline kind. */
export async function oldestOverdue(models: Models, unitCode: string, now: Date): Promise<{ dueAt: Date; trackingNo: string } | undefined> {
  const open = { unitCode, status: { $in: OPEN_STATUSES } };
  const probes: [string, Record<string, unknown>][] = [
    ['ackDueAt', { ...open, status: 'received', ackDueAt: { $lt: now } }],
    ['resolveDueAt', { ...open, resolveDueAt: { $lt: now } }],
    ['answerDueAt', { ...open, answerDueAt: { $lt: now }, ...NOT_ANSWERED }],
  ];
  let best: { dueAt: Date; trackingNo: string } | undefined;
  for (const [field, filter] of probes) {
    const c = await models.Case.findOne(filter, { trackingNo: 1, [field]: 1 }).sort({ [field]: 1 }).lean<Record<string, any>>();
    const d = c?.[field] ? new Date(c[field]) : undefined;
    if (d && (!best || d < best.dueAt)) best = { dueAt: d, trackingNo: c!.trackingNo };
  }
  return best;
}

export function workingDaysLate(cal: WorkingCalendar, dueAt: Date, now: Date): number {
  return Math.floor(officeMinutesBetween(cal, dueAt, now) / OFFICE_DAY_MINUTES);
}

/**
 * Late units in scope, worst first (most overdue cases, then the oldest), at most `limit` of them,
 * and the totals over all late units in scope.
 */
export async function lateUnits(models: Models, cal: WorkingCalendar, scope: string[] | null, now: Date, limit = 12): Promise<{ units: LateUnit[]; totalUnits: number; totalCases: number; asOf?: Date }> {
  // Many open cases: the per-unit tally of the last reconcile sweep (lateSnapshot.ts), not a scan.
  const snap = await usableLateSnapshot(models, now);
  if (snap) {
    const inside = snap.units.filter((u) => inScope(scope, u.unitCode));
    const shown = inside
      .sort((a, b) => b.overdue - a.overdue || (a.oldestDueAt ? new Date(a.oldestDueAt).getTime() : 0) - (b.oldestDueAt ? new Date(b.oldestDueAt).getTime() : 0) || a.unitCode.localeCompare(b.unitCode))
      .slice(0, limit);
    const snapNames = new Map((await models.Unit.find({ _id: { $in: shown.map((u) => u.unitCode) } }, { nameTh: 1 }).lean()).map((u) => [String(u._id), u.nameTh]));
    return {
      units: shown.map((u) => ({
        unitCode: u.unitCode, nameTh: snapNames.get(u.unitCode) ?? u.unitCode, overdue: u.overdue,
        oldestDueAt: u.oldestDueAt ? new Date(u.oldestDueAt) : undefined, oldestTrackingNo: u.oldestTrackingNo,
        oldestDays: u.oldestDueAt ? workingDaysLate(cal, new Date(u.oldestDueAt), now) : 0,
      })),
      totalUnits: inside.length,
      totalCases: inside.reduce((n, u) => n + u.overdue, 0),
      asOf: new Date(snap.at),
    };
  }
  const match: Record<string, unknown> = overdueFilter(now);
  if (scope) match.unitCode = { $in: scope };
  const groups = await models.Case.aggregate<{ _id: string; n: number }>([
    { $match: match },
    { $group: { _id: '$unitCode', n: { $sum: 1 } } },
  ]);
  const totalCases = groups.reduce((s, g) => s + g.n, 0);
  // Oldest-first among equal counts needs the oldest of each: look at a few more than shown.
  const candidates = groups.sort((a, b) => b.n - a.n || a._id.localeCompare(b._id)).slice(0, limit * 2);
  const names = new Map((await models.Unit.find({ _id: { $in: candidates.map((g) => g._id) } }, { nameTh: 1 }).lean()).map((u) => [String(u._id), u.nameTh]));
  const units: LateUnit[] = [];
  for (const g of candidates) {
    const oldest = await oldestOverdue(models, g._id, now);
    units.push({
      unitCode: g._id, nameTh: names.get(g._id) ?? g._id, overdue: g.n,
      oldestDueAt: oldest?.dueAt, oldestTrackingNo: oldest?.trackingNo,
      oldestDays: oldest ? workingDaysLate(cal, oldest.dueAt, now) : 0,
    });
  }
  units.sort((a, b) => b.overdue - a.overdue || (a.oldestDueAt?.getTime() ?? 0) - (b.oldestDueAt?.getTime() ?? 0) || a.unitCode.localeCompare(b.unitCode));
  return { units: units.slice(0, limit), totalUnits: groups.length, totalCases };
}
