import { Worker, type ConnectionOptions } from 'bullmq';
import { handleLineEvent, type BotDeps } from '../bot/handlers/index.ts';
import { republishPendingEvents } from '../shared/cases/publish.ts';
import { startIntakePump, type IntakePump } from '../shared/intake.ts';
import type { Logger } from '../shared/logger.ts';
import { publisherFor, QUEUE_NAMES, redisConnection, type DomainEventJob, type LineEventJob, type Queues } from '../shared/queues.ts';
import { processDomainEvent } from './notify.ts';
import type { WorkingCalendar } from '../shared/sla/calendar.ts';
import { slaContext } from '../shared/sla/load.ts';
import { scheduleCaseById, startSlaWorker } from './sla/worker.ts';
import { fanOutPartnerEvent } from '../exchange/webhooks.ts';
import { startPartnerWebhookWorker } from './partnerWebhooks.ts';

export interface WorkerOptions {
  redisUrl: string;
  prefix: string;
  queues: Queues;
  log: Logger;
  /** Domain events are independent of each other, so several run at once. */
  notifyConcurrency?: number;
  /** Working days for the SLA clock (default: the shipped holiday table). */
  calendar?: WorkingCalendar;
  /** Base of the exponential retry backoff of partner webhook deliveries (default 10 s; tests use less). */
  partnerWebhookBackoffMs?: number;
}

export interface RunningWorkers {
  /** The webhook intake pump (tests and benchmarks wait on `drain()`). */
  pump: IntakePump;
  close(): Promise<void>;
}

/**
 * Starts the BullMQ workers: one per webhook shard, each limited to one job at a time across every
 * worker process (global concurrency), so a person's messages are handled in the order sent; and
 * the domain-event worker that sends alerts and notices.
 */
export async function startWorkers(deps: BotDeps, opts: WorkerOptions): Promise<RunningWorkers> {
  const connection = redisConnection(opts.redisUrl, true);
  const base = { connection: connection as ConnectionOptions, prefix: opts.prefix };
  await Promise.all(opts.queues.lineEvents.map((q) => q.setGlobalConcurrency(1)));
  const slaDeps = { models: deps.models, line: deps.line, log: deps.log, clock: deps.clock, calendar: opts.calendar ?? slaContext().calendar };
  // Reminders, nudges and escalation (issue #4); reconciles every case's schedule at start.
  const sla = await startSlaWorker(slaDeps, { connection, producer: opts.queues.connection, prefix: opts.prefix });

  const workers: Worker[] = opts.queues.lineEvents.map((_q, shard) => new Worker<LineEventJob>(
    QUEUE_NAMES.lineEvents(shard),
    async (job) => handleLineEvent(deps, job.data),
    // A shard runs one job at a time, so a job orphaned by a crash blocks its chats until found
    // stalled: a shorter lock and check than BullMQ's 30 s defaults keep that pause short.
    { ...base, concurrency: 1, lockDuration: 15_000, stalledInterval: 5_000 },
  ));
  workers.push(new Worker<DomainEventJob>(
    QUEUE_NAMES.domainEvents,
    async (job) => {
      // Partner webhooks first: queuing them needs no LINE, so a LINE outage does not hold them back.
      await fanOutPartnerEvent({ models: deps.models, queue: opts.queues.partnerWebhooks, backoffMs: opts.partnerWebhookBackoffMs }, job.data);
      await processDomainEvent(deps, job.data);
      // Whatever happened to the case may move its SLA deadlines or end them.
      await scheduleCaseById(slaDeps, sla.queue, job.data.caseId);
    },
    { ...base, concurrency: opts.notifyConcurrency ?? 4 },
  ));
  const partnerWebhooks = startPartnerWebhookWorker({ models: deps.models, clock: deps.clock, log: deps.log }, { connection, prefix: opts.prefix });
  for (const w of workers) {
    w.on('failed', (job, err) => opts.log.warn({ queue: w.name, jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'job failed'));
    w.on('error', (err) => opts.log.error({ queue: w.name, err: err.message }, 'worker error'));
  }
  await Promise.all([...workers, partnerWebhooks].map((w) => w.waitUntilReady()));

  // Events a crashed process wrote to case outboxes but never queued.
  const n = await republishPendingEvents(deps.models, publisherFor(opts.queues));
  if (n) opts.log.info({ n }, 'republished pending domain events');

  // Webhook bodies the web process appended to the intake stream → the shard queues above.
  const pump = startIntakePump({ redis: redisConnection(opts.redisUrl, true), queues: opts.queues, prefix: opts.prefix, log: opts.log });

  return {
    pump,
    async close() {
      await pump.close();
      await Promise.all([...workers, partnerWebhooks].map((w) => w.close()));
      await sla.close();
      connection.disconnect();
    },
  };
}
