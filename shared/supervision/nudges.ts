/**
 * A supervisor's กระตุ้น on a late unit: pushes one nudge to the unit's officers (and its linked LINE
 * groups), records who nudged and when, at most once per unit per 4 hours.
 *
 * The limit is a unique insert (atomic on MongoDB and FerretDB alike) keyed by unit + 4-hour slot;
 * a nudge late in the previous slot is read and still counts, so the window slides: "within 4 hours
 * of the last nudge", not "once per clock slot".
 */
import { Schema, type Model } from 'mongoose';
import type { Clock } from '../clock.ts';
import { th } from '../i18n/th.ts';
import type { LineClient } from '../line/client.ts';
import type { Models, OfficerDoc } from '../models/index.ts';
import type { WorkingCalendar } from '../sla/calendar.ts';
import { groupsOf } from './groups.ts';
import { inScope, lateUnits, scopeOf } from './lateUnits.ts';
import { isSupervisorRole } from '../cases/access.ts';

export const NUDGE_WINDOW_MS = 4 * 3600_000;

type Nudge = {
  _id: string;
  unitCode: string;
  at: Date;
  by: { officerId: string; lineUserId: string; name: string; unitCode: string };
  overdue: number;
  oldestDays: number;
  oldestTrackingNo?: string;
  officers: string[];
  groups: string[];
  /** Set once every push went out; a retried event resends (same retry keys) while it is null. */
  sentAt: Date | null;
};

const nudgeSchema = new Schema<Nudge>({
  _id: String,
  unitCode: { type: String, required: true },
  at: { type: Date, required: true },
  by: { officerId: String, lineUserId: String, name: String, unitCode: String },
  overdue: Number,
  oldestDays: Number,
  oldestTrackingNo: String,
  officers: [String],
  groups: [String],
  sentAt: { type: Date, default: null },
}, { versionKey: false });
nudgeSchema.index({ unitCode: 1, at: -1 });

export function nudgeModel(models: Models): Model<Nudge> {
  return (models.conn.models.Nudge as Model<Nudge> | undefined) ?? models.conn.model<Nudge>('Nudge', nudgeSchema, 'nudges');
}

export interface NudgeDeps { models: Models; line: LineClient; clock: Clock; calendar: WorkingCalendar }

export type NudgeResult =
  | { ok: true; unitName: string; officers: number; groups: number; overdue: number }
  | { ok: false; reason: 'not_supervisor' | 'out_of_scope' | 'not_late' | 'nobody' }
  | { ok: false; reason: 'already'; at: Date; byName: string };

/** The text the unit's officers (and its group) receive: counts and a tracking number, never personal data. */
export function nudgeText(n: Pick<Nudge, 'overdue' | 'oldestDays' | 'oldestTrackingNo' | 'by'>, unitName: string, supervisorUnitName: string): string {
  return th.nudgeUnitText(unitName, n.overdue, n.oldestTrackingNo ?? '-', n.oldestDays, n.by.name, supervisorUnitName);
}

async function send(deps: NudgeDeps, n: Nudge, unitName: string): Promise<void> {
  const supUnit = (await deps.models.Unit.findById(n.by.unitCode).lean())?.nameTh ?? n.by.unitCode;
  const message = { type: 'text' as const, text: nudgeText(n, unitName, supUnit) };
  if (n.officers.length) await deps.line.multicast(n.officers, [message], `nudge:${n._id}`);
  for (const g of n.groups) await deps.line.push(g, [message], `nudge:${n._id}:${g}`);
  await nudgeModel(deps.models).updateOne({ _id: n._id }, { $set: { sentAt: deps.clock.now() } });
}

export async function nudgeUnit(deps: NudgeDeps, supervisor: Pick<OfficerDoc, '_id' | 'lineUserId' | 'unitCode' | 'role' | 'name'>, unitCode: string): Promise<NudgeResult> {
  if (!isSupervisorRole(supervisor.role)) return { ok: false, reason: 'not_supervisor' };
  const unit = typeof unitCode === 'string' && unitCode.length <= 20 ? await deps.models.Unit.findById(unitCode).lean() : null;
  if (!unit || !inScope(await scopeOf(deps.models, supervisor.unitCode), unitCode)) return { ok: false, reason: 'out_of_scope' };
  const Nudges = nudgeModel(deps.models);
  const now = deps.clock.now();
  const slot = Math.floor(now.getTime() / NUDGE_WINDOW_MS);
  const already = (n: Nudge | null): NudgeResult | undefined =>
    n && now.getTime() - new Date(n.at).getTime() < NUDGE_WINDOW_MS ? { ok: false, reason: 'already', at: new Date(n.at), byName: n.by.name } : undefined;

  // A nudge late in the previous slot still holds the window.
  const previous = already(await Nudges.findById(`${unitCode}:${slot - 1}`).lean<Nudge>());
  if (previous) return previous;

  // The unit's line of the late-units card (one pass, or the sweep's tally at scale).
  const late = (await lateUnits(deps.models, deps.calendar, [unitCode], now, 1)).units[0];
  const overdue = late?.overdue ?? 0;
  if (!overdue) return { ok: false, reason: 'not_late' };
  const officers = (await deps.models.Officer.find({ unitCode, active: true, role: { $in: ['officer', 'head'] } }, { lineUserId: 1 }).lean()).map((o) => o.lineUserId);
  const groups = await groupsOf(deps.models, unitCode);
  if (!officers.length && !groups.length) return { ok: false, reason: 'nobody' };
  const nudge: Nudge = {
    _id: `${unitCode}:${slot}`, unitCode, at: now,
    by: { officerId: String(supervisor._id), lineUserId: supervisor.lineUserId, name: supervisor.name || '-', unitCode: supervisor.unitCode },
    overdue, oldestDays: late.oldestDays, oldestTrackingNo: late.oldestTrackingNo,
    officers, groups, sentAt: null,
  };
  try {
    await Nudges.create(nudge);
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
    const held = await Nudges.findById(nudge._id).lean<Nudge>();
    // Our own claim from a run that crashed before sending: finish it (the retry keys keep it single).
    if (held && held.by.lineUserId === supervisor.lineUserId && !held.sentAt) {
      await send(deps, held, unit.nameTh);
      return { ok: true, unitName: unit.nameTh, officers: held.officers.length, groups: held.groups.length, overdue: held.overdue };
    }
    return already(held) ?? { ok: false, reason: 'already', at: held ? new Date(held.at) : now, byName: held?.by.name ?? '-' };
  }
  await send(deps, nudge, unit.nameTh);
  return { ok: true, unitName: unit.nameTh, officers: officers.length, groups: groups.length, overdue };
}
