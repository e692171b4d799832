import express, { type Request, type Response, type Router } from 'express';
import { validateSignature, type webhook } from '@line/bot-sdk';
import type { JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../shared/logger.ts';
import { chatIdOf, LINE_EVENT_JOB_OPTIONS, QUEUE_NAMES, shardOf, type LineEventJob, type Queues } from '../shared/queues.ts';

export const WEBHOOK_BODY_LIMIT = '1mb';
const EVENT_ID = /^[0-9A-Za-z_-]{1,64}$/;

export interface WebhookDeps {
  channelSecret: string;
  queues: Queues;
  log: Logger;
}

interface EventJob { name: string; data: LineEventJob; opts: JobsOptions }

/** A batch is flushed early once it holds this many jobs, so one MULTI never grows without bound. */
const MAX_BATCH_JOBS = 1000;

/**
 * Queues the jobs of all the requests handled in the same turn of the event loop together: one
 * `addBulk` (one MULTI, one write to Redis) per shard per turn, instead of one per shard per request.
 * Under load, Redis round trips and socket writes are most of what intake costs; alone, a request
 * waits one `setImmediate` longer. Each caller's promise settles with the `addBulk` of its own shard,
 * so a request is acknowledged only once Redis has acknowledged its events.
 */
export function shardBatcher(queues: Queue<LineEventJob>[], connection?: Redis): (shard: number, jobs: EventJob[]) => Promise<void> {
  let batch: Map<number, { jobs: EventJob[]; done: PromiseWithResolvers<void> }> | undefined;
  let size = 0;

  const flush = () => {
    const current = batch;
    batch = undefined;
    size = 0;
    if (!current) return;
    // Each addBulk writes its own MULTI to the shared connection a few microtasks from now: hold the
    // socket until then, so a batch that spans several shards still goes out in one write.
    const socket = current.size > 1 ? connection?.stream : undefined;
    if (socket?.writable) {
      socket.cork();
      setImmediate(() => socket.uncork());
    }
    for (const [shard, { jobs, done }] of current) queues[shard].addBulk(jobs).then(() => done.resolve(), done.reject);
  };

  return (shard, jobs) => {
    if (!batch) {
      batch = new Map();
      setImmediate(flush);
    }
    let entry = batch.get(shard);
    if (!entry) {
      entry = { jobs: [], done: Promise.withResolvers<void>() };
      batch.set(shard, entry);
    }
    for (const job of jobs) entry.jobs.push(job);
    const done = entry.done.promise;
    size += jobs.length;
    if (size >= MAX_BATCH_JOBS) flush();
    return done;
  };
}

/**
 * POST /webhook: verify LINE's signature on the raw bytes, then queue every event and answer 200 only
 * once Redis has them. No work happens here: a slow handler would make LINE time out and redeliver.
 */
export function webhookRouter(deps: WebhookDeps): Router {
  const router = express.Router();
  const shards = deps.queues.lineEvents.length;
  const enqueue = shardBatcher(deps.queues.lineEvents, deps.queues.connection);

  router.post('/webhook', express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }), async (req: Request, res: Response) => {
    const signature = req.get('x-line-signature');
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!signature) return void res.status(401).json({ message: 'Missing x-line-signature header (ไม่มีลายเซ็น)' });
    if (!validateSignature(raw, deps.channelSecret, signature)) {
      deps.log.warn({ ip: req.ip }, 'webhook signature mismatch');
      return void res.status(401).json({ message: 'Invalid x-line-signature (ลายเซ็นไม่ถูกต้อง)' });
    }
    let body: { destination?: unknown; events?: unknown };
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return void res.status(400).json({ message: 'Body is not valid JSON (ข้อมูลไม่ใช่ JSON)' });
    }
    if (!body || typeof body !== 'object' || !Array.isArray(body.events) || typeof body.destination !== 'string') {
      return void res.status(400).json({ message: 'Body must be {"destination": string, "events": [...]} (รูปแบบข้อมูลไม่ถูกต้อง)' });
    }
    const events = body.events as webhook.Event[];
    const bad = events.findIndex((e) => !e || typeof e !== 'object' || typeof e.type !== 'string' || typeof e.webhookEventId !== 'string' || !EVENT_ID.test(e.webhookEventId));
    if (bad >= 0) return void res.status(400).json({ message: `events[${bad}] needs a type and a webhookEventId (เหตุการณ์ไม่ถูกต้อง)` });

    const byShard = new Map<number, EventJob[]>();
    for (const event of events) {
      const shard = shardOf(chatIdOf(event), shards);
      const list = byShard.get(shard) ?? [];
      // Job id = webhookEventId: a redelivered event finds its job already there and is dropped.
      list.push({ name: event.type, data: { destination: body.destination as string, event }, opts: { ...LINE_EVENT_JOB_OPTIONS, jobId: event.webhookEventId } });
      byShard.set(shard, list);
    }
    try {
      await Promise.all([...byShard].map(([shard, jobs]) => enqueue(shard, jobs)));
    } catch (err) {
      // Not durable, so not acknowledged: LINE will redeliver.
      deps.log.error({ err }, 'could not queue webhook events');
      return void res.status(503).json({ message: 'Temporarily unavailable, please retry (ระบบไม่พร้อมชั่วคราว)' });
    }
    res.status(200).json({});
  });

  return router;
}
