/**
 * The late-units card at national scale. Counting overdue cases live needs a pass over every open
 * case; on FerretDB v1 (which answers only `_id` equality from an index) that is a full scan, plus
 * three more per unit shown for the oldest. So the reconcile sweep (workers/sla/worker.ts), which
 * reads every open case anyway every 10 minutes, tallies them per unit in the same pass and stores
 * ONE small document; from LIVE_MAX_OPEN_CASES on, the card is drawn from it (and says as of when).
 */
import { Schema, type Model } from 'mongoose';
import { OPEN_STATUSES } from '../categories.ts';
import type { Models } from '../models/index.ts';
import { isAnswered } from '../sla/answered.ts';

/**
 * Below this many open cases the card is counted live (exact to the second); above, from the
 * snapshot. Live is one pass over the overdue cases of the scope: on FerretDB a scan of every case,
 * about 1 s per few thousand cases on a busy 2-CPU machine (bench:sla).
 */
export const LIVE_MAX_OPEN_CASES = 2_000;
/** A snapshot older than this (two missed sweeps) is not trusted: live again. */
export const SNAPSHOT_MAX_AGE_MS = 25 * 60_000;

/** What the tally reads of a case (the reconcile's projection includes these). */
export const LATE_FIELDS = { status: 1, unitCode: 1, trackingNo: 1, ackDueAt: 1, answerDueAt: 1, resolveDueAt: 1, 'timeline.action': 1 } as const;

export interface LateRow {
  status?: string;
  unitCode?: string;
  trackingNo?: string;
  ackDueAt?: Date | null;
  answerDueAt?: Date | null;
  resolveDueAt?: Date | null;
  timeline?: { action?: string }[] | null;
}

export interface LateUnitTally { unitCode: string; overdue: number; oldestDueAt?: Date; oldestTrackingNo?: string }

type Snapshot = { _id: string; at: Date; openCases: number; units: LateUnitTally[] };

const snapshotSchema = new Schema<Snapshot>({
  _id: String,
  at: { type: Date, required: true },
  openCases: { type: Number, required: true },
  units: [{ _id: false, unitCode: String, overdue: Number, oldestDueAt: Date, oldestTrackingNo: String }],
}, { versionKey: false });

export function lateSnapshotModel(models: Models): Model<Snapshot> {
  return (models.conn.models.LateUnitsSnapshot as Model<Snapshot> | undefined) ?? models.conn.model<Snapshot>('LateUnitsSnapshot', snapshotSchema, 'sla_late_units');
}

const OPEN = new Set<string>(OPEN_STATUSES);

/**
 * The earliest missed deadline whose promise is not kept, as shared/supervision/lateUnits.ts
 * `overdueFilter` judges it; undefined when the case is not overdue.
 */
export function missedDeadline(c: LateRow, now: Date): Date | undefined {
  if (!c.status || !OPEN.has(c.status)) return undefined;
  const t = now.getTime();
  let best: number | undefined;
  const consider = (d: Date | null | undefined) => {
    const ms = d ? new Date(d).getTime() : NaN;
    if (ms < t && (best === undefined || ms < best)) best = ms;
  };
  if (c.status === 'received') consider(c.ackDueAt);
  consider(c.resolveDueAt);
  if (!isAnswered(c)) consider(c.answerDueAt);
  return best === undefined ? undefined : new Date(best);
}

/** Accumulates open cases into per-unit overdue counts and oldest deadlines. */
export class LateTally {
  readonly now: Date;
  openCases = 0;
  private readonly units = new Map<string, LateUnitTally>();

  constructor(now: Date) { this.now = now; }

  add(c: LateRow): void {
    if (!c.status || !OPEN.has(c.status)) return;
    this.openCases++;
    const d = missedDeadline(c, this.now);
    if (!d || !c.unitCode) return;
    const u = this.units.get(c.unitCode);
    if (!u) this.units.set(c.unitCode, { unitCode: c.unitCode, overdue: 1, oldestDueAt: d, oldestTrackingNo: c.trackingNo });
    else {
      u.overdue++;
      if (!u.oldestDueAt || d < u.oldestDueAt) { u.oldestDueAt = d; u.oldestTrackingNo = c.trackingNo; }
    }
  }

  result(): LateUnitTally[] { return [...this.units.values()]; }
}

export async function saveLateSnapshot(models: Models, tally: LateTally): Promise<void> {
  // `_id` only, last writer wins: the tally is whole either way. Two sweeps may still meet on the very
  // first save (the start-up reconcile and the repeatable one): FerretDB answers the loser's upsert
  // with E11000, and by then the document exists, so a second replace simply lands.
  const doc = { _id: 'country', at: tally.now, openCases: tally.openCases, units: tally.result() };
  const save = () => lateSnapshotModel(models).replaceOne({ _id: 'country' }, doc, { upsert: true });
  try {
    await save();
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
    await save();
  }
}

/** The snapshot, when there are enough open cases to need it and it is fresh; else undefined (count live). */
export async function usableLateSnapshot(models: Models, now: Date): Promise<Snapshot | undefined> {
  const s = await lateSnapshotModel(models).findById('country').lean<Snapshot>();
  if (!s || s.openCases < LIVE_MAX_OPEN_CASES) return undefined;
  const age = now.getTime() - new Date(s.at).getTime();
  return age >= -60_000 && age <= SNAPSHOT_MAX_AGE_MS ? s : undefined;
}
