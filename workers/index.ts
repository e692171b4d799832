import { Worker, type ConnectionOptions } from 'bullmq';
import type { Clock } from '../shared/clock.ts';
import type { NotifyDeps } from './notify.ts';
import { deadLetter } from '../shared/deadLetters.ts';
import { startLineEventWorkers, type LineEventDeps, type LineEventRetry } from './lineEvents.ts';
import { startIntakePump, type IntakePump } from '../shared/intake.ts';
import type { Logger } from '../shared/logger.ts';
import { QUEUE_NAMES, redisConnection, type DomainEventJob, type Queues } from '../shared/queues.ts';
import type { WorkingCalendar } from '../shared/sla/calendar.ts';
import { slaContext } from '../shared/sla/load.ts';
import { ensureSlaSetup, startSlaWorker } from './sla/worker.ts';
import { startPartnerWebhookWorker } from './partnerWebhooks.ts';
import { startEventConsumers, type RunningConsumers } from './events/consumer.ts';
import { notifyConsumer } from './events/notify.ts';
import { partnerWebhooksConsumer, type PartnerFanOut } from './events/partnerWebhooks.ts';
import { slaRescheduleConsumer } from './events/slaReschedule.ts';
import { reportCountersConsumer } from './events/reportCounters.ts';
import { startOutboxSweeper } from './events/outboxSweep.ts';
import { startRetentionWorker } from './retention.ts';

/**
 * What the worker process runs on. The bot's turn handler and the exchange's partner fan-out come
 * from app/ (workers/ depends on shared/ only).
 */
export interface WorkerDeps extends NotifyDeps, LineEventDeps {
  clock: Clock;
  fanOutPartnerEvent: PartnerFanOut;
}

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
  /** How webhook events are retried before being dead-lettered (workers/lineEvents.ts). */
  lineEventRetry?: Partial<LineEventRetry>;
  /** How often the Redis-held queue settings are verified (default 30 s; also on every reconnect). */
  healEveryMs?: number;
}

export interface RunningWorkers {
  /** The webhook intake pump (tests and benchmarks wait on `drain()`). */
  pump: IntakePump;
  /** The domain-event consumers (one queue each) and the outbox sweep. */
  events: RunningConsumers;
  sweepOutbox(graceMs?: number): Promise<unknown>;
  /** Verifies (and restores) the queue settings Redis holds; resolves when done. */
  heal(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the BullMQ workers: one per webhook shard, each limited to one job at a time across every
 * worker process (global concurrency), so a person's messages are handled in the order sent; and
 * the domain-event consumers (workers/events/) that send alerts and notices, notify partners, move SLA
 * deadlines and keep the report counters.
 */
export async function startWorkers(deps: WorkerDeps, opts: WorkerOptions): Promise<RunningWorkers> {
  const connection = redisConnection(opts.redisUrl, true);
  const base = { connection: connection as ConnectionOptions, prefix: opts.prefix };
  await Promise.all(opts.queues.lineEvents.map((q) => q.setGlobalConcurrency(1)));
  const slaDeps = { models: deps.models, line: deps.line, log: deps.log, clock: deps.clock, calendar: opts.calendar ?? slaContext().calendar, links: deps.links };
  // Reminders, nudges and escalation; reconciles every case's schedule at start.
  const sla = await startSlaWorker(slaDeps, { connection, producer: opts.queues.connection, prefix: opts.prefix });

  // Webhook events: one shard worker each, turns retried in place so a chat keeps its order.
  const lineEvents = startLineEventWorkers(deps, { connection: connection as ConnectionOptions, prefix: opts.prefix, queues: opts.queues, log: opts.log, retry: opts.lineEventRetry });
  // Domain events: each consumer has its own queue and job per event, so one consumer's retries
  // (notify while LINE is down) neither hold nor re-run the others. The domain-events queue (what
  // commands publish to) only hands each event on to them.
  const events = startEventConsumers([
    notifyConsumer(deps, opts.notifyConcurrency),
    partnerWebhooksConsumer(deps.fanOutPartnerEvent, { models: deps.models, queue: opts.queues.partnerWebhooks, backoffMs: opts.partnerWebhookBackoffMs }),
    slaRescheduleConsumer(slaDeps, sla.queue),
    reportCountersConsumer(deps),
  ], deps, { connection, producer: opts.queues.connection, prefix: opts.prefix });
  // Personal data kept no longer than config/retention.json says: nightly. Its events (the unit told
  // of an anonymised case) go straight to the consumers.
  const retention = await startRetentionWorker({ ...deps, publish: async (evs) => { await events.enqueue(evs); } }, { connection, producer: opts.queues.connection, prefix: opts.prefix });
  const workers: Worker[] = [];
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
  await Promise.all([...lineEvents.workers, ...workers, ...events.workers, partnerWebhooks].map((w) => w.waitUntilReady()));

  // Events left in case outboxes whose jobs are missing (a crashed process, a Redis that lost them):
  // now, and periodically while the worker runs.
  const sweeper = startOutboxSweeper(deps, events, { everyMs: opts.outboxSweepEveryMs, graceMs: opts.outboxGraceMs });
  await sweeper.sweep(0);

  // Webhook bodies the web process appended to the intake stream → the shard queues above.
  const pump = startIntakePump({
    redis: redisConnection(opts.redisUrl, true), queues: opts.queues, prefix: opts.prefix, log: opts.log,
    deadLetter: (p) => deadLetter(deps.models, opts.queues.deadLetters, { _id: p.id, kind: p.id.startsWith('intake:') ? 'intake-entry' : 'line-event', reason: p.reason, attempts: 1, summary: p.summary, payload: p.payload }),
  });

  // What lives only in Redis and is set once at start: after Redis restarted empty (or a flush) it
  // is gone while the workers carry on. Checked on every reconnect and periodically, and put back.
  let healing: Promise<void> | undefined;
  const heal = () => (healing ??= (async () => {
    try {
      const concurrency = await Promise.all(opts.queues.lineEvents.map((q) => q.getGlobalConcurrency()));
      const missing = opts.queues.lineEvents.filter((_q, i) => concurrency[i] !== 1);
      if (missing.length) {
        await Promise.all(missing.map((q) => q.setGlobalConcurrency(1)));
        opts.log.warn({ shards: missing.length }, 'shard queues had lost their global concurrency (Redis restarted or flushed); set again');
      }
      if (await ensureSlaSetup(sla.queue)) opts.log.warn('SLA schedulers were gone (Redis restarted or flushed); restored, reconcile queued');
      if (await retention.ensureSetup()) opts.log.warn('the retention scheduler was gone (Redis restarted or flushed); restored');
    } catch (err) {
      opts.log.warn({ err: (err as Error).message }, 'could not verify the Redis-held queue settings yet');
    } finally {
      healing = undefined;
    }
  })());
  const onReady = () => void heal();
  opts.queues.connection.on('ready', onReady);
  const healTimer = setInterval(heal, opts.healEveryMs ?? 30_000);
  healTimer.unref();

  return {
    pump,
    events,
    sweepOutbox: (graceMs) => sweeper.sweep(graceMs),
    heal: () => heal(),
    async close() {
      clearInterval(healTimer);
      opts.queues.connection.off('ready', onReady);
      await pump.close();
      await sweeper.stop();
      await lineEvents.close();
      await Promise.all([...workers, partnerWebhooks].map((w) => w.close()));
      await events.close();
      await sla.close();
      await retention.close();
      connection.disconnect();
    },
  };
}
