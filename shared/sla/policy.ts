import type { ChannelCode } from '../categories.ts';
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
