/**
 * One SLA run: find what is due on the cases whose `slaNextAt` has come, send each officer ONE digest, the citizens their
 * apologies, and record escalations. Exactly-once, without transactions:
 *   1. the whole run (every message and every key it covers) is written as batch documents of
 *      bounded size, the head last; its id is derived from the keys (a second run computing the
 *      same thing is refused);
 *   2. the keys are added to each case's `slaSent` (and escalations to its level and timeline), and
 *      its `slaNextAt` moves on to the next moment anything is due for it;
 *   3. the messages are pushed with retry keys seeded by batch + recipient, then the batch is done.
 * A run first finishes any batch a crashed run left behind (steps 2–3 again: both are idempotent,
 * and LINE answers a repeated retry key with 409), so nothing is sent twice or lost.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Schema, type Model } from 'mongoose';
import type { Clock } from '../../shared/clock.ts';
import { OPEN_STATUSES } from '../../shared/categories.ts';
import { updateCaseGuarded } from '../../shared/store/guardedUpdate.ts';
import { th } from '../../shared/i18n/th.ts';
import type { LineClient } from '../../shared/line/client.ts';
import type { Logger } from '../../shared/logger.ts';
import type { CaseDoc, Models } from '../../shared/models/index.ts';
import { storeCapsOf } from '../../shared/store/engine.ts';
import type { WorkingCalendar } from '../../shared/sla/calendar.ts';
import { groupDigests, isGroupId } from './groups.ts';
import { citizenApology, officerDigest, type DigestLine } from './messages.ts';
import { liffUrl, type LinkConfig } from '../../shared/links.ts';
import { nearestActors, unitLadder, withStoredLadder } from '../../shared/cases/access.ts';
import { isOfficeTime, nextWake, planCase, type SlaCase, type SlaNotification, type SlaPlanOptions } from '../../shared/sla/plan.ts';

export interface SlaDeps {
  models: Models;
  line: LineClient;
  log: Logger;
  clock: Clock;
  calendar: WorkingCalendar;
  plan?: SlaPlanOptions;
  /** Where links in messages point: the escalation digest links to the head's list of late cases below. */
  links?: LinkConfig;
}

const batchSchema = new Schema({
  _id: String,
  at: { type: Date, required: true },
  /** One text per recipient (flat: FerretDB v1 has no nested arrays). */
  messages: [{ _id: false, to: String, text: String }],
  /** Keys to record per case; escalations carry their level and target unit. */
  marks: [{ _id: false, caseId: String, key: String, level: Number, unitCode: String, window: String }],
  /**
   * A run too big for one document is split: parts `${id}:1` … `${id}:${parts - 1}` (with `run`
   * set) are written first, then the head `${id}` (part 0, no `run`) commits the whole run.
   */
  parts: { type: Number, default: 1 },
  run: String,
  doneAt: { type: Date, default: null },
}, { versionKey: false });
batchSchema.index({ doneAt: 1 });

type Mark = { caseId: string; key: string; level?: number | null; unitCode?: string | null; window?: string | null };
type Batch = { _id: string; at: Date; messages: { to: string; text: string }[]; marks: Mark[]; parts?: number | null; run?: string | null; doneAt: Date | null };

/** Per batch document: well under MongoDB's 16 MB whatever the digests say (a digest is ≤ 5,000 chars). */
const MARKS_PER_PART = 5_000;
const MESSAGE_CHARS_PER_PART = 1_000_000;
/** shared/store/claim.ts lets another writer take a claim over after 30 s; ours write well within. */
const CLAIM_YOUNG_MS = 10_000;
/** Cases claimed with one insert and then written, per step of a run. */
const WRITE_CHUNK = 500;
/** Cases read by `_id` at once (each read is its own round trip on FerretDB). */
const READ_CONCURRENCY = 16;
/** LINE pushes in flight at once: well under the Messaging API's rate limit, enough to hide its latency. */
const PUSH_CONCURRENCY = 8;

/** Cases written at once: one on FerretDB/SQLite (concurrent writers fail with SQLITE_BUSY there) (or SQLITE_BUSY). */
const writeConcurrency = async (models: Models) => ((await storeCapsOf(models)).concurrentWriters ? 8 : 1);

/** The runs' case writes carry no guard (they are computed from the claimed version): on FerretDB, write by `_id` alone. */
const byIdOnFerret = async (models: Models) => ({ byIdOnly: (await storeCapsOf(models)).filtersScan });

/** What a run reads of a case (not the description, attachments or outbox). */
const RUN_PROJECTION = {
  status: 1, unitCode: 1, concernedUnitCode: 1, receivedAt: 1, createdAt: 1, ackDueAt: 1, answerDueAt: 1, resolveDueAt: 1,
  escalationLevel: 1, slaSent: 1, timeline: 1, complainant: 1, trackingNo: 1, assignee: 1, version: 1, slaNextAt: 1,
} as const;

export function slaBatchModel(models: Models): Model<Batch> {
  return (models.conn.models.SlaBatch as Model<Batch> | undefined) ?? models.conn.model<Batch>('SlaBatch', batchSchema as unknown as Schema<Batch>, 'sla_batches');
}

export interface RunResult {
  /** Messages pushed (digests + citizen notices). */
  messages: number;
  notifications: number;
  /** Batches left by an earlier crashed run and finished now. */
  recovered: number;
  /** Cases the run looked at (`slaNextAt <= now`). */
  cases?: number;
  /** Where the time went (bench:sla prints it). */
  phasesMs?: { read: number; compose: number; recordAndSend: number; advanceRest: number };
}

/** Options to stop a run between its steps: tests use it to simulate a crash. */
export interface RunHooks {
  afterBatchWritten?: () => void | Promise<void>;
  afterMarked?: () => void | Promise<void>;
  afterPush?: (i: number) => void | Promise<void>;
}

async function eachLimited<T>(items: T[], limit: number, f: (x: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (i < items.length) await f(items[i++]);
  }));
}

const sameTime = (a: Date | null | undefined, b: Date | undefined) => (a ? new Date(a).getTime() : undefined) === b?.getTime();

/** Which cases a run looks at. */
export interface RunScope {
  /**
   * The cases whose wake-up jobs fired (workers/sla/worker.ts): each is read by `_id`, the one query
   * FerretDB answers without scanning every case. Absent: every case with `slaNextAt <= now` (a scan
   * on FerretDB, an index range on MongoDB) — the periodic safety-net run and the tests' runs.
   */
  caseIds?: string[];
}

/** Reads the listed cases that are due (`slaNextAt <= now`), by `_id`, a few at a time. */
async function dueByIds(deps: SlaDeps, ids: string[], now: Date): Promise<CaseDoc[]> {
  const out: CaseDoc[] = [];
  await eachLimited([...new Set(ids)].filter((id) => /^[0-9a-f]{24}$/.test(id)), READ_CONCURRENCY, async (id) => {
    const c = await deps.models.Case.findById(id, RUN_PROJECTION).lean<CaseDoc>();
    if (c?.slaNextAt && new Date(c.slaNextAt).getTime() <= now.getTime()) out.push(c);
  });
  return out;
}

export async function runSla(deps: SlaDeps, now: Date = deps.clock.now(), hooks: RunHooks = {}, scope: RunScope = {}): Promise<RunResult> {
  const Batch = slaBatchModel(deps.models);
  let recovered = 0;
  // Heads only (parts carry `run`): a run whose head was never written never happened.
  for (const b of await Batch.find({ doneAt: null, run: { $exists: false } }).sort({ at: 1 }).lean<Batch[]>()) {
    await finishRun(deps, b, {});
    recovered++;
  }

  const t0 = performance.now();
  const officeOpen = isOfficeTime(deps.calendar, now);
  const due: { n: SlaNotification; c: CaseDoc }[] = [];
  const looked: CaseDoc[] = [];
  // Only the cases whose next moment has come, only the fields the planner reads.
  const source: AsyncIterable<unknown> | CaseDoc[] = scope.caseIds
    ? await dueByIds(deps, scope.caseIds, now)
    : deps.models.Case.find({ slaNextAt: { $lte: now } }, RUN_PROJECTION).lean<CaseDoc[]>().cursor({ batchSize: 1000 });
  for await (const doc of source) {
    const c = await withStoredLadder(deps.models, doc as unknown as CaseDoc);
    looked.push(c);
    for (const n of planCase(c as unknown as SlaCase, deps.calendar, now, deps.plan).due) {
      // Quiet hours: officer messages wait for the office to open; the citizen's notice does not.
      if (n.audience !== 'citizen' && !officeOpen) continue;
      due.push({ n, c });
    }
  }
  const tRead = performance.now();
  const marked = new Set(due.map(({ n }) => n.caseId));
  // Cases with nothing to send now: just move their clock on.
  const advanceRest = async () => recordCases(deps, now, looked.filter((c) => !marked.has(String(c._id))).map((c) => [String(c._id), []]), known);
  const known = new Map(looked.map((c) => [String(c._id), c]));
  if (!due.length) {
    await advanceRest();
    return { messages: 0, notifications: 0, recovered, cases: looked.length };
  }

  const byRecipient = new Map<string, DigestLine[]>();
  const citizenTexts: { to: string; text: string }[] = [];
  /** Everything officers are told this run, for the units' LINE groups. */
  const unitLines: DigestLine[] = [];
  const unitNames = new Map<string, string>();
  const unitName = async (code: string) => {
    if (!unitNames.has(code)) unitNames.set(code, (await deps.models.Unit.findById(code).lean())?.nameTh ?? code);
    return unitNames.get(code)!;
  };
  const who = await officerDirectory(deps.models, due);
  for (const { n, c } of due) {
    if (n.audience === 'citizen') {
      const to = c.complainant?.lineUserId;
      if (to) citizenTexts.push({ to, text: citizenApology(c.trackingNo, n.newExpectedAt ?? n.deadline, c.complainant?.lang === 'en' ? 'en' : 'th') });
      continue;
    }
    const to = await who(c, n);
    if (!to.length) deps.log.warn({ case: c.trackingNo, unit: n.unitCode, kind: n.kind }, 'SLA notification has nobody to go to');
    const line: DigestLine = { n, trackingNo: c.trackingNo, unitName: n.kind === 'escalate' ? await unitName(c.unitCode) : undefined };
    unitLines.push(line);
    for (const u of to) {
      const list = byRecipient.get(u) ?? [];
      if (!list.some((l) => l.n.key === n.key)) list.push(line);
      byRecipient.set(u, list);
    }
  }
  const messages = [
    ...[...byRecipient].sort(([a], [b]) => a.localeCompare(b)).map(([to, lines]) => ({ to, text: officerDigest(lines, now, 'th', deps.links ? liffUrl(deps.links, '/officer/below?filter=late') : undefined) })),
    // One message per run in each linked group of a unit (no complainant data).
    ...(await groupDigests(deps.models, unitLines, now)),
    ...citizenTexts,
  ];
  const marks: Mark[] = due.map(({ n }) => ({ caseId: n.caseId, key: n.key, level: n.level, unitCode: n.unitCode, window: n.window }));
  const id = createHash('sha1').update(marks.map((m) => m.key).sort().join('\n')).digest('hex');

  // Split into documents of bounded size; the head (part 0) is written last and commits the run.
  const msgChunks: Batch['messages'][] = [[]];
  let chars = 0;
  for (const m of messages) {
    if (chars + m.text.length > MESSAGE_CHARS_PER_PART && msgChunks[msgChunks.length - 1].length) { msgChunks.push([]); chars = 0; }
    msgChunks[msgChunks.length - 1].push(m);
    chars += m.text.length;
  }
  const parts = Math.max(msgChunks.length, Math.ceil(marks.length / MARKS_PER_PART));
  const docs: Batch[] = Array.from({ length: parts }, (_, i) => ({
    _id: i ? `${id}:${i}` : id, at: now, messages: msgChunks[i] ?? [], marks: marks.slice(i * MARKS_PER_PART, (i + 1) * MARKS_PER_PART),
    parts, ...(i ? { run: id } : {}), doneAt: null,
  }));
  // Another run already took exactly this work.
  if (await Batch.exists({ _id: id })) return { messages: 0, notifications: 0, recovered, cases: looked.length };
  for (const d of docs.slice(1)) await Batch.replaceOne({ _id: d._id }, d, { upsert: true });
  try {
    await Batch.create(docs[0]);
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return { messages: 0, notifications: 0, recovered, cases: looked.length };
    throw err;
  }
  await hooks.afterBatchWritten?.();
  const tBatch = performance.now();
  await finishRun(deps, docs[0], hooks, known);
  const tFinish = performance.now();
  await advanceRest();
  const ms = (a: number, b: number) => Math.round(b - a);
  return {
    messages: messages.length, notifications: due.length, recovered, cases: looked.length,
    phasesMs: { read: ms(t0, tRead), compose: ms(tRead, tBatch), recordAndSend: ms(tBatch, tFinish), advanceRest: ms(tFinish, performance.now()) },
  };
}

/**
 * Steps 2 and 3 of a run, over all its parts; safe to repeat. `known`: the cases as the run read
 * them (absent when finishing a crashed run's batch: then they are read again).
 */
async function finishRun(deps: SlaDeps, head: Batch, hooks: RunHooks, known?: Map<string, CaseDoc>): Promise<void> {
  const Batch = slaBatchModel(deps.models);
  const all: Batch[] = [head];
  for (let i = 1; i < (head.parts ?? 1); i++) {
    const p = await Batch.findById(`${head._id}:${i}`).lean<Batch>();
    if (p && !p.doneAt) all.push(p);
  }
  await recordCases(deps, new Date(head.at), groupByCase(all.flatMap((b) => b.marks)), known);
  await hooks.afterMarked?.();
  // Each push carries its own retry key (batch + recipient), so pushing several at once (and again
  // after a crash) still delivers each message once.
  const messages = all.flatMap((b) => b.messages.map((m) => ({ ...m, batch: b._id })));
  await eachLimited(messages.map((m, i) => ({ m, i })), PUSH_CONCURRENCY, async ({ m, i }) => {
    await deps.line.push(m.to, [{ type: 'text', text: m.text }], `sla:${m.batch}:${m.to}`).catch((err: Error) => {
      // A group the bot has left (its leave event not handled yet) must not hold up the run.
      if (!isGroupId(m.to) || ![400, 403, 404].includes((err as { status?: number }).status ?? 0)) throw err;
      deps.log.warn({ groupId: m.to, err: err.message }, 'SLA group digest not delivered');
    });
    await hooks.afterPush?.(i);
  });
  const doneAt = deps.clock.now();
  for (const b of all.slice(1)) await Batch.updateOne({ _id: b._id }, { $set: { doneAt } });
  await Batch.updateOne({ _id: head._id }, { $set: { doneAt } });
}

/** The update recording `marks` on a case as it is at its claimed version, and moving its `slaNextAt` on; null if nothing changes. */
function caseUpdateFor(deps: Pick<SlaDeps, 'calendar' | 'plan'>, cur: CaseDoc, marks: Mark[], at: Date): Record<string, any> | null {
  const keys = marks.map((m) => m.key);
  const update: Record<string, any> = keys.length ? { $addToSet: { slaSent: { $each: keys } } } : {};
  const esc = marks.filter((m) => m.level).sort((x, y) => (y.level ?? 0) - (x.level ?? 0))[0];
  let level = cur.escalationLevel ?? 0;
  if (esc && level < (esc.level ?? 0)) {
    level = esc.level ?? 0;
    update.$set = { escalationLevel: esc.level };
    update.$push = { timeline: { at, by: { kind: 'system' }, action: 'escalated', unitCode: esc.unitCode, note: th.slaEscalatedNote(esc.level ?? 0, esc.window ?? '') } };
  }
  // The case's next moment, as it will be once these keys are recorded.
  const after = { ...cur, slaSent: [...(cur.slaSent ?? []), ...keys], escalationLevel: level } as unknown as SlaCase;
  const next = nextWake(after, deps.calendar, at, deps.plan);
  if (!keys.length && sameTime(cur.slaNextAt, next)) return null;
  if (next) update.$set = { ...update.$set, slaNextAt: next };
  else update.$unset = { slaNextAt: 1 };
  return update;
}

/**
 * Step 2 for many cases at once (also the cases with nothing to send, `marks` empty: their clock
 * just moves on). Per chunk: the cases' versions claimed with ONE insertMany of the claim ids
 * shared/store/claim.ts uses (`<caseId>:<version>:0`, a unique insert each, atomic on FerretDB
 * too), then the claimed cases written by `_id` — on MongoDB as one bulkWrite. A claim already
 * taken (a command writing that case right now, or our own crashed run's) sends the case the
 * one-at-a-time way (updateCaseGuarded), which waits its turn or takes over a stale claim.
 */
async function recordCases(deps: SlaDeps, at: Date, entries: [string, Mark[]][], known?: Map<string, CaseDoc>): Promise<void> {
  const { models } = deps;
  const store = (await storeCapsOf(models)).engine;
  const concurrency = await writeConcurrency(models);
  const slow: [string, Mark[]][] = [];
  for (let i = 0; i < entries.length; i += WRITE_CHUNK) {
    const chunk = entries.slice(i, i + WRITE_CHUNK);
    const cur = new Map<string, CaseDoc>();
    const unread: string[] = [];
    for (const [id] of chunk) {
      const c = known?.get(id);
      if (c) cur.set(id, c);
      else unread.push(id);
    }
    await eachLimited(unread, READ_CONCURRENCY, async (id) => {
      const c = /^[0-9a-f]{24}$/.test(id) ? await models.Case.findById(id, RUN_PROJECTION).lean<CaseDoc>() : null;
      if (c) cur.set(id, await withStoredLadder(models, c));
      else deps.log.warn({ caseId: id }, 'SLA keys not recorded (case gone)');
    });
    const todo = chunk.flatMap(([id, marks]) => {
      const c = cur.get(id);
      const update = c && caseUpdateFor(deps, c, marks, at);
      return c && update ? [{ id, marks, version: c.version, update }] : [];
    });
    if (!todo.length) continue;
    const claimedAt = Date.now();
    const taken = new Set<number>();
    try {
      await models.CaseClaim.collection.insertMany(todo.map((t) => ({ _id: `${t.id}:${t.version ?? 0}:0` as never, at: new Date() })), { ordered: false });
    } catch (err) {
      const e = err as { writeErrors?: { index: number; code: number }[] | { index: number; code: number } };
      const writeErrors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
      if (!writeErrors.length || writeErrors.some((w) => w.code !== 11000)) throw err;
      for (const w of writeErrors) taken.add(w.index);
    }
    for (const i of taken) slow.push([todo[i].id, todo[i].marks]);
    const claimed = todo.filter((_t, i) => !taken.has(i));
    // Each claim proves we alone write that version and read it after it was written (see
    // updateCaseGuarded); `_id` alone then selects the case, the one filter FerretDB/SQLite indexes.
    // Only while the claims are young: past CLAIM_STALE_MS another writer may take one over, so a
    // slow chunk also matches the version.
    const young = Date.now() - claimedAt < CLAIM_YOUNG_MS;
    const op = (t: (typeof claimed)[number]) => ({
      filter: young && store !== 'mongodb' ? { _id: t.id } : { _id: t.id, version: t.version ?? { $exists: false } },
      update: { ...t.update, $inc: { version: 1 } },
    });
    if (store === 'mongodb') {
      const r = claimed.length ? await models.Case.bulkWrite(claimed.map((t) => ({ updateOne: op(t) })), { ordered: false }) : undefined;
      if (r && r.matchedCount < claimed.length) deps.log.warn({ missed: claimed.length - r.matchedCount }, 'SLA keys not recorded on some cases (gone)');
    } else {
      await eachLimited(claimed, concurrency, async (t) => {
        const { filter, update } = op(t);
        const r = await models.Case.updateOne(filter, update);
        if (!r.matchedCount) deps.log.warn({ caseId: t.id }, 'SLA keys not recorded (case gone)');
      });
    }
  }
  // The few cases someone else was writing: one at a time, from the case as it is then.
  await eachLimited(slow, concurrency, async ([caseId, marks]) => {
    // The stored ladder of the case's unit as read in this run (a partner agency's goes through its centre).
    const seen = known?.get(caseId) as (CaseDoc & { ladder?: string[] }) | undefined;
    const updated = await updateCaseGuarded(models, caseId, {}, (cur) => caseUpdateFor(deps, seen?.ladder && seen.unitCode === cur.unitCode ? { ...cur, ladder: seen.ladder } as CaseDoc : cur, marks, at) ?? {}, await byIdOnFerret(models));
    if (!updated) deps.log.warn({ caseId }, 'SLA keys not recorded (case gone or busy)');
  });
}

function groupByCase(marks: Mark[]): [string, Mark[]][] {
  const byCase = new Map<string, Mark[]>();
  for (const m of marks) {
    const list = byCase.get(m.caseId);
    if (list) list.push(m);
    else byCase.set(m.caseId, [m]);
  }
  return [...byCase];
}

/**
 * `recipients` from one read of the officers concerned (those of the units in the run, and the
 * assignees): a query per unit would be a scan of the officers per unit on FerretDB.
 */
async function officerDirectory(models: Models, due: { n: SlaNotification; c: CaseDoc }[]): Promise<(c: CaseDoc, n: SlaNotification) => Promise<string[]>> {
  const units = new Set<string>();
  const assignees = new Set<string>();
  for (const { n, c } of due) {
    if (n.audience === 'citizen') continue;
    if (n.audience === 'escalationHeads') for (const u of await unitLadder(models, n.unitCode)) units.add(u);
    else units.add(c.unitCode);
    const a = c.assignee?.officerId;
    if (a && /^[0-9a-f]{24}$/.test(a)) assignees.add(a);
  }
  type O = { _id: unknown; lineUserId: string; unitCode: string; role: string };
  const [inUnits, byId] = await Promise.all([
    units.size ? models.Officer.find({ active: true, unitCode: { $in: [...units] } }, { lineUserId: 1, unitCode: 1, role: 1 }).lean<O[]>() : [],
    assignees.size ? models.Officer.find({ active: true, _id: { $in: [...assignees] } }, { lineUserId: 1, unitCode: 1, role: 1 }).lean<O[]>() : [],
  ]);
  const officers = new Map<string, O>([...inUnits, ...byId].map((o) => [String(o._id), o]));
  const ids: Lookup = async (f) => [...officers.values()].filter((o) => (f._id === undefined || String(o._id) === f._id)
    && (f.unitCode === undefined || o.unitCode === f.unitCode)
    && (f.role === undefined || (typeof f.role === 'string' ? o.role === f.role : (f.role as { $in: string[] }).$in.includes(o.role))))
    .map((o) => o.lineUserId).sort();
  return (c, n) => recipients(models, ids, c, n);
}

type Lookup = (filter: { _id?: string; unitCode?: string; role?: string | { $in: string[] } }) => Promise<string[]>;

/** LINE user ids a notification goes to. */
async function recipients(models: Models, ids: Lookup, c: CaseDoc, n: SlaNotification): Promise<string[]> {
  const heads = (unitCode: string) => ids({ unitCode, role: 'head' });
  if (n.audience === 'escalationHeads') {
    // Only someone who can act on a case below their unit: its heads, else its executives — and if the
    // unit has neither yet, the nearest unit up the stored ladder that has (a plain officer up there
    // could read the alert but not touch the case). The one ladder rule: nearestActors.
    return (await nearestActors(models, n.unitCode, { supervisorsOnly: true, officers: (unitCode, roles) => ids({ unitCode, role: { $in: [...roles] } }) })).lineUserIds;
  }
  let to: string[] = [];
  const assigneeId = c.assignee?.officerId;
  if (assigneeId && /^[0-9a-f]{24}$/.test(assigneeId)) to = await ids({ _id: assigneeId });
  if (!to.length) to = await ids({ unitCode: c.unitCode, role: { $in: ['officer', 'head'] } });
  if (n.audience === 'officersAndHeads') to = [...new Set([...to, ...(await heads(c.unitCode))])];
  return to;
}
