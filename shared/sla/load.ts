/**
 * The admin-editable SLA files: the policy (config/sla-policy.json) and the holiday overrides
 * (config/holidays-override.json). Read once per process, validated with zod; a bad file stops the
 * process with a message naming the file and the key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CHANNEL_CODES, SUBJECT_CATEGORY_CODES } from '../categories.ts';
import { ConfigError } from '../config.ts';
import { WorkingCalendar, type CalendarOverrides } from './calendar.ts';
import { DEFAULT_POLICY, type SlaPolicy, type SlaTargets } from './policy.ts';

export const DEFAULT_SLA_POLICY_FILE = fileURLToPath(new URL('../../config/sla-policy.json', import.meta.url));
export const DEFAULT_HOLIDAYS_OVERRIDE_FILE = fileURLToPath(new URL('../../config/holidays-override.json', import.meta.url));

/** What a request or a worker needs to compute deadlines. */
export interface SlaContext {
  policy: SlaPolicy;
  calendar: WorkingCalendar;
}

const comment = z.union([z.string(), z.array(z.string())]).optional();

const target = z.strictObject({
  unit: z.enum(['officeHours', 'workingDays', 'calendarDays']),
  amount: z.number().positive().finite(),
});

const ackShape = Object.fromEntries(CHANNEL_CODES.map((c) => [c, target.optional()]));
const categoryShape = Object.fromEntries(SUBJECT_CATEGORY_CODES.map((c) => [c, target.optional()]));

const targets = z.strictObject({
  $comment: comment,
  ack: z.strictObject(ackShape).optional(),
  answer: target.optional(),
  resolve: z.strictObject({
    default: target.optional(),
    byCategory: z.strictObject(categoryShape).optional(),
  }).optional(),
  reopen: target.optional(),
});

const policyFile = z.strictObject({
  $comment: comment,
  default: targets.optional(),
  units: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/, 'unit code must be letters, digits, - or _'), targets).optional(),
});

const holiday = z.strictObject({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
  nameTh: z.string().min(1),
  nameEn: z.string().min(1),
  kind: z.string().default('special'),
  provisional: z.boolean().default(false),
  /** Where the day comes from (a cabinet resolution); kept for the admin, not used. */
  source: z.string().optional(),
});

const overridesFile = z.strictObject({
  $comment: comment,
  add: z.array(holiday).default([]),
  remove: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')).default([]),
});

export class SlaConfigError extends ConfigError {
  override name = 'SlaConfigError';
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SlaConfigError(`${file}: cannot read (${(err as Error).message}) / อ่านไฟล์ไม่ได้`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new SlaConfigError(`${file}: not valid JSON (${(err as Error).message}) / รูปแบบ JSON ไม่ถูกต้อง`);
  }
}

function parseFile<T>(schema: z.ZodType<T>, file: string, data: unknown): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => {
    const at = i.path.map(String);
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => `${[...at, k].join('.')}: unknown key / ไม่รู้จักคีย์นี้`).join('; ');
    return `${at.join('.') || '(top level)'}: ${i.message}`;
  });
  throw new SlaConfigError(`${file}: ${problems.join('; ')}`);
}

function dropComment(t: SlaTargets & { $comment?: unknown }): SlaTargets {
  const { $comment: _, ...rest } = t;
  return rest;
}

/** Parses a policy file's content; layers it over the built-in defaults. Exported for tests and tools. */
export function parseSlaPolicy(data: unknown, file = 'sla-policy'): SlaPolicy {
  const p = parseFile(policyFile, file, data);
  const d = p.default ?? {};
  return {
    default: {
      ack: { ...DEFAULT_POLICY.default.ack, ...d.ack },
      answer: d.answer ?? DEFAULT_POLICY.default.answer,
      resolve: {
        default: d.resolve?.default ?? DEFAULT_POLICY.default.resolve!.default,
        byCategory: { ...DEFAULT_POLICY.default.resolve!.byCategory, ...d.resolve?.byCategory },
      },
      reopen: d.reopen ?? DEFAULT_POLICY.default.reopen,
    },
    units: Object.fromEntries(Object.entries(p.units ?? {}).map(([code, t]) => [code, dropComment(t)])),
  };
}

/** Reads the policy file: `file`, else SLA_POLICY_FILE, else config/sla-policy.json (built-in defaults if that one is absent). */
export function loadSlaPolicy(env: Record<string, string | undefined> = process.env, file?: string): SlaPolicy {
  const path = file ?? (env.SLA_POLICY_FILE || undefined);
  if (!path && !existsSync(DEFAULT_SLA_POLICY_FILE)) return DEFAULT_POLICY;
  const f = path ?? DEFAULT_SLA_POLICY_FILE;
  return parseSlaPolicy(readJson(f), f);
}

/** Reads the holiday overrides: `file`, else HOLIDAYS_OVERRIDE_FILE, else config/holidays-override.json (none if absent). */
export function loadHolidayOverrides(env: Record<string, string | undefined> = process.env, file?: string): CalendarOverrides {
  const path = file ?? (env.HOLIDAYS_OVERRIDE_FILE || undefined);
  if (!path && !existsSync(DEFAULT_HOLIDAYS_OVERRIDE_FILE)) return {};
  const f = path ?? DEFAULT_HOLIDAYS_OVERRIDE_FILE;
  const o = parseFile(overridesFile, f, readJson(f));
  return { add: o.add.map(({ source: _, ...h }) => h), remove: o.remove };
}

/** The shipped holiday table with the admin overrides applied: the calendar the app uses. */
export function loadCalendar(env: Record<string, string | undefined> = process.env, file?: string): WorkingCalendar {
  const overrides = loadHolidayOverrides(env, file);
  try {
    return new WorkingCalendar(undefined, overrides);
  } catch (err) {
    throw new SlaConfigError(`${file ?? env.HOLIDAYS_OVERRIDE_FILE ?? DEFAULT_HOLIDAYS_OVERRIDE_FILE}: ${(err as Error).message}`);
  }
}

export function loadSlaContext(env: Record<string, string | undefined> = process.env): SlaContext {
  return { policy: loadSlaPolicy(env), calendar: loadCalendar(env) };
}

let cached: SlaContext | undefined;

/** The process's SLA context from process.env, loaded once (call it at start-up so a bad file fails early). */
export function slaContext(): SlaContext {
  return (cached ??= loadSlaContext(process.env));
}
