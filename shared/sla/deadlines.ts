/**
 * The deadlines every case carries (ackDueAt, answerDueAt, resolveDueAt), computed in ONE place from
 * the policy and the working calendar: openCase, forwardCase and `sla explain` all call computeDeadlines.
 */
import type { ChannelCode, SubjectCategoryCode } from '../categories.ts';
import type { Models } from '../models/index.ts';
import { buildUnitCatalog } from '../units/catalog.ts';
import type { Holiday, WorkingCalendar } from './calendar.ts';
import type { SlaContext } from './load.ts';
import { dueAt, targetFor, type AppliedTarget, type DeadlineKind, type SlaPolicy, type SlaTarget } from './policy.ts';

export interface DeadlineInput {
  /** When the complaint reached the centre: the citizen's clock and the resolution clock run from here. */
  receivedAt: Date;
  channel: ChannelCode;
  category: SubjectCategoryCode;
  /** The responsible unit first, then its ancestors (unitChain()). */
  unitChain: readonly string[];
  /** When the responsible unit got the case, if later than receipt (a forward): the acknowledgement clock runs from here. */
  ackFrom?: Date;
}

export interface AppliedDeadline extends AppliedTarget {
  kind: DeadlineKind;
  from: Date;
  dueAt: Date;
}

export interface Deadlines {
  ackDueAt: Date;
  answerDueAt: Date;
  resolveDueAt: Date;
  applied: Record<DeadlineKind, AppliedDeadline>;
}

export function computeDeadlines(input: DeadlineInput, ctx: SlaContext): Deadlines {
  const q = { channel: input.channel, category: input.category, unitChain: input.unitChain };
  const one = (kind: DeadlineKind, from: Date): AppliedDeadline => {
    const applied = targetFor(ctx.policy, kind, q);
    return { ...applied, kind, from, dueAt: dueAt(applied.target, from, ctx.calendar) };
  };
  const applied = {
    ack: one('ack', input.ackFrom ?? input.receivedAt),
    answer: one('answer', input.receivedAt),
    resolve: one('resolve', input.receivedAt),
  };
  return { ackDueAt: applied.ack.dueAt, answerDueAt: applied.answer.dueAt, resolveDueAt: applied.resolve.dueAt, applied };
}

let catalogParents: Map<string, string | null> | undefined;

/**
 * `code` and its ancestors up to the ministry, for policy lookups. The fixed tree (ministry, provinces,
 * districts) comes from the catalog without a query; partner agencies that admins added are looked up
 * in the Unit collection when `models` is given. Unknown codes end the chain.
 */
export async function unitChain(code: string, models?: Pick<Models, 'Unit'>): Promise<string[]> {
  catalogParents ??= new Map(buildUnitCatalog().map((u) => [u.code, u.parentCode]));
  const chain: string[] = [];
  let cur: string | null | undefined = code;
  while (cur && !chain.includes(cur) && chain.length < 10) {
    chain.push(cur);
    if (catalogParents.has(cur)) cur = catalogParents.get(cur);
    else if (models) cur = ((await models.Unit.findById(cur, { parentCode: 1 }).lean()) as { parentCode?: string | null } | null)?.parentCode;
    else cur = null;
  }
  return chain;
}

/** The chain only when the policy has unit overrides at all: with none, intake needs no lookup. */
export async function unitChainFor(policy: SlaPolicy, code: string, models?: Pick<Models, 'Unit'>): Promise<string[]> {
  return Object.keys(policy.units).length ? unitChain(code, models) : [code];
}

const BANGKOK_OFFSET_MS = 7 * 3_600_000;

/** `2026-04-17T09:00:00+07:00` (milliseconds only when there are any). */
export function toBangkokIso(d: Date): string {
  const s = new Date(d.getTime() + BANGKOK_OFFSET_MS).toISOString();
  const ms = s.slice(19, 23);
  return `${s.slice(0, 19)}${ms === '.000' ? '' : ms}+07:00`;
}

/** A Bangkok calendar date `YYYY-MM-DD` of `d`. */
export function bangkokDate(d: Date): string {
  return toBangkokIso(d).slice(0, 10);
}

const WEEKDAYS = [
  { th: 'วันอาทิตย์', en: 'Sunday' }, { th: 'วันจันทร์', en: 'Monday' }, { th: 'วันอังคาร', en: 'Tuesday' },
  { th: 'วันพุธ', en: 'Wednesday' }, { th: 'วันพฤหัสบดี', en: 'Thursday' }, { th: 'วันศุกร์', en: 'Friday' }, { th: 'วันเสาร์', en: 'Saturday' },
];

export interface SkippedDay {
  date: string;
  weekday: { th: string; en: string };
  /** The government holiday on that date, if any (a weekend day may be one too). */
  holiday?: Holiday;
}

/** Closed days (weekends, holidays) from the Bangkok date of `from` to that of `to`, inclusive. */
export function closedDaysBetween(cal: WorkingCalendar, from: Date, to: Date): SkippedDay[] {
  const out: SkippedDay[] = [];
  // Noon Bangkok of each day: safely inside the day whatever the offset arithmetic.
  let t = Date.parse(`${bangkokDate(from)}T12:00:00+07:00`);
  const end = Date.parse(`${bangkokDate(to)}T12:00:00+07:00`);
  for (; t <= end; t += 86_400_000) {
    const d = new Date(t);
    if (cal.isWorkingDay(d)) continue;
    const holiday = cal.holiday(d);
    const weekday = WEEKDAYS[new Date(t + BANGKOK_OFFSET_MS).getUTCDay()]!;
    out.push(holiday ? { date: bangkokDate(d), weekday, holiday } : { date: bangkokDate(d), weekday });
  }
  return out;
}

const UNIT_LABELS: Record<SlaTarget['unit'], { th: string; en: (n: number) => string }> = {
  officeHours: { th: 'ชั่วโมงทำการ', en: (n) => `office hour${n === 1 ? '' : 's'}` },
  workingDays: { th: 'วันทำการ', en: (n) => `working day${n === 1 ? '' : 's'}` },
  calendarDays: { th: 'วัน (นับวันปฏิทิน)', en: (n) => `calendar day${n === 1 ? '' : 's'}` },
};

/** `1 วันทำการ / 1 working day`. */
export function describeTarget(t: SlaTarget): string {
  const u = UNIT_LABELS[t.unit];
  return `${t.amount} ${u.th} / ${t.amount} ${u.en(t.amount)}`;
}
