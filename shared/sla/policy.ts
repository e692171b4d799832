import type { ChannelCode, SubjectCategoryCode } from '../categories.ts';
import { CHANNEL_CODES } from '../categories.ts';
import { defaultCalendar } from './calendar.ts';
import type { WorkingCalendar } from './calendar.ts';

export type SlaUnit = 'officeHours' | 'workingDays' | 'calendarDays';

/** A time limit with its unit spelled out, because "2" means hours for the hotline and days for the website. */
export interface SlaTarget {
  unit: SlaUnit;
  amount: number;
}

/**
 * Default time to register and act on a complaint, from the centre's published service standard per
 * channel (PRODUCT.md). A plain object so per-unit / per-category policy can later be layered over it.
 */
export const DEFAULT_ACK_TARGETS: Readonly<Record<ChannelCode, SlaTarget>> = {
  // The standard says "2 hours"; counted in office hours because nobody acts on a call logged at 23:00 until the office opens.
  hotline: { unit: 'officeHours', amount: 2 },
  letter: { unit: 'workingDays', amount: 8.5 },
  website: { unit: 'workingDays', amount: 2 },
  mobile_app: { unit: 'workingDays', amount: 1 },
  walk_in: { unit: 'workingDays', amount: 1.5 },
  line: { unit: 'workingDays', amount: 1 },
  // Our assumption: the standard has no row for the mobile service team; a case taken in the field is treated like a walk-in.
  mobile_team: { unit: 'workingDays', amount: 1.5 },
};

/** Royal Decree on Good Governance B.E. 2546 s.38: answer the complainant, or tell them what is being done, within 15 days. */
export const ANSWER_TARGET: Readonly<SlaTarget> = { unit: 'calendarDays', amount: 15 };

/** When a target measured from `start` runs out. */
export function dueAt(target: SlaTarget, start: Date, cal: WorkingCalendar = defaultCalendar): Date {
  switch (target.unit) {
    case 'officeHours':
      return cal.addOfficeMinutes(start, target.amount * 60);
    case 'workingDays':
      return cal.addWorkingDays(start, target.amount);
    case 'calendarDays':
      return cal.addCalendarDays(start, target.amount);
    default:
      throw new RangeError(`unknown SLA unit ${JSON.stringify((target as { unit: unknown }).unit)} / หน่วยเวลา SLA ไม่ถูกต้อง`);
  }
}

/** Acknowledgement deadline for a case received on `channel` at `receivedAt`, by the default policy. */
export function ackDueAt(channel: ChannelCode, receivedAt: Date, cal: WorkingCalendar = defaultCalendar): Date {
  // Channel often comes straight from a request body; a clear error beats a TypeError on `undefined.unit`.
  if (!(CHANNEL_CODES as readonly string[]).includes(channel)) {
    throw new RangeError(`unknown channel ${JSON.stringify(channel)} / ไม่รู้จักช่องทาง`);
  }
  return dueAt(DEFAULT_ACK_TARGETS[channel], receivedAt, cal);
}

/** First-answer deadline under s.38: 15 calendar days after receipt. */
export function answerDueAt(receivedAt: Date, cal: WorkingCalendar = defaultCalendar): Date {
  return dueAt(ANSWER_TARGET, receivedAt, cal);
}

/** Resolution target when neither the category nor the unit says otherwise: 30 working days (PRODUCT.md). */
export const DEFAULT_RESOLVE_TARGET: Readonly<SlaTarget> = { unit: 'workingDays', amount: 30 };

export type DeadlineKind = 'ack' | 'answer' | 'resolve';

/**
 * A reopened case gets a fresh, shorter resolution window from the reopen: the work is known and the
 * complainant has already waited once. Our assumption; the centres' documents set no figure.
 */
export const DEFAULT_REOPEN_TARGET: Readonly<SlaTarget> = { unit: 'workingDays', amount: 10 };

/** What one policy layer (the defaults, or one unit) may set; anything absent falls through to the next layer. */
export interface SlaTargets {
  ack?: Partial<Record<ChannelCode, SlaTarget>>;
  answer?: SlaTarget;
  resolve?: { default?: SlaTarget; byCategory?: Partial<Record<SubjectCategoryCode, SlaTarget>> };
  /** Time to resolve a case the complainant reopened (the problem was not fixed), counted from the reopen. */
  reopen?: SlaTarget;
}

/** The effective policy: defaults plus per-unit overrides (config/sla-policy.json, see shared/sla/load.ts). */
export interface SlaPolicy {
  default: SlaTargets;
  /** Keyed by unit code (MOI, 50, 5001, a partner agency's code). A unit's rule also applies to the units below it. */
  units: Record<string, SlaTargets>;
}

/** The built-in policy, used when no policy file exists and under every file (a file only needs to say what differs). */
export const DEFAULT_POLICY: SlaPolicy = {
  default: {
    ack: { ...DEFAULT_ACK_TARGETS },
    answer: { ...ANSWER_TARGET },
    resolve: { default: { ...DEFAULT_RESOLVE_TARGET }, byCategory: {} },
    reopen: { ...DEFAULT_REOPEN_TARGET },
  },
  units: {},
};

/** The target that applies and where it came from, for `sla explain` and the admin CLI. */
export interface AppliedTarget {
  target: SlaTarget;
  /** Path of the rule in the policy file, e.g. `units.50.resolve.byCategory.petition` or `default.ack.line`. */
  rule: string;
  /** The unit whose override applied; absent for the default. */
  unitCode?: string;
  /** True when the override belongs to a parent of the case's unit (a province's rule on its districts). */
  inherited: boolean;
}

export interface TargetQuery {
  channel: ChannelCode;
  category: SubjectCategoryCode;
  /** The case's unit first, then its parent, grandparent… (shared/sla/deadlines.ts `unitChain`). */
  unitChain: readonly string[];
}

function pick(layer: SlaTargets | undefined, kind: DeadlineKind, q: TargetQuery): { target: SlaTarget; path: string } | undefined {
  if (!layer) return undefined;
  if (kind === 'ack') {
    const t = layer.ack?.[q.channel];
    return t && { target: t, path: `ack.${q.channel}` };
  }
  if (kind === 'answer') return layer.answer && { target: layer.answer, path: 'answer' };
  const byCat = layer.resolve?.byCategory?.[q.category];
  if (byCat) return { target: byCat, path: `resolve.byCategory.${q.category}` };
  return layer.resolve?.default && { target: layer.resolve.default, path: 'resolve.default' };
}

/**
 * The target for one deadline: the nearest unit that sets it wins (the case's unit, then its parent,
 * and so on up to the ministry), then the policy defaults, then the built-in defaults. Within one layer a
 * category's resolution target beats that layer's general one.
 */
export function targetFor(policy: SlaPolicy, kind: DeadlineKind, q: TargetQuery): AppliedTarget {
  if (kind === 'ack' && !(CHANNEL_CODES as readonly string[]).includes(q.channel)) {
    throw new RangeError(`unknown channel ${JSON.stringify(q.channel)} / ไม่รู้จักช่องทาง`);
  }
  for (let i = 0; i < q.unitChain.length; i++) {
    const code = q.unitChain[i]!;
    const hit = pick(policy.units[code], kind, q);
    if (hit) return { target: { ...hit.target }, rule: `units.${code}.${hit.path}`, unitCode: code, inherited: i > 0 };
  }
  const hit = pick(policy.default, kind, q) ?? pick(DEFAULT_POLICY.default, kind, q)!;
  return { target: { ...hit.target }, rule: `default.${hit.path}`, inherited: false };
}

/** The resolution target after a reopen: the nearest unit of the chain that sets `reopen`, else the policy's default. */
export function reopenTargetFor(policy: SlaPolicy, unitChain: readonly string[]): AppliedTarget {
  for (let i = 0; i < unitChain.length; i++) {
    const code = unitChain[i]!;
    const t = policy.units[code]?.reopen;
    if (t) return { target: { ...t }, rule: `units.${code}.reopen`, unitCode: code, inherited: i > 0 };
  }
  return { target: { ...(policy.default.reopen ?? DEFAULT_REOPEN_TARGET) }, rule: 'default.reopen', inherited: false };
}
