import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import type { Logger } from '../shared/logger.ts';
import type { Models } from '../shared/models/index.ts';
import type { Queues } from '../shared/queues.ts';
import { liffPages, type LiffPagesOptions } from '../liff/static.ts';
import { intakeHealth } from '../shared/intake.ts';
import { webhookRouter } from '../bot/webhook.ts';
import { securityHeaders } from '../shared/http/securityHeaders.ts';

export interface WebAppDeps {
  channelSecret: string;
  queues: Queues;
  models: Models;
  log: Logger;
  /** The LIFF API (liff/api), mounted at /liff/api; absent: not served. */
  liffApi?: Router;
  /** The official report tables (shared/reports), mounted at /api/reports; absent: not served. */
  reportsApi?: Router;
  /** The LIFF mini-app's pages at /liff/; absent: not served. */
  liffPages?: LiffPagesOptions;
  /** More routers at the root, before the 404 (data exchange /open311 + /api/v1, /metrics, /admin/queues). */
  routers?: Router[];
  /** Observes each webhook request's duration (the Prometheus histogram, ops/metrics.ts). */
  observeWebhook?: (seconds: number, status: number) => void;
  /** The executive dashboard (dashboard/), mounted at /dashboard; absent: not served. */
  dashboard?: Router;
  /** /readyz reports intake stuck when entries waited this long and nothing moved (default 60 s). */
  intakeStuckMs?: number;
}

/**
 * The `web` process, assembled from the parts: the bot's LINE webhook, health checks, the LIFF pages
 * and API, reports, the dashboard and the routers app/runtime.ts hands in (exchange, metrics, queues).
 */
export function createWebApp(deps: WebAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  // A strict baseline on every answer; the HTML surfaces widen the CSP for what their pages load.
  app.use(securityHeaders());

  app.use(webhookRouter({ channelSecret: deps.channelSecret, intakeRedis: deps.queues.intake, prefix: deps.queues.prefix, log: deps.log, observe: deps.observeWebhook }));

  if (deps.liffApi) app.use('/liff/api', deps.liffApi);
  if (deps.reportsApi) app.use('/api/reports', deps.reportsApi);

  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  // Ready means events taken in also come out: besides Redis and the database, the intake pump
  // (in the worker) must be moving the webhook stream (see intakeHealth for what counts as stuck).
  app.get('/readyz', async (_req, res) => {
    const [redis, db, intake] = await Promise.all([
      deps.queues.connection.ping().then(() => true, () => false),
      deps.models.conn.db ? deps.models.conn.db.admin().ping().then(() => true, () => false) : Promise.resolve(false),
      intakeHealth(deps.queues.connection, deps.queues.prefix, deps.intakeStuckMs).catch(() => undefined),
    ]);
    const ok = redis && db && !!intake?.ok;
    res.status(ok ? 200 : 503).json({ ok, redis, db, intake: intake ?? null });
  });

  if (deps.liffPages) app.use('/liff', liffPages(deps.liffPages));
  for (const r of deps.routers ?? []) app.use(r);
  if (deps.dashboard) app.use('/dashboard', deps.dashboard);

  app.use((_req, res) => void res.status(404).json({ message: 'Not found (ไม่พบหน้านี้)' }));
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    const status = typeof err?.status === 'number' ? err.status : 500;
    if (status === 413) return void res.status(413).json({ message: 'Body too large: the limit is 1 MB (ข้อมูลใหญ่เกิน 1 MB)' });
    if (status >= 400 && status < 500) return void res.status(status).json({ message: err.expose ? String(err.message) : 'Bad request (คำขอไม่ถูกต้อง)' });
    deps.log.error({ err }, 'unhandled error');
    res.status(500).json({ message: 'Internal error (เกิดข้อผิดพลาดภายใน)' });
  };
  app.use(onError);
  return app;
}
