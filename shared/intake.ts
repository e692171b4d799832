import { createHash, randomUUID } from 'node:crypto';
import type { webhook } from '@line/bot-sdk';
import type { Redis } from 'ioredis';
import type { Logger } from './logger.ts';
import { summaryOf } from './deadLetters.ts';
import { chatIdOf, LINE_EVENT_JOB_OPTIONS, shardOf, sourceProblem, type LineEventJob, type Queues } from './queues.ts';

/**
 * Webhook intake in two steps. The web process appends each verified request body to a Redis stream
 * (one XADD, acknowledged by Redis before LINE gets its 200) — as durable as a queued job, at a
 * fraction of the cost of creating one job per event while LINE waits. The pump (in the worker)
 * moves entries into the per-chat shard queues with `addBulk`, job id = webhookEventId (so a
 * redelivery is still dropped), and only then acknowledges and deletes them: a pump that dies
 * half-way leaves its entries pending and the next pump starts with those.
 */
export const intakeStreamKey = (prefix: string) => `${prefix}:webhook-intake`;
const GROUP = 'pump';
const CONSUMER = 'pump';

export async function appendIntake(redis: Redis, prefix: string, rawBody: Buffer | string): Promise<void> {
  await redis.xadd(intakeStreamKey(prefix), '*', 'b', rawBody);
}

interface Body { destination: string; events: webhook.Event[] }
type ShardJob = { name: string; data: LineEventJob; opts: typeof LINE_EVENT_JOB_OPTIONS };

/** Something the pump cannot turn into a job: dead-lettered with the reason, never retried forever. */
export interface IntakePoison { id: string; reason: string; summary: string; payload: string }

/**
 * Turns stream entries (in order) into shard jobs; a chat's events keep their order within a shard.
 * An event that cannot become a job is returned as poison instead of stopping the batch.
 */
export function jobsByShard(bodies: Body[], shards: number, poison: IntakePoison[] = []): Map<number, ShardJob[]> {
  const byShard = new Map<number, ShardJob[]>();
  for (const body of bodies) {
    for (const [i, event] of (Array.isArray(body?.events) ? body.events : []).entries()) {
      try {
        if (!event || typeof event !== 'object' || typeof event.webhookEventId !== 'string' || !event.webhookEventId || typeof event.type !== 'string') {
          throw new Error('event without a type or webhookEventId');
        }
        const problem = sourceProblem(event.source);
        if (problem) throw new Error(problem);
        const shard = shardOf(chatIdOf(event), shards);
        const list = byShard.get(shard) ?? [];
        list.push({ name: event.type, data: { destination: body.destination, event }, opts: { ...LINE_EVENT_JOB_OPTIONS, jobId: event.webhookEventId } });
        byShard.set(shard, list);
      } catch (err) {
        // Same id when the batch is read again (a pump that died before acknowledging): one dead letter.
        const id = typeof event?.webhookEventId === 'string' && event.webhookEventId ? event.webhookEventId : `noid-${createHash('sha1').update(`${i}:${JSON.stringify(event) ?? ''}`).digest('hex').slice(0, 20)}`;
        poison.push({ id: `line:${id}`, reason: `not routable: ${(err as Error).message}`, summary: summaryOf({ event }), payload: JSON.stringify({ destination: body.destination, event }) ?? 'null' });
      }
    }
  }
  return byShard;
}

/** Where the pump keeps its heartbeat (read by /readyz). */
const healthKey = (prefix: string) => `${intakeStreamKey(prefix)}:health`;

export interface IntakeHealth {
  ok: boolean;
  /** Webhook bodies taken in and not yet moved into the queues. */
  backlog: number;
  /** Age of the oldest of them (0 when none): how far the pump lags. */
  lagMs: number;
  /** Since the pump last read the stream, and last moved entries; null: never (no worker ran yet). */
  lastReadAgoMs: number | null;
  lastMoveAgoMs: number | null;
}

/**
 * Intake is stuck when entries have waited longer than `stuckMs` and nothing was moved for as long:
 * a pump that lags under load but moves is not stuck; one wedged (or reading a stream whose
 * consumer group is gone, or not running) is.
 */
export async function intakeHealth(redis: Redis, prefix: string, stuckMs = 60_000): Promise<IntakeHealth> {
  const key = intakeStreamKey(prefix);
  const res = await redis.multi().time().xlen(key).xrange(key, '-', '+', 'COUNT', 1).hmget(healthKey(prefix), 'read', 'moved').exec();
  if (!res || res.some(([err]) => err)) throw new Error('intake health: Redis did not answer');
  const [sec, usec] = res[0][1] as [string, string];
  const now = Number(sec) * 1000 + Math.floor(Number(usec) / 1000);
  const backlog = res[1][1] as number;
  const oldest = (res[2][1] as [string, string[]][])[0]?.[0];
  const lagMs = oldest ? Math.max(0, now - Number(oldest.split('-')[0])) : 0;
  const [read, moved] = (res[3][1] as (string | null)[]).map((v) => (v ? Math.max(0, now - Number(v)) : null));
  const stuck = backlog > 0 && lagMs > stuckMs && (moved === null || moved > stuckMs);
  return { ok: !stuck, backlog, lagMs, lastReadAgoMs: read, lastMoveAgoMs: moved };
}

export interface IntakePump {
  /** Moves everything in the stream now into the queues (tests, benchmarks); resolves when the stream is empty. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Runs the pump. Only one pump moves entries at a time (a Redis lease), so events of one chat reach
 * their shard queue in the order LINE sent them even with several worker processes.
 */
export function startIntakePump(opts: {
  /** A connection of its own: the pump blocks on it waiting for entries. */
  redis: Redis;
  queues: Queues;
  prefix: string;
  log: Logger;
  batch?: number;
  leaseMs?: number;
  /**
   * Where entries and events that cannot become jobs go (the dead-letter store). Absent (a bare pump
   * in tests): they are logged and dropped.
   */
  deadLetter?: (poison: IntakePoison) => Promise<void>;
}): IntakePump {
  const { redis, queues, prefix, log } = opts;
  const health = healthKey(prefix);
  const key = intakeStreamKey(prefix);
  const leaseKey = `${key}:lease`;
  // Short: a pump that died holds up new events only this long (a live one renews every second).
  const leaseMs = opts.leaseMs ?? 5_000;
  const batch = opts.batch ?? 500;
  const me = randomUUID();
  let stopped = false;
  let leader = false;
  let running: Promise<void> | undefined;

  async function ensureGroup() {
    try {
      await redis.xgroup('CREATE', key, GROUP, '0', 'MKSTREAM');
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
  }

  async function holdLease(): Promise<boolean> {
    if (leader) {
      // Renew only if still ours: a pump that stalled past its lease must not keep moving entries.
      const renewed = await redis.eval(`if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`, 1, leaseKey, me, leaseMs);
      leader = renewed === 1;
    } else {
      leader = (await redis.set(leaseKey, me, 'PX', leaseMs, 'NX')) === 'OK';
    }
    return leader;
  }

  /** Moves one batch: pending entries first (left by a pump that died), then new ones. Returns how many. */
  async function moveBatch(block: number): Promise<number> {
    for (const from of ['0', '>']) {
      const args: (string | number)[] = ['GROUP', GROUP, CONSUMER, 'COUNT', batch];
      if (from === '>') args.push('BLOCK', block);
      args.push('STREAMS', key, from);
      const res = (await (redis as unknown as { xreadgroup(...a: (string | number)[]): Promise<[string, [string, string[]][]][] | null> }).xreadgroup(...args));
      await redis.hset(health, 'read', Date.now());
      const entries = res?.[0]?.[1] ?? [];
      if (!entries.length) continue;
      const bodies: Body[] = [];
      const poison: IntakePoison[] = [];
      for (const [id, fields] of entries) {
        const raw = fields[fields.indexOf('b') + 1];
        try {
          const body = JSON.parse(raw) as Body;
          if (!body || typeof body !== 'object' || !Array.isArray(body.events)) throw new Error('not a webhook body');
          bodies.push(body);
        } catch (err) {
          // The web process validated it before appending; an unreadable entry is set aside, not retried forever.
          poison.push({ id: `intake:${id}`, reason: `unreadable intake entry: ${(err as Error).message}`, summary: 'webhook body', payload: String(raw) });
        }
      }
      await Promise.all([...jobsByShard(bodies, queues.lineEvents.length, poison)].map(([shard, jobs]) => queues.lineEvents[shard].addBulk(jobs)));
      for (const p of poison) {
        if (opts.deadLetter) await opts.deadLetter(p);
        else log.error({ id: p.id, reason: p.reason }, 'webhook intake: poison dropped (no dead-letter store)');
      }
      const ids = entries.map(([id]) => id);
      await redis.multi().xack(key, GROUP, ...ids).xdel(key, ...ids).hset(health, 'moved', Date.now()).exec();
      return entries.length;
    }
    return 0;
  }

  async function loop() {
    await ensureGroup();
    while (!stopped) {
      try {
        if (!(await holdLease())) {
          await new Promise((r) => setTimeout(r, 1000));
          continue;
        }
        await moveBatch(1000);
      } catch (err) {
        if (stopped) break;
        const message = String((err as Error).message);
        log.warn({ err: message }, 'webhook intake pump error; retrying');
        // Redis restarted empty or was flushed: the stream's consumer group went with it. Entries
        // added since (XADD recreates the stream) are read from the start of the new group.
        if (message.includes('NOGROUP')) await ensureGroup().catch(() => undefined);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  running = loop();
  return {
    async drain() {
      // The loop does the moving (one mover keeps order); this only waits for the stream to empty.
      while ((await queues.connection.xlen(key)) > 0) await new Promise((r) => setTimeout(r, 20));
    },
    async close() {
      stopped = true;
      // Hand over at once instead of making the next pump wait out the lease.
      if (leader) await queues.connection.eval(`if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`, 1, leaseKey, me).catch(() => undefined);
      // The loop may be blocked in XREADGROUP: closing the connection ends it.
      redis.disconnect();
      await running?.catch(() => undefined);
      leader = false;
    },
  };
}
