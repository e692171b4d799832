import { Worker, type ConnectionOptions } from 'bullmq';
import { handleLineEvent, type BotDeps } from '../bot/handlers/index.ts';
import { startIntakePump, type IntakePump } from '../shared/intake.ts';
import type { Logger } from '../shared/logger.ts';
import { QUEUE_NAMES, redisConnection, type DomainEventJob, type LineEventJob, type Queues } from '../shared/queues.ts';
import type { WorkingCalendar } from '../shared/sla/calendar.ts';
import { slaContext } from '../shared/sla/load.ts';
import { startSlaWorker } from './sla/worker.ts';
import { startPartnerWebhookWorker } from './partnerWebhooks.ts';
import { startEventConsumers, type RunningConsumers } from './events/consumer.ts';
import { notifyConsumer } from './events/notify.ts';
import { partnerWebhooksConsumer } from './events/partnerWebhooks.ts';
import { slaRescheduleConsumer } from './events/slaReschedule.ts';
import { reportCountersConsumer } from './events/reportCounters.ts';
import { startOutboxSweeper } from './events/outboxSweep.ts';

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
  /** Outbox sweep period and grace (defaults in workers/events/outboxSweep.ts; tests use less). */
  outboxSweepEveryMs?: number;
  outboxGraceMs?: number;
}

export interface RunningWorkers {
  /** The webhook intake pump (tests and benchmarks wait on `drain()`). */
  pump: IntakePump;
  /** The domain-event consumers (one queue each) and the outbox sweep. */
  events: RunningConsumers;
  sweepOutbox(graceMs?: number): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Starts the BullMQ workers: one per webhook shard, each limited to one job at a time across every
 * worker process (global concurrency), so a person's messages are handled in the order sent; and
 * the domain-event consumers (workers/events/) that send alerts and notices, notify partners, move SLA
 * deadlines and keep the report counters.
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
  // Domain events: each consumer has its own queue and job per event, so one consumer's retries
  // (notify while LINE is down) neither hold nor re-run the others. The domain-events queue (what
  // commands publish to) only hands each event on to them.
  const events = startEventConsumers([
    notifyConsumer(deps, opts.notifyConcurrency),
    partnerWebhooksConsumer({ models: deps.models, queue: opts.queues.partnerWebhooks, backoffMs: opts.partnerWebhookBackoffMs }),
    slaRescheduleConsumer(slaDeps, sla.queue),
    reportCountersConsumer(deps),
  ], deps, { connection, producer: opts.queues.connection, prefix: opts.prefix });
  workers.push(new Worker<DomainEventJob>(
    QUEUE_NAMES.domainEvents,
    async (job) => events.enqueue([job.data]),
    { ...base, concurrency: 4 },
  ));
  const partnerWebhooks = startPartnerWebhookWorker({ models: deps.models, clock: deps.clock, log: deps.log }, { connection, prefix: opts.prefix });
  for (const w of workers) {
    w.on('failed', (job, err) => opts.log.warn({ queue: w.name, jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'job failed'));
    w.on('error', (err) => opts.log.error({ queue: w.name, err: err.message }, 'worker error'));
  }
  await Promise.all([...workers, ...events.workers, partnerWebhooks].map((w) => w.waitUntilReady()));

  // Events left in case outboxes whose jobs are missing (a crashed process, a Redis that lost them):
  // now, and periodically while the worker runs.
  const sweeper = startOutboxSweeper(deps, events, { everyMs: opts.outboxSweepEveryMs, graceMs: opts.outboxGraceMs });
  await sweeper.sweep(0);

  // Webhook bodies the web process appended to the intake stream → the shard queues above.
  const pump = startIntakePump({ redis: redisConnection(opts.redisUrl, true), queues: opts.queues, prefix: opts.prefix, log: opts.log });

  return {
    pump,
    events,
    sweepOutbox: (graceMs) => sweeper.sweep(graceMs),
    async close() {
      await pump.close();
      await sweeper.stop();
      await Promise.all([...workers, partnerWebhooks].map((w) => w.close()));
      await events.close();
      await sla.close();
      connection.disconnect();
    },
  };
}
