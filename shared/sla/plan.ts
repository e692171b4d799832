/**
 * What the SLA clock owes a case right now: reminders (เตือน) before each deadline, nudges (กระตุ้น)
 * once it is missed, escalation up the unit ladder while it stays missed, and the citizen's apology.
 * Pure: the case, the calendar and `now` in, notifications out — tests call it with any time.
 */
import { isOpenStatus } from '../categories.ts';
import { parentUnitCode } from '../cases/routing.ts';
import { OFFICE_CLOSE_MINUTE, OFFICE_DAY_MINUTES, OFFICE_OPEN_MINUTE, type WorkingCalendar } from './calendar.ts';
import { MINISTRY_UNIT_CODE } from '../units/catalog.ts';
import { bangkokDayStart, officeMinutesBetween } from './officeTime.ts';
import { isAnswered } from './answered.ts';

export const SLA_WINDOWS = ['ack', 'answer', 'resolve'] as const;
/** ack = register and act (by channel), answer = first answer to the complainant (s.38), resolve = close it. */
export type SlaWindow = (typeof SLA_WINDOWS)[number];

/** Who a notification is for. */
export type SlaAudience =
  /** The assignee, or the unit's officers while nobody has taken the case. */
  | 'officers'
  /** As `officers`, plus the unit's heads. */
  | 'officersAndHeads'
  /** The heads of `unitCode` (a unit up the ladder). */
  | 'escalationHeads'
  | 'citizen';

export interface SlaNotification {
  /** Deterministic: `${caseId}:${kind}-${window}:${deadline ISO}:${stage}`; recorded in `slaSent`, seeds the retry key. */
  key: string;
  caseId: string;
  kind: 'remind' | 'nudge' | 'escalate' | 'apology';
  window: SlaWindow;
  deadline: Date;
  /** remind: '50' | '80' | '1wd'; nudge: the Bangkok date it is for; escalate: the level; apology: '0'. */
  stage: string;
  /** When it fell due. */
  dueAt: Date;
  /** When it may go out: officer messages are held to the next office opening. */
  sendAt: Date;
  audience: SlaAudience;
  /** The unit whose people receive it (the case's unit, or the escalation target). */
  unitCode: string;
  /** escalate: the new level. */
  level?: number;
  /** apology: the new expected date told to the citizen. */
  newExpectedAt?: Date;
}

/** The fields of a case the planner reads. */
export interface SlaCase {
  _id: unknown;
  status: string;
  unitCode: string;
  concernedUnitCode?: string | null;
  /** The unit and those above it as stored, for a unit off the fixed tree (withStoredLadder in shared/cases/access.ts); else the fixed tree is climbed. */
  ladder?: readonly string[] | null;
  receivedAt?: Date | null;
  createdAt?: Date | null;
  ackDueAt?: Date | null;
  answerDueAt?: Date | null;
  resolveDueAt?: Date | null;
  escalationLevel?: number | null;
  slaSent?: string[] | null;
  timeline?: { action: string }[] | null;
  complainant?: { lineUserId?: string | null } | null;
}

export interface SlaPlanOptions {
  /** Working days overdue per escalation level (default 2). */
  escalateEveryWorkingDays: number;
}

export const DEFAULT_PLAN_OPTIONS: SlaPlanOptions = { escalateEveryWorkingDays: 2 };

export interface SlaPlan {
  /** Due now and not yet sent (for each window only the latest reminder/nudge: a worker that was down does not catch up with a burst). */
  due: SlaNotification[];
  /** The next moment something will fall due (for the case's wake-up job), if any. */
  nextAt?: Date;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const BANGKOK_OFFSET_MS = 7 * 60 * MINUTE_MS;

const dayStart = bangkokDayStart;

function bangkokDate(t: number): string {
  return new Date(t + BANGKOK_OFFSET_MS).toISOString().slice(0, 10);
}

/** When the office next opens (or `t` itself, if it is open). */
export function nextOpening(cal: WorkingCalendar, t: Date): Date {
  return cal.addOfficeMinutes(t, 0);
}

/** Office hours on a working day, [08:30, 16:30) Bangkok. */
export function isOfficeTime(cal: WorkingCalendar, t: Date): boolean {
  return nextOpening(cal, t).getTime() === t.getTime();
}

/** `end` minus office time: one working day before a 16:30 deadline is 08:30 the same day. */
export function subtractOfficeMinutes(cal: WorkingCalendar, end: Date, minutes: number): Date {
  let remaining = minutes * MINUTE_MS;
  let t = end.getTime();
  for (let guard = 0; guard < 3660; guard++) {
    let ds = dayStart(t);
    if (ds === t) ds -= DAY_MS; // midnight is the end of the day before
    if (cal.isWorkingDay(new Date(ds))) {
      const open = ds + OFFICE_OPEN_MINUTE * MINUTE_MS;
      const hi = Math.min(t, ds + OFFICE_CLOSE_MINUTE * MINUTE_MS);
      if (hi > open) {
        if (remaining <= hi - open) return new Date(hi - remaining);
        remaining -= hi - open;
      }
    }
    t = ds;
  }
  throw new RangeError('subtractOfficeMinutes: no working day found in ten years');
}

/** The first working-day 08:30 strictly after `t`. */
function nextMorningAfter(cal: WorkingCalendar, t: number): number {
  const ds = dayStart(t);
  const today = ds + OFFICE_OPEN_MINUTE * MINUTE_MS;
  if (today > t && cal.isWorkingDay(new Date(ds))) return today;
  return nextOpening(cal, new Date(ds + DAY_MS)).getTime();
}

/** The last working-day 08:30 at or before `t`. */
function lastMorningAtOrBefore(cal: WorkingCalendar, t: number): number {
  for (let ds = dayStart(t), i = 0; i < 3660; ds -= DAY_MS, i++) {
    const open = ds + OFFICE_OPEN_MINUTE * MINUTE_MS;
    if (open <= t && cal.isWorkingDay(new Date(ds))) return open;
  }
  return -Infinity;
}

/**
 * Units a late case climbs: district → province centre → ministry centre, skipping the unit the
 * complaint is about (nobody is escalated to about themselves).
 */
export function escalationLadder(unitCode: string, concernedUnitCode?: string | null, stored?: readonly string[] | null): string[] {
  // A partner agency's ladder is stored (its supervising centre, then that centre's): see unitLadder.
  if (stored?.length && stored[0] === unitCode) return stored.slice(1).filter((u) => u !== concernedUnitCode).slice(0, 4);
  const ladder: string[] = [];
  let code = unitCode;
  for (let i = 0; i < 4 && code !== MINISTRY_UNIT_CODE; i++) {
    code = parentUnitCode(code);
    if (code !== concernedUnitCode) ladder.push(code);
  }
  return ladder;
}

/** Whether the window's promise was kept (or no longer applies). */
function windowMet(c: SlaCase, w: SlaWindow): boolean {
  if (w === 'ack') return c.status !== 'received';
  if (w === 'answer') return isAnswered(c);
  return false;
}

function deadlineOf(c: SlaCase, w: SlaWindow): Date | undefined {
  const d = w === 'ack' ? c.ackDueAt : w === 'answer' ? c.answerDueAt : c.resolveDueAt;
  return d ? new Date(d) : undefined;
}

/**
 * The point `fraction` of the way through a window. Acknowledge and resolve targets are office time
 * (hours or working days) so they are measured in office time; the s.38 answer is calendar days.
 */
function pointIn(cal: WorkingCalendar, w: SlaWindow, start: Date, end: Date, fraction: number): Date {
  if (w === 'answer') return new Date(start.getTime() + (end.getTime() - start.getTime()) * fraction);
  return cal.addOfficeMinutes(start, officeMinutesBetween(cal, start, end) * fraction);
}

export function planCase(c: SlaCase, cal: WorkingCalendar, now: Date, opts: SlaPlanOptions = DEFAULT_PLAN_OPTIONS): SlaPlan {
  if (!isOpenStatus(c.status)) return { due: [] };
  const id = String(c._id);
  const sent = new Set(c.slaSent ?? []);
  const t = now.getTime();
  const due: SlaNotification[] = [];
  let nextAt = Infinity;
  const later = (at: number) => { if (at > t && at < nextAt) nextAt = at; };
  const start = new Date(c.receivedAt ?? c.createdAt ?? now);
  const overdue: { w: SlaWindow; d: Date }[] = [];

  for (const w of SLA_WINDOWS) {
    const d = deadlineOf(c, w);
    if (!d || windowMet(c, w)) continue;
    const dIso = d.toISOString();
    const key = (kind: string, stage: string) => `${id}:${kind}-${w}:${dIso}:${stage}`;
    const base = { caseId: id, window: w, deadline: d, unitCode: c.unitCode };
    if (t < d.getTime()) {
      const points: [string, Date][] = [
        ['50', pointIn(cal, w, start, d, 0.5)],
        ['80', pointIn(cal, w, start, d, 0.8)],
        ['1wd', subtractOfficeMinutes(cal, d, OFFICE_DAY_MINUTES)],
      ];
      let latest: SlaNotification | undefined;
      for (const [stage, at] of points) {
        const sendAt = nextOpening(cal, at);
        // Before the window opened, or held past the deadline itself: the nudge says it better.
        if (at.getTime() <= start.getTime() || sendAt.getTime() >= d.getTime()) continue;
        if (sendAt.getTime() > t) { later(sendAt.getTime()); continue; }
        if (!latest || sendAt.getTime() >= latest.sendAt.getTime()) {
          latest = { ...base, key: key('remind', stage), kind: 'remind', stage, dueAt: at, sendAt, audience: 'officers' };
        }
      }
      if (latest && !sent.has(latest.key)) due.push(latest);
      later(nextOpening(cal, d).getTime());
      continue;
    }
    overdue.push({ w, d });
    // Nudges: at the first opening after the deadline, then every working morning at 08:30.
    const first = nextOpening(cal, d).getTime();
    if (first > t) later(first);
    else {
      const morning = lastMorningAtOrBefore(cal, t);
      const at = morning > first ? morning : first;
      const stage = bangkokDate(at);
      const k = key('nudge', stage);
      if (!sent.has(k)) due.push({ ...base, key: k, kind: 'nudge', stage, dueAt: new Date(at === first ? d.getTime() : at), sendAt: new Date(at), audience: 'officersAndHeads' });
      later(nextMorningAfter(cal, t));
    }
    if (w === 'ack' && c.complainant?.lineUserId) {
      const k = key('apology', '0');
      if (!sent.has(k)) due.push({ ...base, key: k, kind: 'apology', stage: '0', dueAt: d, sendAt: d, audience: 'citizen', newExpectedAt: cal.addWorkingDays(d, 1) });
    }
  }

  // Escalation follows the earliest missed deadline: one level per N working days overdue.
  if (overdue.length) {
    const { w, d } = overdue.reduce((a, b) => (b.d.getTime() < a.d.getTime() ? b : a));
    const ladder = escalationLadder(c.unitCode, c.concernedUnitCode, c.ladder);
    const current = c.escalationLevel ?? 0;
    let reached = 0;
    let reachedAt = 0;
    for (let level = 1; level <= ladder.length; level++) {
      const at = cal.addWorkingDays(d, opts.escalateEveryWorkingDays * level);
      const sendAt = nextOpening(cal, at).getTime();
      if (sendAt > t) { if (level > current) later(sendAt); break; }
      reached = level;
      reachedAt = at.getTime();
    }
    if (reached > current) {
      const k = `${id}:escalate-${w}:${d.toISOString()}:${reached}`;
      if (!sent.has(k)) {
        due.push({
          caseId: id, window: w, deadline: d, key: k, kind: 'escalate', stage: String(reached), level: reached,
          dueAt: new Date(reachedAt), sendAt: nextOpening(cal, new Date(reachedAt)), audience: 'escalationHeads', unitCode: ladder[reached - 1],
        });
      }
    }
  }
  return { due, nextAt: Number.isFinite(nextAt) ? new Date(nextAt) : undefined };
}

/**
 * When the case must next be looked at (its `slaNextAt` and wake-up job): now if a citizen notice is
 * due, the next office opening if an officer notification is due (quiet hours), else `nextAt`.
 * Undefined: never again (closed, or no deadlines).
 */
export function nextWake(c: SlaCase, cal: WorkingCalendar, now: Date, opts: SlaPlanOptions = DEFAULT_PLAN_OPTIONS): Date | undefined {
  const p = planCase(c, cal, now, opts);
  let t = p.nextAt?.getTime() ?? Infinity;
  for (const n of p.due) t = Math.min(t, n.audience === 'citizen' ? now.getTime() : nextOpening(cal, now).getTime());
  return Number.isFinite(t) ? new Date(t) : undefined;
}
