/**
 * A domain-event consumer: one concern (tell people, tell partners, move SLA deadlines, count for the
 * reports) run as its own BullMQ job per event (queue `events-<name>`, job id = event id), so a
 * consumer retrying — LINE down for notify, a partner's queue for webhooks — never holds or re-runs
 * another. Each records when it is done with an event (shared/cases/outbox.ts); the last one done
 * drops the event from the case outbox.
 */
import { Queue, Worker, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CaseEvent } from '../../shared/cases/events.ts';
import { isConsumed, markConsumed, settleIfConsumed, type EventConsumer } from '../../shared/cases/outbox.ts';
import type { Logger } from '../../shared/logger.ts';
import type { Models } from '../../shared/models/index.ts';

export interface EventConsumerDef {
  name: EventConsumer;
  /** Acts on one event. Throwing retries this consumer's job only. Must be safe to run again. */
  handle(event: CaseEvent): Promise<void>;
  concurrency?: number;
  jobOptions?: JobsOptions;
}

export const eventQueueName = (consumer: EventConsumer) => `events-${consumer}`;

/** Default: 10 tries, 2 s doubling (about 17 min); after that the outbox sweep retries the failed job. */
export const EVENT_JOB_OPTIONS: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 2 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

export interface RunningConsumers {
  /** Consumer → its queue (producer side). */
  queues: Map<EventConsumer, Queue<CaseEvent>>;
  workers: Worker<CaseEvent>[];
  /** Queues one job per consumer for each event (existing job ids are left as they are). */
  enqueue(events: CaseEvent[], only?: Iterable<EventConsumer>): Promise<void>;
  jobOptions(consumer: EventConsumer): JobsOptions;
  close(): Promise<void>;
}

export function startEventConsumers(
  defs: EventConsumerDef[],
  deps: { models: Models; log: Logger },
  opts: { connection: Redis; producer: Redis; prefix: string },
): RunningConsumers {
  const queues = new Map<EventConsumer, Queue<CaseEvent>>();
  const options = new Map<EventConsumer, JobsOptions>();
  const workers: Worker<CaseEvent>[] = [];
  for (const def of defs) {
    const name = eventQueueName(def.name);
    queues.set(def.name, new Queue<CaseEvent>(name, { connection: opts.producer as ConnectionOptions, prefix: opts.prefix }));
    options.set(def.name, { ...EVENT_JOB_OPTIONS, ...def.jobOptions });
    const worker = new Worker<CaseEvent>(name, async (job) => {
      const event = job.data;
      // Done before (a job queued again by the sweep, or the command already counted it): only settle.
      if (!(await isConsumed(deps.models, def.name, event.id))) {
        await def.handle(event);
        await markConsumed(deps.models, def.name, event.id);
      }
      await settleIfConsumed(deps.models, event.caseId, event.id);
    }, { connection: opts.connection as ConnectionOptions, prefix: opts.prefix, concurrency: def.concurrency ?? 4 });
    worker.on('failed', (job, err) => deps.log.warn({ queue: name, jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'event consumer failed'));
    worker.on('error', (err) => deps.log.error({ queue: name, err: err.message }, 'event consumer worker error'));
    workers.push(worker);
  }
  const jobOptions = (c: EventConsumer) => options.get(c) ?? EVENT_JOB_OPTIONS;
  return {
    queues,
    workers,
    jobOptions,
    async enqueue(events, only) {
      const wanted = only ? new Set(only) : undefined;
      await Promise.all([...queues].filter(([c]) => !wanted || wanted.has(c)).map(([c, q]) =>
        q.addBulk(events.map((e) => ({ name: e.type, data: e, opts: { ...jobOptions(c), jobId: e.id } })))));
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
