/**
 * Late units for supervisors: which units in a head's scope have overdue cases, how many,
 * and how old the oldest is: one pass over the overdue cases of the scope, tallied in code (FerretDB
 * v1 has no `$min`, and every filter but `_id` is a scan there), or at scale the reconcile sweep's tally.
 */
import { OPEN_STATUSES } from '../categories.ts';
import type { Models } from '../models/index.ts';
import { OFFICE_DAY_MINUTES, type WorkingCalendar } from '../sla/calendar.ts';
import { MINISTRY_UNIT_CODE } from '../units/catalog.ts';
import { officeMinutesBetween } from '../sla/officeTime.ts';
import { answeredFilter } from '../sla/answered.ts';
import { LATE_FIELDS, LateTally, usableLateSnapshot, type LateRow, type LateUnitTally } from './lateSnapshot.ts';
import { staffedUnits, unitsBelow } from '../cases/access.ts';
import { unitAndDescendants } from '../auth/principal.ts';

/** Unit codes a supervisor of `unitCode` oversees: the unit and everything below it; `null` = the whole country (MOI). */
export async function scopeOf(models: Models, unitCode: string): Promise<string[] | null> {
  return unitCode === MINISTRY_UNIT_CODE ? null : unitAndDescendants(models, unitCode);
}

export function inScope(scope: string[] | null, unitCode: string): boolean {
  return scope === null || scope.includes(unitCode);
}

/** Open cases past a deadline whose promise is not yet kept (as shared/sla/plan.ts judges it; answered: shared/sla/answered.ts). */
export function overdueFilter(now: Date): Record<string, unknown> {
  return {
    status: { $in: OPEN_STATUSES },
    $or: [
      { status: 'received', ackDueAt: { $lt: now } },
      { resolveDueAt: { $lt: now } },
      { answerDueAt: { $lt: now }, ...answeredFilter(false) },
    ],
  };
}

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

export function workingDaysLate(cal: WorkingCalendar, dueAt: Date, now: Date): number {
  return Math.floor(officeMinutesBetween(cal, dueAt, now) / OFFICE_DAY_MINUTES);
}

/**
 * Late units in scope, worst first (most overdue cases, then the oldest), at most `limit` of them,
 * and the totals over all late units in scope. Many open cases: from the tally of the last reconcile
 * sweep (lateSnapshot.ts, `asOf` says when); else live, in ONE pass over the overdue cases of the
 * scope, tallied as the sweep does (a `$group` plus sorted finds per unit would be a scan each on FerretDB).
 */
export async function lateUnits(models: Models, cal: WorkingCalendar, scope: string[] | null, now: Date, limit = 12): Promise<{ units: LateUnit[]; totalUnits: number; totalCases: number; asOf?: Date }> {
  const snap = await usableLateSnapshot(models, now);
  let tallies: LateUnitTally[];
  if (snap) tallies = snap.units.filter((u) => inScope(scope, u.unitCode));
  else {
    const match: Record<string, unknown> = overdueFilter(now);
    if (scope) match.unitCode = { $in: scope };
    const tally = new LateTally(now);
    for await (const c of models.Case.find(match, LATE_FIELDS).lean<LateRow[]>().cursor({ batchSize: 1000 })) tally.add(c as unknown as LateRow);
    tallies = tally.result();
  }
  const time = (d?: Date | null) => (d ? new Date(d).getTime() : 0);
  const shown = tallies
    .sort((a, b) => b.overdue - a.overdue || time(a.oldestDueAt) - time(b.oldestDueAt) || a.unitCode.localeCompare(b.unitCode))
    .slice(0, limit);
  const names = new Map((await models.Unit.find({ _id: { $in: shown.map((u) => u.unitCode) } }, { nameTh: 1 }).lean()).map((u) => [String(u._id), u.nameTh]));
  return {
    units: shown.map((u) => ({
      unitCode: u.unitCode, nameTh: names.get(u.unitCode) ?? u.unitCode, overdue: u.overdue,
      oldestDueAt: u.oldestDueAt ? new Date(u.oldestDueAt) : undefined, oldestTrackingNo: u.oldestTrackingNo,
      oldestDays: u.oldestDueAt ? workingDaysLate(cal, new Date(u.oldestDueAt), now) : 0,
    })),
    totalUnits: tallies.length,
    totalCases: tallies.reduce((n, u) => n + u.overdue, 0),
    asOf: snap ? new Date(snap.at) : undefined,
  };
}

/**
 * Unowned cases below a supervisor: open cases held by units with no active registered officer (the
 * alert went up the ladder; nobody there can act). The units come from the tree, the counts from one
 * equality query per empty unit (the `unitCode` index); few units are empty once a province is live.
 */
export async function unownedBelow(models: Models, unitCode: string): Promise<{ units: { unitCode: string; open: number }[]; cases: number }> {
  const below = await unitsBelow(models, unitCode);
  const staffed = await staffedUnits(models, below);
  const units: { unitCode: string; open: number }[] = [];
  for (const code of below.filter((c) => !staffed.has(c))) {
    const open = await models.Case.countDocuments({ unitCode: code, status: { $in: OPEN_STATUSES } });
    if (open) units.push({ unitCode: code, open });
  }
  return { units, cases: units.reduce((n, u) => n + u.open, 0) };
}
