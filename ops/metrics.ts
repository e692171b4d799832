/**
 * Prometheus metrics at /metrics (prom-client): LINE webhook latency, queue depth per queue and
 * state, overdue cases by escalation level, and the default process metrics. Queue and case
 * figures are read when scraped (the overdue count at most every OVERDUE_CACHE_MS: it scans cases).
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import express, { type Router } from 'express';
import type { Queue } from 'bullmq';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { Models } from '../shared/models/index.ts';
import { overdueFilter } from '../shared/supervision/lateUnits.ts';
import { countDeadLetters } from '../shared/deadLetters.ts';
import type { IntakeHealth } from '../shared/intake.ts';

export const OVERDUE_CACHE_MS = 15_000;
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized', 'waiting-children'] as const;

export interface MetricsDeps {
  models: Models;
  clock: Clock;
  log: Logger;
  /** Every queue of the deployment, by name. */
  queues: () => Queue[];
  /** Bearer token /metrics requires; empty: open (bind it to a private network). */
  token: string;
  /** The webhook intake's state (shared/intake.ts intakeHealth); absent: not reported. */
  intake?: () => Promise<IntakeHealth>;
}

export interface Metrics {
  registry: Registry;
  observeWebhook(seconds: number, status: number): void;
  /** One GeoReport read served without an API key (exchange/index.ts). */
  countPublicRead(): void;
  router: Router;
}

/** Equal strings in constant time (hashing first makes the lengths equal). */
export function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

export function createMetrics(deps: MetricsDeps): Metrics {
  // Our own registry, not prom-client's global one: tests run several apps in one process.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'rongrian_' });

  const webhook = new Histogram({
    name: 'rongrian_line_webhook_duration_seconds',
    help: 'Time to answer LINE webhook requests (signature check + durable append), by HTTP status',
    labelNames: ['status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });

  // Keyless reads carry no personal data and are not audited; this is how often the public view is used.
  const publicReads = new Counter({
    name: 'rongrian_open311_public_reads_total',
    help: 'GeoReport v2 reads served without an API key (the public view)',
    registers: [registry],
  });

  new Gauge({
    name: 'rongrian_queue_jobs',
    help: 'Jobs in each BullMQ queue by state, read from Redis at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(deps.queues().map(async (q) => {
        try {
          const counts = await q.getJobCounts(...QUEUE_STATES);
          for (const s of QUEUE_STATES) this.set({ queue: q.name, state: s }, counts[s] ?? 0);
        } catch (err) {
          deps.log.warn({ queue: q.name, err: (err as Error).message }, 'metrics: queue counts unavailable');
        }
      }));
    },
  });

  let overdue: { at: number; byLevel: Map<number, number> } | undefined;
  new Gauge({
    name: 'rongrian_cases_overdue',
    help: `Open cases past a deadline, by escalation level (0 = not escalated); cached ${OVERDUE_CACHE_MS / 1000} s`,
    labelNames: ['level'] as const,
    registers: [registry],
    async collect() {
      const now = deps.clock.now();
      if (!overdue || Date.now() - overdue.at > OVERDUE_CACHE_MS) {
        try {
          const groups = await deps.models.Case.aggregate<{ _id: number | null; n: number }>([
            { $match: overdueFilter(now) },
            { $group: { _id: '$escalationLevel', n: { $sum: 1 } } },
          ]);
          const byLevel = new Map<number, number>();
          for (const g of groups) byLevel.set(g._id ?? 0, (byLevel.get(g._id ?? 0) ?? 0) + g.n);
          overdue = { at: Date.now(), byLevel };
        } catch (err) {
          deps.log.warn({ err: (err as Error).message }, 'metrics: overdue count unavailable');
        }
      }
      this.reset();
      // Level 0 is always reported, so "no overdue cases" reads 0 rather than no series.
      this.set({ level: '0' }, 0);
      for (const [level, n] of overdue?.byLevel ?? []) this.set({ level: String(level) }, n);
    },
  });

  let dead: { at: number; byKind: Map<string, number> } | undefined;
  new Gauge({
    name: 'rongrian_dead_letters',
    help: `Events set aside in the dead-letter store and not redriven, by kind (npm run cli -- deadletter list); cached ${OVERDUE_CACHE_MS / 1000} s`,
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      if (!dead || Date.now() - dead.at > OVERDUE_CACHE_MS) {
        try {
          dead = { at: Date.now(), byKind: await countDeadLetters(deps.models) };
        } catch (err) {
          deps.log.warn({ err: (err as Error).message }, 'metrics: dead letters unavailable');
        }
      }
      this.reset();
      // Both kinds always reported, so "none" reads 0 and an alert on > 0 needs no absent() guard.
      for (const kind of ['line-event', 'intake-entry']) this.set({ kind }, dead?.byKind.get(kind as never) ?? 0);
    },
  });

  if (deps.intake) {
    const intake = deps.intake;
    let last: Promise<IntakeHealth | undefined> | undefined;
    // One read per scrape for the three gauges.
    const read = () => (last ??= intake().catch((err) => { deps.log.warn({ err: (err as Error).message }, 'metrics: intake health unavailable'); return undefined; }).finally(() => setTimeout(() => { last = undefined; }, 100)));
    new Gauge({ name: 'rongrian_intake_backlog', help: 'Webhook bodies taken in and not yet moved into the shard queues', registers: [registry],
      async collect() { const h = await read(); if (h) this.set(h.backlog); } });
    new Gauge({ name: 'rongrian_intake_lag_seconds', help: 'Age of the oldest webhook body not yet moved into the shard queues (0: none)', registers: [registry],
      async collect() { const h = await read(); if (h) this.set(h.lagMs / 1000); } });
    new Gauge({ name: 'rongrian_intake_stuck', help: '1 when the intake pump has not moved waiting webhook bodies for too long (as /readyz)', registers: [registry],
      async collect() { const h = await read(); if (h) this.set(h.ok ? 0 : 1); } });
  }

  const router = express.Router();
  router.get('/metrics', async (req, res) => {
    if (deps.token) {
      const auth = req.get('authorization') ?? '';
      const given = /^bearer\s+/i.test(auth) ? auth.replace(/^bearer\s+/i, '').trim() : '';
      if (!given || !sameSecret(given, deps.token)) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
        return void res.status(401).type('text/plain').send('Unauthorized: Authorization: Bearer <METRICS_TOKEN> required\n');
      }
    }
    try {
      const body = await registry.metrics();
      res.status(200).type(registry.contentType).send(body);
    } catch (err) {
      deps.log.error({ err }, 'metrics: collection failed');
      res.status(500).type('text/plain').send('metrics collection failed\n');
    }
  });

  return {
    registry,
    observeWebhook: (seconds, status) => webhook.observe({ status: String(status) }, seconds),
    countPublicRead: () => publicReads.inc(),
    router,
  };
}
