import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { webhook } from '@line/bot-sdk';
import type { CaseEvent } from './cases/events.ts';

/**
 * Queue names and job payloads, in one place. Webhook events are spread over `EVENT_SHARDS` queues by
 * chat (user or group id): each shard runs one job at a time across all workers, so one person's
 * messages are handled in the order they were sent while different people are served in parallel.
 */
export const QUEUE_NAMES = {
  lineEvents: (shard: number) => `line-events-${shard}`,
  domainEvents: 'domain-events',
  /** Signed deliveries to partner agencies' webhook URLs (exchange/webhooks.ts, workers/partnerWebhooks.ts). */
  partnerWebhooks: 'partner-webhooks',
  /** No worker: a board-visible copy of the dead-letter store (shared/deadLetters.ts). */
  deadLetters: 'dead-letters',
} as const;

export interface LineEventJob {
  /** The bot's user id the webhook was addressed to. */
  destination: string;
  event: webhook.Event;
  /** Put back by `deadletter redrive`: applied only if its chat has not moved on since. */
  redriven?: boolean;
}

export type DomainEventJob = CaseEvent;

/** One event for one partner subscription. The URL and secret are read at delivery (never kept in Redis). */
export interface PartnerWebhookJob {
  subscriptionId: string;
  eventId: string;
  /** case.created | case.status_changed | case.closed */
  type: string;
  /** The JSON body, fixed when queued so every retry sends the same bytes. */
  body: string;
}

/**
 * LINE may redeliver an event long after the first try: keep its id (the job id) for two days.
 * Retries happen inside the job (workers/lineEvents.ts), so a failing turn holds its chat's later
 * turns; BullMQ's own attempts are only a safety net for a processor that throws regardless.
 */
export const LINE_EVENT_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 2 * 24 * 3600 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

export const DOMAIN_EVENT_JOB_OPTIONS: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 2 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/** FNV-1a: stable across processes and restarts, unlike anything seeded. */
export function shardOf(chatId: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < chatId.length; i++) {
    h ^= chatId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % shards;
}

/**
 * The chat an event belongs to: what its order is kept within. Total: whatever the event looks
 * like, some shard takes it (the webhook refuses malformed sources, but a shard that cannot be
 * computed would stop the whole intake).
 */
export function chatIdOf(event: webhook.Event): string {
  const s = event.source as { type?: unknown; userId?: unknown; groupId?: unknown; roomId?: unknown } | undefined;
  const id = !s || typeof s !== 'object' ? undefined : s.type === 'group' ? s.groupId : s.type === 'room' ? s.roomId : s.userId;
  return typeof id === 'string' && id ? id : 'none';
}

const CHAT_ID = /^[0-9A-Za-z_-]{1,64}$/;

/**
 * What is wrong with an event's `source`, if anything. The worker orders events per chat (user,
 * group or room id): a group event without its groupId has no chat, so it is refused here rather
 * than taken in and left for the worker to trip on (the intake pump applies the same rule to what
 * is already in the stream). No source at all is allowed (the spec does not
 * require one; such events have nothing to answer and are ordered together).
 */
export function sourceProblem(source: unknown): string | undefined {
  if (source === undefined) return undefined;
  if (!source || typeof source !== 'object') return 'source must be an object';
  const s = source as Record<string, unknown>;
  const idOf = { user: 'userId', group: 'groupId', room: 'roomId' }[String(s.type)];
  if (!idOf) return 'source.type must be user, group or room';
  const id = s[idOf];
  // A user source's userId is optional in the spec; a group's groupId and a room's roomId are not.
  if (id === undefined && idOf === 'userId') return undefined;
  if (typeof id !== 'string' || !CHAT_ID.test(id)) return `source.${idOf} is missing or malformed`;
  if (s.userId !== undefined && (typeof s.userId !== 'string' || !CHAT_ID.test(s.userId))) return 'source.userId is malformed';
  return undefined;
}

/** Workers need `maxRetriesPerRequest: null` (blocking commands); producers fail fast instead. */
export function redisConnection(url: string, forWorker: boolean): Redis {
  return quiet(new Redis(url, { maxRetriesPerRequest: forWorker ? null : 2, enableReadyCheck: true, lazyConnect: false }));
}

/**
 * ioredis reconnects by itself and each command that fails meanwhile rejects to its caller; without
 * a listener, every reconnect attempt while Redis is down would also print an "Unhandled error event".
 */
function quiet(redis: Redis): Redis {
  redis.on('error', () => undefined);
  return redis;
}

export interface Queues {
  lineEvents: Queue<LineEventJob>[];
  domainEvents: Queue<DomainEventJob>;
  partnerWebhooks: Queue<PartnerWebhookJob>;
  deadLetters: Queue;
  connection: Redis;
  /** For the webhook intake stream: auto-pipelined, so concurrent requests share one write to Redis. */
  intake: Redis;
  prefix: string;
  redisUrl: string;
  close(): Promise<void>;
}

export function createQueues(redisUrl: string, prefix: string, shards: number): Queues {
  const connection = redisConnection(redisUrl, false);
  const opts = { connection: connection as ConnectionOptions, prefix };
  const lineEvents = Array.from({ length: shards }, (_, i) => new Queue<LineEventJob>(QUEUE_NAMES.lineEvents(i), opts));
  const domainEvents = new Queue<DomainEventJob>(QUEUE_NAMES.domainEvents, opts);
  const partnerWebhooks = new Queue<PartnerWebhookJob>(QUEUE_NAMES.partnerWebhooks, opts);
  const deadLetters = new Queue(QUEUE_NAMES.deadLetters, opts);
  const intake = quiet(new Redis(redisUrl, { maxRetriesPerRequest: 2, enableAutoPipelining: true }));
  return {
    lineEvents,
    domainEvents,
    partnerWebhooks,
    deadLetters,
    connection,
    intake,
    prefix,
    redisUrl,
    async close() {
      await Promise.all([...lineEvents, domainEvents, partnerWebhooks, deadLetters].map((q) => q.close()));
      connection.disconnect();
      intake.disconnect();
    },
  };
}

/** Publishes domain events; the event id is the job id, so publishing twice queues once. */
export function publisherFor(queues: Queues) {
  return async (events: CaseEvent[]) => {
    await queues.domainEvents.addBulk(events.map((e) => ({ name: e.type, data: e, opts: { ...DOMAIN_EVENT_JOB_OPTIONS, jobId: e.id } })));
  };
}
