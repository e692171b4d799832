import { randomUUID } from 'node:crypto';
import type { webhook } from '@line/bot-sdk';
import type { Redis } from 'ioredis';
import type { Logger } from './logger.ts';
import { chatIdOf, LINE_EVENT_JOB_OPTIONS, shardOf, type LineEventJob, type Queues } from './queues.ts';

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

/** Turns stream entries (in order) into shard jobs; a chat's events keep their order within a shard. */
export function jobsByShard(bodies: Body[], shards: number): Map<number, { name: string; data: LineEventJob; opts: typeof LINE_EVENT_JOB_OPTIONS }[]> {
  const byShard = new Map<number, { name: string; data: LineEventJob; opts: typeof LINE_EVENT_JOB_OPTIONS }[]>();
  for (const body of bodies) {
    for (const event of body.events) {
      const shard = shardOf(chatIdOf(event), shards);
      const list = byShard.get(shard) ?? [];
      list.push({ name: event.type, data: { destination: body.destination, event }, opts: { ...LINE_EVENT_JOB_OPTIONS, jobId: event.webhookEventId } });
      byShard.set(shard, list);
    }
  }
  return byShard;
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
}): IntakePump {
  const { redis, queues, prefix, log } = opts;
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
      const entries = res?.[0]?.[1] ?? [];
      if (!entries.length) continue;
      const bodies: Body[] = [];
      for (const [, fields] of entries) {
        try {
          bodies.push(JSON.parse(fields[fields.indexOf('b') + 1]) as Body);
        } catch (err) {
          // The web process validated it before appending; an unreadable entry is logged, not retried forever.
          log.error({ err: (err as Error).message }, 'unreadable webhook intake entry dropped');
        }
      }
      await Promise.all([...jobsByShard(bodies, queues.lineEvents.length)].map(([shard, jobs]) => queues.lineEvents[shard].addBulk(jobs)));
      const ids = entries.map(([id]) => id);
      await redis.multi().xack(key, GROUP, ...ids).xdel(key, ...ids).exec();
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
        log.warn({ err: (err as Error).message }, 'webhook intake pump error; retrying');
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
