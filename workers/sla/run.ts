/**
 * One SLA run: find what is due on every open case, send each officer ONE digest, the citizens their
 * apologies, and record escalations. Exactly-once, without transactions:
 *   1. the whole run (every message and every key it covers) is written as ONE batch document,
 *      whose id is derived from the keys (a second run computing the same thing is refused);
 *   2. the keys are added to each case's `slaSent` (and escalations to its level and timeline);
 *   3. the messages are pushed with retry keys seeded by batch + recipient, then the batch is done.
 * A run first finishes any batch a crashed run left behind (steps 2–3 again: both are idempotent,
 * and LINE answers a repeated retry key with 409), so nothing is sent twice or lost.
 */
import { createHash } from 'node:crypto';
import { Schema, type Model } from 'mongoose';
import type { Clock } from '../../shared/clock.ts';
import { OPEN_STATUSES } from '../../shared/categories.ts';
import { updateCaseGuarded } from '../../shared/cases/caseUpdate.ts';
import type { LineClient } from '../../shared/line/client.ts';
import type { Logger } from '../../shared/logger.ts';
import type { CaseDoc, Models } from '../../shared/models/index.ts';
import type { WorkingCalendar } from '../../shared/sla/calendar.ts';
import { groupDigests, isGroupId } from './groups.ts';
import { citizenApology, officerDigest, type DigestLine } from './messages.ts';
import { isOfficeTime, planCase, type SlaNotification, type SlaPlanOptions } from './plan.ts';

export interface SlaDeps {
  models: Models;
  line: LineClient;
  log: Logger;
  clock: Clock;
  calendar: WorkingCalendar;
  plan?: SlaPlanOptions;
}

const batchSchema = new Schema({
  _id: String,
  at: { type: Date, required: true },
  /** One text per recipient (flat: FerretDB v1 has no nested arrays). */
  messages: [{ _id: false, to: String, text: String }],
  /** Keys to record per case; escalations carry their level and target unit. */
  marks: [{ _id: false, caseId: String, key: String, level: Number, unitCode: String, window: String }],
  doneAt: { type: Date, default: null },
}, { versionKey: false });
batchSchema.index({ doneAt: 1 });

type Batch = { _id: string; at: Date; messages: { to: string; text: string }[]; marks: { caseId: string; key: string; level?: number | null; unitCode?: string | null; window?: string | null }[]; doneAt: Date | null };

export function slaBatchModel(models: Models): Model<Batch> {
  return (models.conn.models.SlaBatch as Model<Batch> | undefined) ?? models.conn.model<Batch>('SlaBatch', batchSchema as unknown as Schema<Batch>, 'sla_batches');
}

export interface RunResult {
  /** Messages pushed (digests + citizen notices). */
  messages: number;
  notifications: number;
  /** Batches left by an earlier crashed run and finished now. */
  recovered: number;
}

/** Options to stop a run between its steps: tests use it to simulate a crash. */
export interface RunHooks {
  afterBatchWritten?: () => void | Promise<void>;
  afterMarked?: () => void | Promise<void>;
  afterPush?: (i: number) => void | Promise<void>;
}

export async function runSla(deps: SlaDeps, now: Date = deps.clock.now(), hooks: RunHooks = {}): Promise<RunResult> {
  const Batch = slaBatchModel(deps.models);
  let recovered = 0;
  for (const b of await Batch.find({ doneAt: null }).sort({ at: 1 }).lean<Batch[]>()) {
    await finishBatch(deps, b, {});
    recovered++;
  }

  const officeOpen = isOfficeTime(deps.calendar, now);
  const due: { n: SlaNotification; c: CaseDoc }[] = [];
  const cursor = deps.models.Case.find({ status: { $in: OPEN_STATUSES } }).lean<CaseDoc[]>().cursor({ batchSize: 500 });
  for await (const doc of cursor) {
    const c = doc as unknown as CaseDoc;
    for (const n of planCase(c, deps.calendar, now, deps.plan).due) {
      // Quiet hours: officer messages wait for the office to open; the citizen's notice does not.
      if (n.audience !== 'citizen' && !officeOpen) continue;
      due.push({ n, c });
    }
  }
  if (!due.length) return { messages: 0, notifications: 0, recovered };

  const byRecipient = new Map<string, DigestLine[]>();
  const citizenTexts: { to: string; text: string }[] = [];
  /** Everything officers are told this run, for the units' LINE groups. */
  const unitLines: DigestLine[] = [];
  const unitNames = new Map<string, string>();
  const unitName = async (code: string) => {
    if (!unitNames.has(code)) unitNames.set(code, (await deps.models.Unit.findById(code).lean())?.nameTh ?? code);
    return unitNames.get(code)!;
  };
  for (const { n, c } of due) {
    if (n.audience === 'citizen') {
      const to = c.complainant?.lineUserId;
      if (to) citizenTexts.push({ to, text: citizenApology(c.trackingNo, n.newExpectedAt ?? n.deadline, c.complainant?.lang === 'en' ? 'en' : 'th') });
      continue;
    }
    const to = await recipients(deps.models, c, n);
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
    ...[...byRecipient].sort(([a], [b]) => a.localeCompare(b)).map(([to, lines]) => ({ to, text: officerDigest(lines, now) })),
    // One message per run in each linked group of a unit (no complainant data).
    ...(await groupDigests(deps.models, unitLines, now)),
    ...citizenTexts,
  ];
  const marks = due.map(({ n }) => ({ caseId: n.caseId, key: n.key, level: n.level, unitCode: n.unitCode, window: n.window }));
  const id = createHash('sha1').update(marks.map((m) => m.key).sort().join('\n')).digest('hex');
  const batch: Batch = { _id: id, at: now, messages, marks, doneAt: null };
  try {
    await Batch.create(batch);
  } catch (err) {
    // Another run already took exactly this work.
    if ((err as { code?: number }).code === 11000) return { messages: 0, notifications: 0, recovered };
    throw err;
  }
  await hooks.afterBatchWritten?.();
  await finishBatch(deps, batch, hooks);
  return { messages: messages.length, notifications: due.length, recovered };
}

/** Steps 2 and 3 of a run; safe to repeat. */
async function finishBatch(deps: SlaDeps, b: Batch, hooks: RunHooks): Promise<void> {
  const byCase = new Map<string, Batch['marks']>();
  for (const m of b.marks) byCase.set(m.caseId, [...(byCase.get(m.caseId) ?? []), m]);
  for (const [caseId, marks] of byCase) {
    const updated = await updateCaseGuarded(deps.models, caseId, {}, (cur) => {
      const update: Record<string, any> = { $addToSet: { slaSent: { $each: marks.map((m) => m.key) } } };
      const esc = marks.filter((m) => m.level).sort((x, y) => (y.level ?? 0) - (x.level ?? 0))[0];
      if (esc && (cur.escalationLevel ?? 0) < (esc.level ?? 0)) {
        update.$set = { escalationLevel: esc.level };
        update.$push = { timeline: { at: new Date(b.at), by: { kind: 'system' }, action: 'escalated', unitCode: esc.unitCode, note: `ยกระดับระดับ ${esc.level}: เกินกำหนด ${esc.window}` } };
      }
      return update;
    });
    if (!updated) deps.log.warn({ caseId }, 'SLA keys not recorded (case gone or busy)');
  }
  await hooks.afterMarked?.();
  for (let i = 0; i < b.messages.length; i++) {
    const m = b.messages[i];
    await deps.line.push(m.to, [{ type: 'text', text: m.text }], `sla:${b._id}:${m.to}`).catch((err: Error) => {
      // A group the bot has left (its leave event not handled yet) must not hold up the run.
      if (!isGroupId(m.to) || ![400, 403, 404].includes((err as { status?: number }).status ?? 0)) throw err;
      deps.log.warn({ groupId: m.to, err: err.message }, 'SLA group digest not delivered');
    });
    await hooks.afterPush?.(i);
  }
  await slaBatchModel(deps.models).updateOne({ _id: b._id }, { $set: { doneAt: deps.clock.now() } });
}

/** LINE user ids a notification goes to. */
async function recipients(models: Models, c: CaseDoc, n: SlaNotification): Promise<string[]> {
  const heads = async (unitCode: string) => (await models.Officer.find({ unitCode, active: true, role: 'head' }, { lineUserId: 1 }).lean()).map((o) => o.lineUserId);
  if (n.audience === 'escalationHeads') {
    const h = await heads(n.unitCode);
    if (h.length) return h;
    // No head registered up there yet: its executives, then its officers, rather than nobody.
    return (await models.Officer.find({ unitCode: n.unitCode, active: true, role: { $in: ['executive', 'officer'] } }, { lineUserId: 1 }).lean()).map((o) => o.lineUserId);
  }
  let to: string[] = [];
  const assigneeId = c.assignee?.officerId;
  if (assigneeId && /^[0-9a-f]{24}$/.test(assigneeId)) {
    const o = await models.Officer.findOne({ _id: assigneeId, active: true }, { lineUserId: 1 }).lean();
    if (o) to = [o.lineUserId];
  }
  if (!to.length) {
    to = (await models.Officer.find({ unitCode: c.unitCode, active: true, role: { $in: ['officer', 'head'] } }, { lineUserId: 1 }).lean()).map((o) => o.lineUserId);
  }
  if (n.audience === 'officersAndHeads') to = [...new Set([...to, ...(await heads(c.unitCode))])];
  return to;
}
