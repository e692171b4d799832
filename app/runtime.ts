import type { Server } from 'node:http';
import { createWebApp } from './webApp.ts';
import { handleLineEvent } from '../bot/handlers/index.ts';
import type { BotDeps } from '../bot/deps.ts';
import { imageStore } from '../bot/media.ts';
import { ensureOfficerMenu, ensureRichMenu, type OfficerMenuKind } from '../bot/richMenu.ts';
import { systemClock, type Clock } from '../shared/clock.ts';
import type { Config } from '../shared/config.ts';
import { createLineClient, type LineClient } from '../shared/line/client.ts';
import { createLogger, type Logger } from '../shared/logger.ts';
import { connectDb, type Models } from '../shared/models/index.ts';
import { createLiffApi, type LiffApiDeps } from '../liff/api/index.ts';
import { createQueues, publisherFor, type Queues } from '../shared/queues.ts';
import { startWorkers, type RunningWorkers, type WorkerDeps } from '../workers/index.ts';
import { simulatorUrlOf } from '../liff/static.ts';
import { slaContext } from '../shared/sla/load.ts';
import { createIdTokenVerifier } from '../liff/api/auth.ts';
import { buildReport, createReportsRouter, lineIdTokenAuthenticator, rowMapping, type Authenticate } from '../shared/reports/index.ts';
import { createApiKeyAuthenticator, createExchangeApi, partnerLimiter } from '../exchange/index.ts';
import { HttpError } from '../shared/http/errors.ts';
import { fanOutPartnerEvent } from '../exchange/webhooks.ts';
import { createMetrics } from '../ops/metrics.ts';
import { intakeHealth } from '../shared/intake.ts';
import { queuesBoard } from '../ops/queuesBoard.ts';
import { createSlaQueue } from '../workers/sla/worker.ts';
import { createDashboard } from '../dashboard/index.ts';
import { createDashboardAuthenticate, type DashboardAuthenticate } from '../dashboard/auth.ts';
import { createFiguresRouter } from '../figures/index.ts';
import { ensureMigrated } from './migrate.ts';
import { Queue, type ConnectionOptions } from 'bullmq';
import { EVENT_CONSUMERS } from '../shared/cases/outbox.ts';
import { eventQueueName } from '../workers/events/consumer.ts';
import { responseTemplates } from '../shared/templates.ts';
import { forgetPublicFigures } from '../shared/publicResults/index.ts';

/** Everything a process needs, wired once from the validated config (the composition root). */
export interface Runtime {
  config: Config;
  log: Logger;
  models: Models;
  queues: Queues;
  line: LineClient;
  clock: Clock;
  bot: BotDeps;
  /** The bot's deps plus what the worker runs of the bot and the exchange (workers/ imports neither). */
  workerDeps: WorkerDeps;
  /** Reads the dashboard's session cookie: `authenticate(req)` for /api/reports, /admin/queues and the like. */
  dashboardAuthenticate: DashboardAuthenticate;
  close(): Promise<void>;
}

export async function createRuntime(config: Config, opts: { clock?: Clock; log?: Logger; dbName?: string } = {}): Promise<Runtime> {
  const log = opts.log ?? createLogger(config.LOG_LEVEL);
  const clock = opts.clock ?? systemClock;
  // The SLA policy and holiday override files: a bad one stops start-up here, naming the key, not the first intake.
  slaContext();
  rowMapping();
  responseTemplates();
  const models = await connectDb(config.MONGODB_URI, opts.dbName);
  // Every process on this database (and every tool built on the runtime) gets its collections and
  // indexes from the one migration step, never from mongoose at connect time.
  try {
    await ensureMigrated(models, { log });
  } catch (err) {
    await models.conn.close();
    throw err;
  }
  const queues = createQueues(config.REDIS_URL, config.QUEUE_PREFIX, config.EVENT_SHARDS);
  const line = createLineClient(config);
  let richMenu: Promise<string | undefined> | undefined;
  const officerMenus = new Map<OfficerMenuKind, Promise<string | undefined>>();
  const links = { LIFF_ID: config.LIFF_ID, PUBLIC_BASE_URL: config.PUBLIC_BASE_URL };
  const bot: BotDeps = {
    models, clock, log, line,
    links: { LIFF_ID: config.LIFF_ID, PUBLIC_BASE_URL: config.PUBLIC_BASE_URL },
    publish: publisherFor(queues),
    storeImage: imageStore(models, line),
    // Created on first need, not at start-up: the worker should not fail to start because LINE is slow.
    richMenuId: () => (richMenu ??= ensureRichMenu(line, log).catch((err) => { richMenu = undefined; log.warn({ err: err.message }, 'rich menu unavailable'); return undefined; })),
    officerMenuId: (kind) => {
      if (!officerMenus.has(kind)) officerMenus.set(kind, ensureOfficerMenu(line, log, links, kind).catch((err) => { officerMenus.delete(kind); log.warn({ err: err.message, kind }, 'officer rich menu unavailable'); return undefined; }));
      return officerMenus.get(kind)!;
    },
  };
  const workerDeps: WorkerDeps = { ...bot, handleLineEvent: (job) => handleLineEvent(bot, job), fanOutPartnerEvent };
  return {
    config, log, models, queues, line, clock, bot, workerDeps,
    dashboardAuthenticate: createDashboardAuthenticate({ models, clock, config }),
    async close() {
      await queues.close();
      await models.conn.close();
    },
  };
}

/**
 * Collections, indexes and the unit seed (app/migrate.ts): run once under a lock if the database is
 * behind this code, waited for if another process is running it, otherwise one read. createRuntime
 * has done it already; again here for a database dropped or emptied since (demos, tests).
 */
export async function prepareDatabase(rt: Runtime): Promise<void> {
  await ensureMigrated(rt.models, { log: rt.log });
}

export interface RunningWeb {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export function startWeb(rt: Runtime, port = rt.config.PORT, host = '0.0.0.0', opts: { liffRateLimits?: LiffApiDeps['limits']; reportAuth?: Authenticate[] } = {}): Promise<RunningWeb> {
  const liffApi = createLiffApi({
    models: rt.models, clock: rt.clock, publish: rt.bot.publish, log: rt.log, line: rt.line, redis: rt.queues.connection,
    config: { LINE_API_BASE_URL: rt.config.LINE_API_BASE_URL, LINE_LOGIN_CHANNEL_ID: rt.config.LINE_LOGIN_CHANNEL_ID, QUEUE_PREFIX: rt.config.QUEUE_PREFIX },
    links: rt.bot.links,
    ...(opts.liffRateLimits ? { limits: opts.liffRateLimits } : {}),
  });
  // API keys of partner agencies: the data exchange and /api/reports take the same authenticator.
  const apiKeyAuthenticate = createApiKeyAuthenticator(rt.models, rt.clock);
  // Reports: a LINE ID token of a linked officer is one way in; the dashboard session and API keys add theirs in front.
  // One budget per API key across the partner API and /api/reports (same Redis counter).
  const partnerRateLimit = { redis: rt.queues.connection, prefix: rt.config.QUEUE_PREFIX, perMinute: rt.config.PARTNER_RATE_LIMIT_PER_MIN };
  const spendBudget = partnerLimiter(partnerRateLimit, rt.clock);
  const spendPartnerBudget = (apiKeyId: string, cost: number) => spendBudget(apiKeyId, cost).then(() => undefined, (err: unknown) => {
    if (err instanceof HttpError && err.status === 429) return err.retryAfterSec ?? 60;
    throw err;
  });
  const reportsApi = createReportsRouter({ models: rt.models, spendPartnerBudget, authenticate: reportAuthenticator(rt, [rt.dashboardAuthenticate, ...(opts.reportAuth ?? []), apiKeyAuthenticate]) });
  const dashboard = createDashboard({ models: rt.models, clock: rt.clock, log: rt.log, config: rt.config, calendar: slaContext().calendar,
    buildReport: (q) => buildReport({ models: rt.models }, q), actions: { publish: rt.bot.publish, line: rt.line, forgetPublicFigures: () => forgetPublicFigures(rt.queues.connection, rt.config.QUEUE_PREFIX) } });
  // Data exchange: Open311 + partner API behind API keys.
  const exchange = createExchangeApi({ models: rt.models, clock: rt.clock, publish: rt.bot.publish, log: rt.log, publicBaseUrl: rt.config.PUBLIC_BASE_URL, authenticate: apiKeyAuthenticate,
    rateLimit: partnerRateLimit,
    onPublicRead: () => metrics.countPublicRead() });
  // Operations: every queue of the deployment, for /metrics and /admin/queues.
  const slaQueue = createSlaQueue(rt.queues.connection, rt.config.QUEUE_PREFIX);
  const eventQueues = EVENT_CONSUMERS.map((c) => new Queue(eventQueueName(c), { connection: rt.queues.connection as ConnectionOptions, prefix: rt.config.QUEUE_PREFIX }));
  const allQueues = () => [...rt.queues.lineEvents, rt.queues.domainEvents, ...eventQueues, rt.queues.partnerWebhooks, slaQueue, rt.queues.deadLetters];
  const metrics = createMetrics({ models: rt.models, clock: rt.clock, log: rt.log, queues: allQueues, token: rt.config.METRICS_TOKEN,
    intake: () => intakeHealth(rt.queues.connection, rt.config.QUEUE_PREFIX) });
  const board = queuesBoard({ queues: allQueues(), adminUser: rt.config.ADMIN_USER, adminPassword: rt.config.ADMIN_PASSWORD,
    authorize: async (req) => { const p = await rt.dashboardAuthenticate(req); return p?.kind === 'officer' && p.role === 'admin'; } });
  const app = createWebApp({ reportsApi, channelSecret: rt.config.LINE_CHANNEL_SECRET, queues: rt.queues, models: rt.models, log: rt.log, liffApi,
    liffPages: { liffId: rt.config.LIFF_ID, simulatorUrl: simulatorUrlOf(rt.config.LINE_API_BASE_URL) }, dashboard,
    routers: [exchange, metrics.router, board, ...(rt.config.PUBLIC_FIGURES ? [publicFigures(rt)] : [])], observeWebhook: metrics.observeWebhook });
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => {
      if (err) return reject(err);
      const addr = server.address();
      const actual = typeof addr === 'object' && addr ? addr.port : port;
      resolve({
        server,
        url: `http://127.0.0.1:${actual}`,
        close: async () => {
          await new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); });
          await slaQueue.close();
          await Promise.all(eventQueues.map((q) => q.close()));
        },
      });
    });
  });
}

/** The public figures page (figures/): mounted only with PUBLIC_FIGURES=true, so a deployment that has not decided to publish answers 404. */
function publicFigures(rt: Runtime) {
  return createFiguresRouter({ models: rt.models, redis: rt.queues.connection, prefix: rt.config.QUEUE_PREFIX, clock: rt.clock, log: rt.log, cacheSeconds: rt.config.PUBLIC_FIGURES_CACHE_SECONDS });
}

export function startWorker(rt: Runtime): Promise<RunningWorkers> {
  return startWorkers(rt.workerDeps, { redisUrl: rt.config.REDIS_URL, prefix: rt.config.QUEUE_PREFIX, queues: rt.queues, log: rt.log });
}

function reportAuthenticator(rt: Runtime, extra: Authenticate[]): Authenticate {
  const verify = createIdTokenVerifier({
    verifyUrl: `${rt.config.LINE_API_BASE_URL.replace(/\/+$/, '')}/oauth2/v2.1/verify`,
    channelId: rt.config.LINE_LOGIN_CHANNEL_ID, clock: rt.clock, log: rt.log,
  });
  const byLine = lineIdTokenAuthenticator(rt.models, verify);
  return async (req) => {
    for (const a of extra) {
      const p = await a(req);
      if (p) return p;
    }
    return byLine(req);
  };
}
