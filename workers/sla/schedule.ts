/**
 * The one way a case's SLA clock is (re)planned. MongoDB is the source of truth: the case's
 * `slaNextAt` says when a run must next look at it (runs select on it). Redis holds, per open case,
 * ONE delayed wake-up job (id `${caseId}:sla:next`) firing at that moment, so the run reads just the
 * woken cases. `replanCase` asks the planner (shared/sla/plan.ts) when the case is next due and puts
 * its wake-up there (or removes it: closed, or nothing ever due); it never writes the case — only a
 * run does, with a version-claimed write (workers/sla/run.ts), so a re-plan cannot race a command.
 *
 * Every trigger, in one table (docs/sla.md repeats it for newcomers):
 *
 * | trigger                                   | where                                   | what happens                                                  |
 * |-------------------------------------------|-----------------------------------------|---------------------------------------------------------------|
 * | a case is opened (LINE chat, LIFF form,   | openCase: `slaNextAt` starts at         | `case.opened` → `replanCase`: wake-up at the first reminder;  |
 * |   dashboard, partner API, walk-in)        |   `SLA_REPLAN` (the schema default)     |   the first run writes the real `slaNextAt`                    |
 * | any update of an SLA input: status, unit, | the pre-hook in shared/models/index.ts  | `slaNextAt = SLA_REPLAN` (epoch) in the same write, so the    |
 * |   concerned unit, receivedAt, a deadline, |   (updateOne/updateMany/                |   next run (woken or safety-net) re-plans it even if Redis    |
 * |   escalationLevel — assign, take-over,    |   findOneAndUpdate not setting          |   never hears of it; a reopened case, whose `slaNextAt` was   |
 * |   forward, reopen, close, reject,         |   `slaNextAt` itself)                   |   gone since it closed, is picked up again this way           |
 * |   withdraw, a progress note moving status |                                         |                                                               |
 * | every domain event (shared/cases/events.ts| workers/events/slaReschedule.ts         | `replanCase`: an answer (note, question), a forward or a      |
 * |   — opened, assigned, note_added,         |   (consumer `sla`, one job per event)   |   closure moves or ends the wake-up at once                   |
 * |   question_asked, forwarded, taken_over,  |                                         |                                                               |
 * |   closed, rejected, withdrawn, reopened…) |                                         |                                                               |
 * | a wake-up finished                        | `completed` listener, worker.ts         | `replanCase`: a job cannot replace itself while it runs       |
 * | a run recorded what it sent (or nothing)  | workers/sla/run.ts `caseUpdateFor`      | writes `slaNextAt` = `nextWake` of the case as recorded       |
 * | the reconcile, at start and every 10 min  | worker.ts `reconcileSla`                | adds the wake-ups Redis lacks from `slaNextAt`; a case never  |
 * |                                           |                                         |   planned or already due → `replanCase` (only if missing)     |
 * | the safety-net run, every 15 min          | worker.ts scheduler `sla-run`           | runs every case with `slaNextAt <= now`, woken or not         |
 * | Redis lost the delayed jobs (restart,     | worker.ts `ensureSlaSetup`, on every    | schedulers put back and a reconcile queued at once: it        |
 * |   flush, eviction)                        |   reconnect and periodically            |   rebuilds every wake-up from `slaNextAt`; until then the     |
 * |                                           |                                         |   safety-net run keeps the clock going                        |
 */
import type { Queue } from 'bullmq';
import { isOpenStatus } from '../../shared/categories.ts';
import type { CaseDoc } from '../../shared/models/index.ts';
import { planCase, type SlaCase } from '../../shared/sla/plan.ts';
import { withStoredLadder } from '../../shared/cases/access.ts';
import type { SlaDeps } from './run.ts';

/**
 * A wake-up carries nothing: its id names the case, its time is the job's own timestamp + delay
 * (`caseId`/`at` may be given by hand, as tests and the demo do). A run queued by wake-ups has `due`:
 * it reads the woken cases by `_id` instead of searching all of them.
 */
export type SlaJob = { caseId?: string; at?: number; due?: boolean };

/**
 * One per open case, so kept lean (bench:sla measures the Redis it takes): no data, no retries (a
 * wake-up only queues a run), no per-job options — the worker removes it once done or failed (the
 * reconcile rebuilds a missing one from `slaNextAt`).
 */
const WAKE_OPTS = {};

export const wakeJobId = (caseId: string) => `${caseId}:sla:next`;
const WAKE_SUFFIX = ':sla:next';
/** The case a wake-up is for. */
export const caseOfWake = (job: { id?: string | null; data: SlaJob }) =>
  job.data.caseId ?? (job.id?.endsWith(WAKE_SUFFIX) ? job.id.slice(0, -WAKE_SUFFIX.length) : undefined);

export const wakeJob = (caseId: string, at: Date, now: Date) => ({
  name: 'wake', data: {}, opts: { ...WAKE_OPTS, jobId: wakeJobId(caseId), delay: Math.max(0, at.getTime() - now.getTime()) },
});

/**
 * (Re)plans a case's wake-up at its next due moment: remove + add the job, so a changed deadline
 * replaces the old one; a closed case (or one gone) loses it. `onlyIfMissing`: leave a pending
 * wake-up alone (the reconcile). Returns when it will fire, if at all.
 */
export async function replanCase(deps: SlaDeps, queue: Queue<SlaJob>, caseId: string, opts: { onlyIfMissing?: boolean } = {}): Promise<Date | undefined> {
  const c = await deps.models.Case.findById(caseId).lean<CaseDoc>();
  const id = wakeJobId(caseId);
  const now = deps.clock.now();
  const next = c && isOpenStatus(c.status) ? planCase(await withStoredLadder(deps.models, c) as unknown as SlaCase, deps.calendar, now, deps.plan).nextAt : undefined;
  if (opts.onlyIfMissing && next) {
    const state = await queue.getJobState(id);
    if (state === 'delayed' || state === 'waiting' || state === 'active' || state === 'prioritized') return next;
  }
  await queue.remove(id).catch(() => 0); // an active (locked) job cannot be removed: it is firing anyway
  if (!next) return undefined;
  const j = wakeJob(caseId, next, now);
  await queue.add(j.name, j.data, j.opts);
  return next;
}

