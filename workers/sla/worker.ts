/**
 * The SLA queue. Each open case has one delayed wake-up job (id `${caseId}:sla:next`) at the next
 * moment something falls due for it (also stored on the case as `slaNextAt`, which runs select on); when it fires it queues a run for that minute (id
 * `sla-run:at:${ms}`), so cases due together are handled by one run and officers get one digest.
 * A repeatable run every 15 minutes is the safety net; a reconcile every 10 minutes and at start
 * rebuilds missing wake-ups from MongoDB (the source of truth), so a flushed Redis loses nothing.
 */
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { isOpenStatus, OPEN_STATUSES } from '../../shared/categories.ts';
import type { CaseDoc } from '../../shared/models/index.ts';
import { LATE_FIELDS, LateTally, saveLateSnapshot, type LateRow } from '../../shared/supervision/lateSnapshot.ts';
import { planCase, type SlaCase } from './plan.ts';
import { storeCapsOf } from '../../shared/store/engine.ts';
import { runSla, type SlaDeps } from './run.ts';

export const SLA_QUEUE = 'sla';
/**
 * A wake-up carries nothing: its id names the case, its time is the job's own timestamp + delay
 * (`caseId`/`at` may be given by hand, as tests and the demo do). A run queued by wake-ups has `due`:
 * it reads the woken cases by `_id` instead of searching all of them.
 */
export type SlaJob = { caseId?: string; at?: number; due?: boolean };

const RUN_EVERY_MS = 15 * 60_000;
const RECONCILE_EVERY_MS = 10 * 60_000;
const JOB_OPTS = { removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 }, attempts: 5, backoff: { type: 'exponential', delay: 5000 } };
/**
 * One per open case, so kept lean (bench:sla measures the Redis it takes): no data, no retries (a
 * wake-up only queues a run), no per-job options — the worker removes it once done or failed (the
 * reconcile rebuilds a missing one from `slaNextAt`).
 */
const WAKE_OPTS = {};
/** Cases read per reconcile page, and wake-ups added per addBulk. */
const RECONCILE_PAGE = 5_000;

export const wakeJobId = (caseId: string) => `${caseId}:sla:next`;
const WAKE_SUFFIX = ':sla:next';
/** The case a wake-up is for. */
export const caseOfWake = (job: { id?: string | null; data: SlaJob }) =>
  job.data.caseId ?? (job.id?.endsWith(WAKE_SUFFIX) ? job.id.slice(0, -WAKE_SUFFIX.length) : undefined);
/** Redis set of the cases woken and not yet run (cleared by the run that handled them). */
const dueSetKey = (queue: Queue<SlaJob>) => queue.toKey('sla-due');

export function createSlaQueue(connection: Redis, prefix: string): Queue<SlaJob> {
  // A short event stream: its 10,000-event default would weigh on the Redis budget per case of small deployments.
  return new Queue<SlaJob>(SLA_QUEUE, { connection: connection as ConnectionOptions, prefix, streams: { events: { maxLen: 1_000 } } });
}

const wakeJob = (caseId: string, at: Date, now: Date) => ({
  name: 'wake', data: {}, opts: { ...WAKE_OPTS, jobId: wakeJobId(caseId), delay: Math.max(0, at.getTime() - now.getTime()) },
});

/**
 * (Re)schedules a case's wake-up at its next due moment: remove + add the job, so a changed deadline replaces the old one. Closed
 * cases lose theirs. Returns when it will fire, if at all.
 */
export async function scheduleCase(deps: SlaDeps, queue: Queue<SlaJob>, c: CaseDoc, opts: { onlyIfMissing?: boolean } = {}): Promise<Date | undefined> {
  const id = wakeJobId(String(c._id));
  const now = deps.clock.now();
  // The case's `slaNextAt` is left to the runs (guarded writes): writing the case here, on every
  // domain event, could race a plain update of it (FerretDB updates are read → replace). A change
  // to its deadlines or status already set it to SLA_REPLAN (shared/models), so the next run re-plans it.
  const open = isOpenStatus(c.status);
  const next = open ? planCase(c as unknown as SlaCase, deps.calendar, now, deps.plan).nextAt : undefined;
  if (opts.onlyIfMissing && next) {
    const state = await queue.getJobState(id);
    if (state === 'delayed' || state === 'waiting' || state === 'active' || state === 'prioritized') return next;
  }
  await queue.remove(id).catch(() => 0); // an active (locked) job cannot be removed: it is firing anyway
  if (!next) return undefined;
  const j = wakeJob(String(c._id), next, now);
  await queue.add(j.name, j.data, j.opts);
  return next;
}

export async function scheduleCaseById(deps: SlaDeps, queue: Queue<SlaJob>, caseId: string): Promise<void> {
  const c = await deps.models.Case.findById(caseId).lean<CaseDoc>();
  if (c) await scheduleCase(deps, queue, c);
  else await queue.remove(wakeJobId(caseId)).catch(() => 0);
}

/**
 * Rebuilds every missing wake-up from the open cases: reads them in `_id` order, a page at a time,
 * only `_id`/`status`/`slaNextAt`; asks Redis which wake-ups exist (one pipeline per page) and adds
 * the missing ones with addBulk. A case never planned (no or epoch `slaNextAt`) is planned first.
 */
export async function reconcileSla(deps: SlaDeps, queue: Queue<SlaJob>): Promise<{ cases: number; scheduled: number }> {
  let cases = 0;
  let scheduled = 0;
  const now = deps.clock.now();
  const redis = await queue.getBackend().client;
  const filter = { status: { $in: OPEN_STATUSES } };
  // Also what the late-units tally needs: this sweep is the one pass over every open case.
  const projection = { _id: 1, slaNextAt: 1, ...LATE_FIELDS };
  type Row = LateRow & { _id: unknown; slaNextAt?: Date | null };
  const tally = new LateTally(now);

  const page = async (rows: Row[]) => {
    cases += rows.length;
    for (const r of rows) tally.add(r);
    // The common case (slaNextAt to come) costs one EXISTS; a case never planned, or due now, is planned in full.
    const planned = rows.filter((r) => r.slaNextAt && new Date(r.slaNextAt).getTime() > now.getTime());
    for (const r of rows.filter((x) => !planned.includes(x))) {
      const c = await deps.models.Case.findById(r._id).lean<CaseDoc>();
      if (c && (await scheduleCase(deps, queue, c, { onlyIfMissing: true }))) scheduled++;
    }
    const pipe = redis.pipeline() as unknown as { exists(key: string): unknown; exec(): Promise<[Error | null, unknown][] | null> };
    for (const r of planned) pipe.exists(queue.toKey(wakeJobId(String(r._id))));
    const exists = planned.length ? ((await pipe.exec()) ?? []) : [];
    const missing = planned.filter((_r, i) => !exists[i]?.[1]);
    if (missing.length) await queue.addBulk(missing.map((r) => wakeJob(String(r._id), new Date(r.slaNextAt!), now)));
    scheduled += missing.length;
  };

  if ((await storeCapsOf(deps.models)).filtersScan) {
    // One scan (any filter but `_id` equality scans on FerretDB), streamed in pages; Redis takes one
    // page while the next is read, so the sweep costs about the scan alone.
    let rows: Row[] = [];
    let busy: Promise<void> = Promise.resolve();
    for await (const r of deps.models.Case.find(filter, projection).lean<Row[]>().cursor({ batchSize: RECONCILE_PAGE })) {
      rows.push(r as unknown as Row);
      if (rows.length >= RECONCILE_PAGE) {
        await busy;
        busy = page(rows);
        busy.catch(() => undefined); // awaited (and thrown) at the next page; not an unhandled rejection meanwhile
        rows = [];
      }
    }
    await busy;
    if (rows.length) await page(rows);
  } else {
    // MongoDB: `_id` ranges off the primary index; each page is a short query (no long-lived cursor).
    let after: unknown;
    for (;;) {
      const rows = await deps.models.Case.find(after ? { ...filter, _id: { $gt: after } } : filter, projection).sort({ _id: 1 }).limit(RECONCILE_PAGE).lean<Row[]>();
      if (!rows.length) break;
      await page(rows);
      after = rows[rows.length - 1]._id;
    }
  }
  await saveLateSnapshot(deps.models, tally);
  return { cases, scheduled };
}

export interface RunningSlaWorker {
  queue: Queue<SlaJob>;
  worker: Worker<SlaJob>;
  close(): Promise<void>;
}

export async function processSlaJob(deps: SlaDeps, queue: Queue<SlaJob>, job: Pick<Job<SlaJob>, 'name' | 'data'> & Partial<Pick<Job<SlaJob>, 'id' | 'timestamp' | 'opts'>>): Promise<unknown> {
  // BullMQ types its client narrowly; it is the ioredis connection the queue was given.
  const redis = (await queue.getBackend().client) as unknown as Redis;
  switch (job.name) {
    case 'wake': {
      // Coalesce: every case waking at this minute shares one run, which reads just those cases.
      const caseId = caseOfWake(job);
      if (caseId) await redis.sadd(dueSetKey(queue), caseId);
      const at = job.data.at ?? (job.timestamp !== undefined ? job.timestamp + (job.opts?.delay ?? 0) : deps.clock.now().getTime());
      const minute = Math.floor(at / 60_000) * 60_000;
      // That minute's run may be over already (a wake-up processed late): then one more run, not none.
      const id = `sla-run:at:${minute}`;
      const state = await queue.getJobState(id);
      await queue.add('run', { due: true }, { ...JOB_OPTS, jobId: state === 'completed' || state === 'failed' ? `${id}:${Date.now()}` : id });
      return { minute };
    }
    case 'run': {
      if (!job.data.due) return runSla(deps);
      // Only the woken cases; removed from the set once the run is through (a crashed run leaves them for the next).
      const caseIds = await redis.smembers(dueSetKey(queue));
      const r = await runSla(deps, deps.clock.now(), {}, { caseIds });
      if (caseIds.length) await redis.srem(dueSetKey(queue), ...caseIds);
      return r;
    }
    case 'reconcile':
      return reconcileSla(deps, queue);
    default:
      return undefined;
  }
}

async function upsertSlaSchedulers(queue: Queue<SlaJob>): Promise<void> {
  await queue.upsertJobScheduler('sla-run', { every: RUN_EVERY_MS }, { name: 'run', data: {}, opts: JOB_OPTS });
  await queue.upsertJobScheduler('sla-reconcile', { every: RECONCILE_EVERY_MS }, { name: 'reconcile', data: {}, opts: JOB_OPTS });
}

/**
 * Puts back what the SLA queue keeps in Redis only: its global concurrency and its two job
 * schedulers. Gone after Redis restarted empty or was flushed; with them went every wake-up, so a
 * reconcile is queued at once (it rebuilds them from MongoDB). Returns whether anything was missing.
 * Cheap (two reads) when all is well: the worker calls it on every Redis reconnect and periodically.
 */
export async function ensureSlaSetup(queue: Queue<SlaJob>): Promise<boolean> {
  const [concurrency, run, reconcile] = await Promise.all([queue.getGlobalConcurrency(), queue.getJobScheduler('sla-run'), queue.getJobScheduler('sla-reconcile')]);
  if (concurrency === 1 && run && reconcile) return false;
  if (concurrency !== 1) await queue.setGlobalConcurrency(1);
  await upsertSlaSchedulers(queue);
  await queue.add('reconcile', {}, { ...JOB_OPTS, jobId: `sla-reconcile:healed:${Date.now()}` });
  return true;
}

/** Starts the SLA worker (one job at a time across all processes: runs must not overlap) and queues a reconcile. */
export async function startSlaWorker(deps: SlaDeps, opts: { connection: Redis; producer: Redis; prefix: string }): Promise<RunningSlaWorker> {
  const queue = createSlaQueue(opts.producer, opts.prefix);
  await queue.setGlobalConcurrency(1);
  const worker = new Worker<SlaJob>(SLA_QUEUE, (job) => processSlaJob(deps, queue, job), {
    connection: opts.connection as ConnectionOptions, prefix: opts.prefix, concurrency: 1,
    // For the wake-ups, which carry no options of their own (runs and reconciles keep theirs).
    removeOnComplete: { count: 0 }, removeOnFail: { count: 0 },
  });
  // A wake-up cannot replace itself while it runs (its id is locked): it moves on once completed.
  // If the process dies in between, the reconcile sees the completed job and schedules anew.
  worker.on('completed', (job) => {
    const caseId = job.name === 'wake' ? caseOfWake(job) : undefined;
    if (caseId) scheduleCaseById(deps, queue, caseId).catch((err) => deps.log.warn({ err: err.message }, 'sla reschedule failed'));
  });
  worker.on('failed', (job, err) => deps.log.warn({ queue: SLA_QUEUE, jobId: job?.id, err: err.message }, 'sla job failed'));
  worker.on('error', (err) => deps.log.error({ queue: SLA_QUEUE, err: err.message }, 'sla worker error'));
  await worker.waitUntilReady();
  await upsertSlaSchedulers(queue);
  // The start-up reconcile reads every open case: queued as a job, not awaited, so a worker restarted
  // on a large database takes webhooks again at once (the wake-ups it rebuilds are due later anyway).
  await queue.add('reconcile', {}, { ...JOB_OPTS, jobId: `sla-reconcile:start:${Date.now()}` });
  return {
    queue,
    worker,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
