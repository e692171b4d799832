/**
 * Report counters: what the official tables are read from, so a report reads one document per fiscal
 * year, never the cases.
 *
 * One document per (scope, unit, fiscal year of receipt): `_id` = `o:<unit>:<BE year>` counts the
 * unit's own cases, `t:<unit>:<BE year>` the unit and every unit under it. Inside, `c` maps
 * `<p|d><row>_<received yyyymm>_<closed yyyymm | o>` to a number of cases — both formats, each case
 * counted once per format: its row, the month it was received and the month it was closed (ยุติเรื่อง)
 * or `o` while it is not closed. "Closed by the end of the period" is then a comparison of months, so
 * one document answers a fiscal year, any month and any whole-month range.
 *
 * Tree documents are kept up to date alongside own ones (a case counts in its unit's own document and
 * in the tree documents of its unit and every unit above), so the province-wide table is one read and
 * the consistency law (province own + its districts = province tree) is a real check, not a sum.
 *
 * Exactness. FerretDB v1 runs `$inc` as read → modify → replace with no transaction: concurrent
 * increments of one document lose updates (measured 330 of 2,000). So each counter document carries a
 * `version`, and a write first claims that version with a unique insert (shared/store/claim.ts, "one
 * writer per version", the same claim as case writes), then replaces the counts (`s`, see countsOf)
 * at that version only: writes to one counter document happen one after another across all
 * processes, and nothing is lost. MongoDB takes the same path. A writer that dies holding a claim
 * blocks that document for 30 s.
 *
 * Exactly once. Case changes reach the counters as domain events (applyEventCounters): the command
 * applies its event right after the case write, and the worker's counters consumer applies it again
 * from the case outbox, so a crash in between heals by itself. Each document lists the events it has
 * applied in the same write as the counts, so the second application adds nothing.
 */
import { Schema, type Model } from 'mongoose';
import type { CaseDoc, Models } from '../models/index.ts';
import { claimVersion, pause } from '../store/claim.ts';
import { fiscalYearOfMonth, monthOf } from './period.ts';
import { OFFICE_CLOSE_MINUTE, OFFICE_DAY_MINUTES, OFFICE_OPEN_MINUTE, type WorkingCalendar } from '../sla/calendar.ts';
import { officeMinutesBetween } from '../sla/officeTime.ts';
import { slaContext } from '../sla/load.ts';
import { rowMapping, type RowMapping } from './rows.ts';
import { missingMask, type CompletenessInput } from './completeness.ts';

export interface CounterDoc {
  _id: string;
  /** key → cases (MongoDB: kept by `$inc`); see the file comment. */
  c?: Record<string, number>;
  /** The same map as one JSON string, see below. */
  s?: string;
  /** Domain events applied (JSON id → ms), see applyEventCounters. */
  e?: string;
  version: number;
}

const counterSchema = new Schema<CounterDoc>({
  _id: String,
  c: { type: Schema.Types.Mixed },
  s: String,
  e: String,
  version: { type: Number, default: 0 },
}, { versionKey: false, minimize: false });

/**
 * The counts of a counter document. On FerretDB they are one JSON string (`s`): FerretDB decodes a
 * document field by field, and a document of a thousand keys took 100× longer to read than a small
 * one (measured: ~200 ms vs ~5 ms on the loaded test machine), which a report cannot afford. Writes
 * are serialised per document anyway (the version claim), so read → modify → write of the string is
 * as exact as `$inc`. Documents written by older versions may still hold the map `c`: readers merge both.
 */
export function countsOf(doc: Pick<CounterDoc, 'c' | 's'> | null | undefined): Record<string, number> {
  if (!doc) return {};
  const out: Record<string, number> = doc.s ? JSON.parse(doc.s) : {};
  for (const [k, v] of Object.entries(doc.c ?? {})) out[k] = (out[k] ?? 0) + (v ?? 0);
  return out;
}

export function reportCounterModel(models: Pick<Models, 'conn'>): Model<CounterDoc> {
  return (models.conn.models.ReportCounter as Model<CounterDoc> | undefined) ?? models.conn.model<CounterDoc>('ReportCounter', counterSchema, 'report_counters');
}

/** What a case contributes to the tables: nothing else about it matters to a report. */
export interface CaseFacts {
  unitCode: string;
  provinceRow: number;
  districtRow: number;
  /** yyyymm received (Bangkok). */
  month: number;
  /** yyyymm closed (ยุติเรื่อง), or null while it is not closed. */
  closedMonth: number | null;
  /** Closed (status `closed`) only: SLA met (m), missed (x) or no deadline (n), and whole working days to close. */
  close?: { sla: 'm' | 'x' | 'n'; days: number } | null;
  /** A survey answer and the yyyymm it was given. */
  survey?: { score: number; month: number } | null;
  /** The data completeness rules it fails (completeness.ts missingMask; 0: complete). */
  missing?: number | null;
  /** Its status and category, for the dashboard's case list totals (`z` keys). */
  list?: { status: string; category: string } | null;
  /** Ever closed as resolved, and ever reopened by the complainant (`y` keys: the reopen rate per unit); null when never closed. */
  reopen?: { closed: boolean; reopened: boolean } | null;
}

/** Histogram top bucket: "this many working days or more". */
export const CLOSE_DAYS_CAP = 120;

const DAY_MS = 86_400_000;
const BKK_MS = 7 * 3_600_000;
const OPEN_MS = OFFICE_OPEN_MINUTE * 60_000;
const CLOSE_MS = OFFICE_CLOSE_MINUTE * 60_000;
const FIRST_DAY = Math.floor((Date.UTC(1990, 0, 1)) / DAY_MS);
const LAST_DAY = Math.floor((Date.UTC(2100, 0, 1)) / DAY_MS);
/** Per calendar (immutable): working days before each Bangkok day since 1990, so a span costs O(1), not a walk. */
const workingBefore = new WeakMap<WorkingCalendar, Int32Array>();
function cumulative(cal: WorkingCalendar): Int32Array {
  let cum = workingBefore.get(cal);
  if (!cum) {
    cum = new Int32Array(LAST_DAY - FIRST_DAY + 1);
    for (let i = 1; i < cum.length; i++) cum[i] = cum[i - 1]! + (cal.isWorkingDay(new Date((FIRST_DAY + i - 1) * DAY_MS - BKK_MS)) ? 1 : 0);
    workingBefore.set(cal, cum);
  }
  return cum;
}

/**
 * Whole working days (office hours / office day, floored) from receipt to close, capped at
 * CLOSE_DAYS_CAP: the same office time as shared/sla officeMinutesBetween (08:30–16:30 on working
 * days), counted with a per-calendar prefix sum because an import or a recount does it per case.
 */
export function workingDaysToClose(cal: WorkingCalendar, received: Date, closed: Date): number {
  const a = received.getTime(), b = closed.getTime();
  if (!(b > a)) return 0;
  const dayA = Math.floor((a + BKK_MS) / DAY_MS), dayB = Math.floor((b + BKK_MS) / DAY_MS);
  if (dayA < FIRST_DAY || dayB >= LAST_DAY) return Math.min(CLOSE_DAYS_CAP, Math.floor(officeMinutesBetween(cal, received, closed) / OFFICE_DAY_MINUTES));
  const cum = cumulative(cal);
  const working = (day: number) => cum[day - FIRST_DAY + 1]! - cum[day - FIRST_DAY]! === 1;
  const within = (day: number, lo: number, hi: number) => {
    if (!working(day)) return 0;
    const start = day * DAY_MS - BKK_MS;
    return Math.max(0, Math.min(hi, start + CLOSE_MS) - Math.max(lo, start + OPEN_MS));
  };
  let ms: number;
  if (dayA === dayB) ms = within(dayA, a, b);
  else {
    const full = dayB - dayA > 1 ? cum[dayB - FIRST_DAY]! - cum[dayA + 1 - FIRST_DAY]! : 0;
    ms = within(dayA, a, Infinity) + full * (CLOSE_MS - OPEN_MS) + within(dayB, -Infinity, b);
  }
  return Math.min(CLOSE_DAYS_CAP, Math.floor(ms / 60_000 / OFFICE_DAY_MINUTES));
}

/** The `report` subdocument a new case carries: its rows are fixed when it is opened. */
export function reportFieldsFor(c: { category: string; channel: string; receivedAt: Date }, mapping: RowMapping = rowMapping()) {
  return {
    provinceRow: mapping.rowFor('province', c.category as never, c.channel as never),
    districtRow: mapping.rowFor('district', c.category as never, c.channel as never),
    month: monthOf(c.receivedAt),
  };
}

export type CaseLike = Pick<CaseDoc, 'unitCode' | 'status' | 'category' | 'channel'> & {
  receivedAt?: Date | null; createdAt?: Date; updatedAt?: Date;
  resolveDueAt?: Date | null;
  resolution?: { at?: Date | null } | null;
  survey?: { score?: number | null; at?: Date | null } | null;
  report?: { provinceRow?: number | null; districtRow?: number | null; month?: number | null; closedMonth?: number | null; closeDays?: number | null; slaMet?: boolean | null; closures?: number | null; reopens?: number | null } | null;
} & Omit<CompletenessInput, 'category' | 'channel' | 'status' | 'resolution'> & { resolution?: { at?: Date | null; text?: string | null } | null };

/**
 * The overview facts of a case (see the file comment). closeCase stores `report.closeDays` and
 * `report.slaMet` when it closes a case, so a later holiday edit or deadline change does not move a
 * closed case; cases closed without them (imported, or closed before these keys existed) are
 * derived from their dates with the working calendar — the same way in the commands and in verify.
 */
export function overviewFactsOf(c: Omit<CaseLike, 'category' | 'channel'>, closedMonth: number | null, cal?: WorkingCalendar): Pick<CaseFacts, 'close' | 'survey'> {
  const r = c.report ?? {};
  let close: CaseFacts['close'] = null;
  if (c.status === 'closed' && closedMonth !== null) {
    const received = new Date(c.receivedAt ?? c.createdAt ?? 0);
    const at = new Date(c.resolution?.at ?? c.updatedAt ?? received);
    const sla = typeof r.slaMet === 'boolean' ? (r.slaMet ? 'm' : 'x') : c.resolveDueAt ? (at.getTime() <= new Date(c.resolveDueAt).getTime() ? 'm' : 'x') : 'n';
    close = { sla, days: typeof r.closeDays === 'number' ? r.closeDays : workingDaysToClose(cal ?? slaContext().calendar, received, at) };
  }
  const score = c.survey?.score;
  const survey = c.survey?.at && typeof score === 'number' && Number.isInteger(score) && score >= 1 && score <= 5 ? { score, month: monthOf(new Date(c.survey.at)) } : null;
  return { close, survey };
}

export function factsOf(c: CaseLike, mapping: RowMapping = rowMapping(), cal?: WorkingCalendar): CaseFacts {
  const r = c.report ?? {};
  const received = c.receivedAt ?? c.createdAt ?? new Date();
  const closed = mapping.isClosedStatus(c.status);
  const closedMonth = closed ? (r.closedMonth ?? monthOf(new Date(c.resolution?.at ?? c.updatedAt ?? received))) : null;
  return {
    unitCode: c.unitCode,
    provinceRow: r.provinceRow ?? mapping.rowFor('province', c.category as never, c.channel as never),
    districtRow: r.districtRow ?? mapping.rowFor('district', c.category as never, c.channel as never),
    month: r.month ?? monthOf(new Date(received)),
    closedMonth,
    ...overviewFactsOf(c, closedMonth, cal),
    missing: missingMask(c),
    list: { status: c.status, category: c.category },
    reopen: reopenFactsOf(r),
  };
}

/** The reopen facts from the stored report counts (closeCase and reopenCase keep them), the same in commands and verify. */
export function reopenFactsOf(r: { closures?: number | null; reopens?: number | null } | null | undefined): CaseFacts['reopen'] {
  const closures = r?.closures ?? 0, reopens = r?.reopens ?? 0;
  return closures > 0 || reopens > 0 ? { closed: closures > 0, reopened: reopens > 0 } : null;
}

export function counterKeys(f: CaseFacts): [string, string] {
  const end = f.closedMonth ?? 'o';
  return [`p${f.provinceRow}_${f.month}_${end}`, `d${f.districtRow}_${f.month}_${end}`];
}

/** docId → key → delta. */
export type CounterDelta = Map<string, Map<string, number>>;

function add(delta: CounterDelta, docId: string, key: string, n: number) {
  let doc = delta.get(docId);
  if (!doc) delta.set(docId, (doc = new Map()));
  const v = (doc.get(key) ?? 0) + n;
  if (v === 0) doc.delete(key);
  else doc.set(key, v);
  if (!doc.size) delta.delete(docId);
}

/** Adds (sign +1) or removes (−1) one case's contribution (or n cases' alike: sign ±n), given its unit's chain of ancestors. */
export function addFacts(delta: CounterDelta, f: CaseFacts, ancestors: readonly string[], sign: number): void {
  const docsOf = (month: number) => {
    const fy = fiscalYearOfMonth(month);
    return [`o:${f.unitCode}:${fy}`, `t:${f.unitCode}:${fy}`, ...ancestors.map((a) => `t:${a}:${fy}`)];
  };
  const put = (month: number, keys: string[]) => {
    for (const d of docsOf(month)) for (const k of keys) add(delta, d, k, sign);
  };
  put(f.month, counterKeys(f));
  if (f.close && f.closedMonth !== null) put(f.closedMonth, [`k${f.close.sla}_${f.closedMonth}`, `w${f.close.days}_${f.closedMonth}`]);
  if (f.survey) put(f.survey.month, [`v${f.survey.score}_${f.survey.month}`]);
  // Data completeness per unit, in the year of receipt: `q<unit>_<missing rules mask>`. The unit is
  // in the key so that one tree document answers the completeness page for a whole scope.
  if (typeof f.missing === 'number') put(f.month, [`q${f.unitCode}_${f.missing}`]);
  // Cases per status and category by month of receipt, `z<status>|<category>|<yyyymm>`: the case
  // list's totals and the months it pages through (dashboard/data.ts searchCases).
  if (f.list) put(f.month, [`z${f.list.status}|${f.list.category}|${f.month}`]);
  // Reopen rate per unit, in the year of receipt: `y<unit>_c` cases ever closed as resolved,
  // `y<unit>_r` cases the complainant reopened. The unit is in the key as for `q`.
  if (f.reopen) put(f.month, [...(f.reopen.closed ? [`y${f.unitCode}_c`] : []), ...(f.reopen.reopened ? [`y${f.unitCode}_r`] : [])]);
}

/** Parent chain of a unit (nearest first), read from the Unit collection and kept for a minute. */
const chainCache = new WeakMap<object, Map<string, { chain: string[]; until: number }>>();
export async function ancestorsOf(models: Pick<Models, 'Unit' | 'conn'>, unitCode: string): Promise<string[]> {
  let cache = chainCache.get(models.conn);
  if (!cache) chainCache.set(models.conn, (cache = new Map()));
  const hit = cache.get(unitCode);
  if (hit && hit.until > Date.now()) return hit.chain;
  const chain: string[] = [];
  let code: string | null | undefined = unitCode;
  for (let i = 0; i < 6 && code; i++) {
    const unit: { parentCode?: string | null } | null = await models.Unit.findById(code, { parentCode: 1 }).lean();
    code = unit?.parentCode;
    if (code) chain.push(code);
  }
  cache.set(unitCode, { chain, until: Date.now() + 60_000 });
  return chain;
}

/**
 * Event ids applied to a counter document (`e`, one JSON string like `s`: id → wall-clock ms), so a
 * domain event retried after a crash adds nothing twice. Written in the same replace as the counts,
 * at the claimed version: "counts include event X" and "X is listed" cannot be told apart by any reader.
 * An id is dropped once its event is recorded as counted everywhere (then no retry touches the
 * document again) and it is older than APPLIED_KEEP_MS, or in any case after APPLIED_MAX_MS.
 */
const APPLIED_KEEP_MS = 2 * 60_000;
const APPLIED_MAX_MS = 26 * 3600_000;

function appliedOf(doc: { e?: string } | null | undefined): Record<string, number> {
  return doc?.e ? JSON.parse(doc.e) as Record<string, number> : {};
}

async function pruneApplied(applied: Record<string, number>, isCounted?: (eventId: string) => Promise<boolean>): Promise<void> {
  const now = Date.now();
  const old: string[] = [];
  for (const [id, at] of Object.entries(applied)) {
    if (now - at > APPLIED_MAX_MS) delete applied[id];
    else if (now - at > APPLIED_KEEP_MS && old.length < 32) old.push(id);
  }
  if (!isCounted || !old.length) return;
  const done = await Promise.all(old.map((id) => isCounted(id).catch(() => false)));
  old.forEach((id, i) => { if (done[i]) delete applied[id]; });
}

export interface IncrementOptions {
  /** The domain event these increments belong to: applied to this document at most once. */
  eventId?: string;
  /** Whether an event is already counted in every document it touches (its ids may then be forgotten). */
  isCounted?: (eventId: string) => Promise<boolean>;
  /** Write only at this version (report verify --fix): false when the document changed meanwhile. */
  atVersion?: number;
}

/**
 * One counter document's increments, exact under concurrent writers on MongoDB and FerretDB alike
 * (see the file comment). Returns false only for `atVersion` when the document has moved on.
 */
async function incrementDoc(models: Models, docId: string, inc: Map<string, number>, opts: IncrementOptions = {}): Promise<boolean> {
  const Counter = reportCounterModel(models);
  for (let attempt = 0; attempt < 2000; attempt++) {
    const cur = await Counter.findById(docId).lean();
    if (!cur) {
      if (opts.atVersion !== undefined) return false;
      // A new document starts with the increments as its values (one write). Two first writers at
      // once: one insert wins, the other sees E11000 and goes round again to add to it.
      const first = { _id: docId as never, s: JSON.stringify(Object.fromEntries(inc)), version: 0, ...(opts.eventId ? { e: JSON.stringify({ [opts.eventId]: Date.now() }) } : {}) };
      const created = await Counter.collection.insertOne(first).then(() => true, (err) => {
        if ((err as { code?: number }).code !== 11000) throw err;
        return false;
      });
      if (created) return true;
      continue;
    }
    // Already in (an id only leaves the list once the event is counted everywhere): nothing to do.
    if (opts.eventId && opts.eventId in appliedOf(cur)) return true;
    const version = cur.version ?? 0;
    if (opts.atVersion !== undefined && version !== opts.atVersion) {
      // A read may lag a write that has just happened, never run ahead of one.
      if (version > opts.atVersion) return false;
      await pause(attempt % 20);
      if (attempt > 40) return false;
      continue;
    }
    if (!(await claimVersion(models, `rc:${docId}`, version))) {
      if (opts.atVersion !== undefined) return false;
      await pause(attempt % 20);
      continue;
    }
    // Version `version` is ours: what we read at it is what we replace (the update matches only it).
    const counts = countsOf(cur);
    for (const [k, n] of inc) {
      const v = (counts[k] ?? 0) + n;
      if (v) counts[k] = v;
      else delete counts[k];
    }
    const applied = appliedOf(cur);
    if (opts.eventId) {
      await pruneApplied(applied, opts.isCounted);
      applied[opts.eventId] = Date.now();
    }
    const set = { s: JSON.stringify(counts), ...(cur.e !== undefined || opts.eventId ? { e: JSON.stringify(applied) } : {}) };
    for (let i = 0; i < 40; i++) {
      const res = await Counter.updateOne({ _id: docId, version }, { $set: set, $unset: { c: 1 }, $inc: { version: 1 } });
      if (res.matchedCount) return true;
      const now = await Counter.findById(docId, { version: 1 }).lean();
      if (now && now.version > version) break; // taken over after CLAIM_STALE_MS: start again from the new version
      await pause(i);
    }
    if (opts.atVersion !== undefined) return false;
  }
  throw new Error(`report counter ${docId} stayed busy: increments not written`);
}

/**
 * Writes a delta: each counter document once, a few at a time, through the version claim on every
 * engine (one code path: MongoDB's atomic `$inc` would be faster there, but then the path the tests
 * run on FerretDB would not be the one production runs on MongoDB).
 */
export async function applyDelta(models: Models, delta: CounterDelta, concurrency = 8, opts: Omit<IncrementOptions, 'atVersion'> = {}): Promise<void> {
  if (!delta.size) return;
  const Counter = reportCounterModel(models);
  let entries = [...delta.entries()];
  if (entries.length > 8 && !opts.eventId) {
    // Many documents at once (an import): the ones that do not exist yet are written whole in one
    // insertMany; only the others (and any another writer created meanwhile: E11000) are incremented.
    const ids = entries.map(([id]) => id);
    const existing = new Set((await Counter.find({ _id: { $in: ids } }, { _id: 1 }).lean()).map((d) => d._id));
    const fresh = entries.filter(([id]) => !existing.has(id));
    const failed = new Set<number>();
    if (fresh.length) {
      await Counter.collection.insertMany(fresh.map(([id, keys]) => ({ _id: id as never, s: JSON.stringify(Object.fromEntries(keys)), version: 0 })), { ordered: false }).catch((err) => {
        const e = err as { writeErrors?: { index: number; code: number }[] | { index: number; code: number } };
        const writeErrors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
        if (!writeErrors.length || writeErrors.some((w) => w.code !== 11000)) throw err;
        for (const w of writeErrors) failed.add(w.index);
      });
    }
    entries = [...entries.filter(([id]) => existing.has(id)), ...fresh.filter((_, i) => failed.has(i))];
  }
  let next = 0;
  const worker = async () => {
    while (next < entries.length) {
      const [docId, keys] = entries[next++]!;
      await incrementDoc(models, docId, keys, opts);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, entries.length) }, worker));
}

/**
 * `report verify --fix`: each document's correction only at the version the recount was compared
 * with; a document written meanwhile is left alone (returned) for the next run to look at again.
 */
export async function applyDeltaAtVersions(models: Models, delta: CounterDelta, versions: Map<string, number | null>): Promise<string[]> {
  const skipped: string[] = [];
  for (const [docId, keys] of delta) {
    const v = versions.get(docId);
    if (v === undefined) { skipped.push(docId); continue; }
    if (v === null) {
      // Expected but absent at the recount: created now, unless a writer created it meanwhile.
      const ok = await reportCounterModel(models).collection.insertOne({ _id: docId as never, s: JSON.stringify(Object.fromEntries(keys)), version: 0 }).then(() => true, (err) => {
        if ((err as { code?: number }).code !== 11000) throw err;
        return false;
      });
      if (!ok) skipped.push(docId);
      continue;
    }
    if (!(await incrementDoc(models, docId, keys, { atVersion: v }))) skipped.push(docId);
  }
  return skipped;
}

/** What a change did to a case's place in the tables, carried by its domain event (see applyEventCounters). */
export interface CountsChange {
  before: CaseFacts | null;
  after: CaseFacts | null;
}

/** The change between two states of a case, or undefined when it counts the same before and after. */
export function countsChangeOf(before: CaseLike | null, after: CaseLike | null, cal?: WorkingCalendar): CountsChange | undefined {
  const mapping = rowMapping();
  const b = before ? factsOf(before, mapping, cal) : null;
  const a = after ? factsOf(after, mapping, cal) : null;
  if (JSON.stringify(b) === JSON.stringify(a)) return undefined;
  return { before: b, after: a };
}

/**
 * The counter side of a domain event: moves the case's contribution from what it counted as before
 * the change to what it counts as after it, exactly once per counter document however often it runs
 * (a retry after a crash, the command and the worker both). The facts travel with the event, fixed
 * at the case write, so the same event always means the same increments.
 */
export async function applyEventCounters(models: Models, event: { id: string; data: Record<string, unknown> }, isCounted?: (eventId: string) => Promise<boolean>): Promise<void> {
  const change = event.data.counts as CountsChange | undefined;
  if (!change) return;
  const delta: CounterDelta = new Map();
  if (change.before) addFacts(delta, change.before, await ancestorsOf(models, change.before.unitCode), -1);
  if (change.after) addFacts(delta, change.after, await ancestorsOf(models, change.after.unitCode), 1);
  await applyDelta(models, delta, 8, { eventId: event.id, isCounted });
}
