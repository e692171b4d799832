/**
 * The SLA queue. Each open case has one delayed wake-up job (id `${caseId}:sla:next`) at the next
 * moment something falls due for it; when it fires it queues a run for that minute (id
 * `sla-run:at:${ms}`), so cases due together are handled by one run and officers get one digest.
 * A repeatable run every 15 minutes is the safety net; a reconcile every 10 minutes and at start
 * rebuilds missing wake-ups from MongoDB (the source of truth), so a flushed Redis loses nothing.
 */
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { OPEN_STATUSES } from '../../shared/categories.ts';
import type { CaseDoc } from '../../shared/models/index.ts';
import { planCase } from './plan.ts';
import { runSla, type SlaDeps } from './run.ts';

export const SLA_QUEUE = 'sla';
export type SlaJob = { caseId?: string; at?: number };

const RUN_EVERY_MS = 15 * 60_000;
const RECONCILE_EVERY_MS = 10 * 60_000;
const JOB_OPTS = { removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 }, attempts: 5, backoff: { type: 'exponential', delay: 5000 } };

export const wakeJobId = (caseId: string) => `${caseId}:sla:next`;

export function createSlaQueue(connection: Redis, prefix: string): Queue<SlaJob> {
  return new Queue<SlaJob>(SLA_QUEUE, { connection: connection as ConnectionOptions, prefix });
}

/**
 * (Re)schedules a case's wake-up at its next due moment: remove + add, so a changed deadline
 * replaces the old job. Closed cases lose theirs. Returns when it will fire, if at all.
 */
export async function scheduleCase(deps: SlaDeps, queue: Queue<SlaJob>, c: CaseDoc, opts: { onlyIfMissing?: boolean } = {}): Promise<Date | undefined> {
  const id = wakeJobId(String(c._id));
  const now = deps.clock.now();
  const open = (OPEN_STATUSES as readonly string[]).includes(c.status);
  const next = open ? planCase(c, deps.calendar, now, deps.plan).nextAt : undefined;
  if (opts.onlyIfMissing && next) {
    const state = await queue.getJobState(id);
    if (state === 'delayed' || state === 'waiting' || state === 'active' || state === 'prioritized') return next;
  }
  await queue.remove(id).catch(() => 0); // an active (locked) job cannot be removed: it is firing anyway
  if (!next) return undefined;
  await queue.add('wake', { caseId: String(c._id), at: next.getTime() }, { ...JOB_OPTS, jobId: id, delay: Math.max(0, next.getTime() - now.getTime()) });
  return next;
}

export async function scheduleCaseById(deps: SlaDeps, queue: Queue<SlaJob>, caseId: string): Promise<void> {
  const c = await deps.models.Case.findById(caseId).lean<CaseDoc>();
  if (c) await scheduleCase(deps, queue, c);
  else await queue.remove(wakeJobId(caseId)).catch(() => 0);
}

/** Rebuilds every missing wake-up from the open cases. */
export async function reconcileSla(deps: SlaDeps, queue: Queue<SlaJob>): Promise<{ cases: number; scheduled: number }> {
  let cases = 0;
  let scheduled = 0;
  const cursor = deps.models.Case.find({ status: { $in: OPEN_STATUSES } }).lean<CaseDoc[]>().cursor({ batchSize: 500 });
  for await (const doc of cursor) {
    cases++;
    if (await scheduleCase(deps, queue, doc as unknown as CaseDoc, { onlyIfMissing: true })) scheduled++;
  }
  return { cases, scheduled };
}

export interface RunningSlaWorker {
  queue: Queue<SlaJob>;
  worker: Worker<SlaJob>;
  close(): Promise<void>;
}

export async function processSlaJob(deps: SlaDeps, queue: Queue<SlaJob>, job: Pick<Job<SlaJob>, 'name' | 'data'>): Promise<unknown> {
  switch (job.name) {
    case 'wake': {
      // Coalesce: every case waking at this minute shares one run.
      const minute = Math.floor((job.data.at ?? deps.clock.now().getTime()) / 60_000) * 60_000;
      await queue.add('run', {}, { ...JOB_OPTS, jobId: `sla-run:at:${minute}` });
      return { minute };
    }
    case 'run':
      return runSla(deps);
    case 'reconcile':
      return reconcileSla(deps, queue);
    default:
      return undefined;
  }
}

/** Starts the SLA worker (one job at a time across all processes: runs must not overlap) and reconciles. */
export async function startSlaWorker(deps: SlaDeps, opts: { connection: Redis; producer: Redis; prefix: string }): Promise<RunningSlaWorker> {
  const queue = createSlaQueue(opts.producer, opts.prefix);
  await queue.setGlobalConcurrency(1);
  const worker = new Worker<SlaJob>(SLA_QUEUE, (job) => processSlaJob(deps, queue, job), { connection: opts.connection as ConnectionOptions, prefix: opts.prefix, concurrency: 1 });
  // A wake-up cannot replace itself while it runs (its id is locked): it moves on once completed.
  // If the process dies in between, the reconcile sees the completed job and schedules anew.
  worker.on('completed', (job) => {
    if (job.name === 'wake' && job.data.caseId) scheduleCaseById(deps, queue, job.data.caseId).catch((err) => deps.log.warn({ err: err.message }, 'sla reschedule failed'));
  });
  worker.on('failed', (job, err) => deps.log.warn({ queue: SLA_QUEUE, jobId: job?.id, err: err.message }, 'sla job failed'));
  worker.on('error', (err) => deps.log.error({ queue: SLA_QUEUE, err: err.message }, 'sla worker error'));
  await worker.waitUntilReady();
  await queue.upsertJobScheduler('sla-run', { every: RUN_EVERY_MS }, { name: 'run', data: {}, opts: JOB_OPTS });
  await queue.upsertJobScheduler('sla-reconcile', { every: RECONCILE_EVERY_MS }, { name: 'reconcile', data: {}, opts: JOB_OPTS });
  const r = await reconcileSla(deps, queue);
  if (r.scheduled) deps.log.info(r, 'sla schedules reconciled');
  return {
    queue,
    worker,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
