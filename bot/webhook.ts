import express, { type Request, type Response, type Router } from 'express';
import { validateSignature, type webhook } from '@line/bot-sdk';
import type { Redis } from 'ioredis';
import type { Logger } from '../shared/logger.ts';
import { appendIntake } from '../shared/intake.ts';
import { sourceProblem } from '../shared/queues.ts';

export const WEBHOOK_BODY_LIMIT = '1mb';
const EVENT_ID = /^[0-9A-Za-z_-]{1,64}$/;
export interface WebhookDeps {
  channelSecret: string;
  /** Where the intake stream lives; its own connection (auto-pipelined: many requests, one write). */
  intakeRedis: Redis;
  prefix: string;
  log: Logger;
  /** Called with each request's duration and status (webhook latency metric). */
  observe?: (seconds: number, status: number) => void;
}

/**
 * POST /webhook: verify LINE's signature on the raw bytes, check the shape, append the body to the
 * intake stream and answer 200 only once Redis has it (see shared/intake.ts for why a stream and not
 * one job per event here). No work happens here: a slow handler would make LINE time out and redeliver.
 */
export function webhookRouter(deps: WebhookDeps): Router {
  const router = express.Router();

  if (deps.observe) {
    const observe = deps.observe;
    router.use('/webhook', (_req, res, next) => {
      const t0 = process.hrtime.bigint();
      res.once('finish', () => observe(Number(process.hrtime.bigint() - t0) / 1e9, res.statusCode));
      next();
    });
  }

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
    for (const [i, e] of events.entries()) {
      const problem = sourceProblem(e.source);
      if (problem) return void res.status(400).json({ message: `events[${i}]: ${problem} (แหล่งที่มาของเหตุการณ์ไม่ถูกต้อง)` });
    }

    try {
      // The validated bytes as LINE sent them (not re-serialised): the pump parses them again.
      await appendIntake(deps.intakeRedis, deps.prefix, raw);
    } catch (err) {
      // Not durable, so not acknowledged: LINE will redeliver.
      deps.log.error({ err }, 'could not queue webhook events');
      return void res.status(503).json({ message: 'Temporarily unavailable, please retry (ระบบไม่พร้อมชั่วคราว)' });
    }
    res.status(200).json({});
  });

  return router;
}
