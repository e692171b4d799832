/**
 * The nightly retention run (shared/privacy/retention.ts): a BullMQ job scheduler at the policy's
 * Bangkok time, one job at a time across processes. Like the SLA schedulers, it lives only in
 * Redis: `ensureSetup` puts it back after Redis restarted empty (workers/index.ts heals).
 */
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DomainDeps } from '../shared/cases/deps.ts';
import type { Logger } from '../shared/logger.ts';
import { cronOf, loadRetentionPolicy, runRetention, type RetentionPolicy } from '../shared/privacy/retention.ts';

export const RETENTION_QUEUE = 'retention';
const SCHEDULER_ID = 'retention-nightly';
const JOB_OPTS = { removeOnComplete: { age: 7 * 24 * 3600 }, removeOnFail: { age: 30 * 24 * 3600 }, attempts: 3, backoff: { type: 'exponential', delay: 60_000 } };

export interface RunningRetention {
  queue: Queue;
  worker: Worker;
  /** Restores the scheduler (with the policy this worker runs) and the one-at-a-time limit if Redis lost them; true if anything was missing. */
  ensureSetup(): Promise<boolean>;
  close(): Promise<void>;
}

async function upsertScheduler(queue: Queue, policy: RetentionPolicy): Promise<void> {
  await queue.upsertJobScheduler(SCHEDULER_ID, { pattern: cronOf(policy), tz: 'Asia/Bangkok' }, { name: 'run', data: {}, opts: JOB_OPTS });
}

async function ensureRetentionSetup(queue: Queue, policy: RetentionPolicy): Promise<boolean> {
  const [concurrency, scheduler] = await Promise.all([queue.getGlobalConcurrency(), queue.getJobScheduler(SCHEDULER_ID)]);
  if (concurrency === 1 && scheduler) return false;
  if (concurrency !== 1) await queue.setGlobalConcurrency(1);
  await upsertScheduler(queue, policy);
  return true;
}

export async function startRetentionWorker(deps: DomainDeps & { log: Logger }, opts: { connection: Redis; producer: Redis; prefix: string; policy?: RetentionPolicy }): Promise<RunningRetention> {
  const policy = opts.policy ?? loadRetentionPolicy();
  const queue = new Queue(RETENTION_QUEUE, { connection: opts.producer as ConnectionOptions, prefix: opts.prefix });
  await queue.setGlobalConcurrency(1);
  const worker = new Worker(RETENTION_QUEUE, async () => {
    const r = await runRetention(deps, policy);
    deps.log.info(r, 'retention run done');
    return r;
  }, { connection: opts.connection as ConnectionOptions, prefix: opts.prefix, concurrency: 1 });
  worker.on('failed', (job, err) => deps.log.warn({ queue: RETENTION_QUEUE, jobId: job?.id, err: err.message }, 'retention run failed'));
  worker.on('error', (err) => deps.log.error({ queue: RETENTION_QUEUE, err: err.message }, 'retention worker error'));
  await worker.waitUntilReady();
  await upsertScheduler(queue, policy);
  return {
    queue,
    worker,
    ensureSetup: () => ensureRetentionSetup(queue, policy),
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
