import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createRuntime, prepareDatabase, startWeb, startWorker, type Runtime, type RunningWeb } from '../../app/runtime.ts';
import type { Clock } from '../../shared/clock.ts';
import { loadConfig, type Config } from '../../shared/config.ts';
import { startWorkers, type RunningWorkers, type WorkerOptions } from '../../workers/index.ts';
import { startIntakePump, type IntakePump } from '../../shared/intake.ts';
import { redisConnection } from '../../shared/queues.ts';
import { createSlaQueue } from '../../workers/sla/worker.ts';
import { startLineSimulator, type LineSimulator, type SimUser } from '../../simulator/server.ts';
import type { LiffApiDeps } from '../../liff/api/index.ts';

export interface Stack {
  sim: LineSimulator;
  rt: Runtime;
  web: RunningWeb;
  workers?: RunningWorkers;
  config: Config;
  /** Env for a child process (e.g. `node app/worker.ts`) pointed at this stack. */
  env: Record<string, string>;
  startWorkers(): Promise<RunningWorkers>;
  /** Waits until every webhook body taken in has been moved into the shard queues (starts a bare pump if no worker runs). */
  drainIntake(): Promise<void>;
  /** A simulated LINE user registered as an officer of `unitCode`. */
  officer(unitCode: string, role?: 'officer' | 'head', displayName?: string): Promise<SimUser>;
  citizen(displayName?: string, language?: string): Promise<SimUser>;
  close(): Promise<void>;
}

/** Audience of the ID tokens the test simulators issue (their LINE Login channel id). */
export const SIM_LOGIN_CHANNEL_ID = '1234567890';
/** Secret of that LINE Login channel (the dashboard's code exchange). */
export const SIM_LOGIN_CHANNEL_SECRET = 'test-login-channel-secret';

/**
 * The real app on the real services (Redis, FerretDB from the global setup) talking to the LINE
 * simulator; each stack gets its own database and queue prefix so test files run side by side.
 */
export async function startStack(opts: {
  worker?: boolean;
  clock?: Clock;
  /** LINE_LOGIN_CHANNEL_ID of the app; default: the simulator's, so the ID tokens it issues are accepted by the LIFF API. */
  loginChannelId?: string;
  /** Per-user LIFF API limits, e.g. `{ write: { name: 'write', max: 100_000, windowSec: 60 } }` for a fuzzer with one token. */
  liffRateLimits?: LiffApiDeps['limits'];
  /** A Redis of the test's own (one it restarts or flushes) instead of the shared one. */
  redisUrl?: string;
  /** Worker settings (retry budgets, heal interval) for tests that provoke failures. */
  workerOptions?: Partial<WorkerOptions>;
  /** More settings for the app (e.g. `{ PUBLIC_FIGURES: 'true' }`). */
  env?: Record<string, string>;
} = {}): Promise<Stack> {
  const id = randomBytes(4).toString('hex');
  const secret = randomBytes(16).toString('hex');
  const token = randomBytes(24).toString('base64url');
  const sim = await startLineSimulator({
    channelSecret: secret, channelAccessToken: token, loginChannelId: SIM_LOGIN_CHANNEL_ID, loginChannelSecret: SIM_LOGIN_CHANNEL_SECRET,
    now: opts.clock ? () => opts.clock!.now().getTime() : undefined,
  });
  const env = {
    MONGODB_URI: inject('mongoUri'),
    REDIS_URL: opts.redisUrl ?? inject('redisUrl'),
    LINE_CHANNEL_SECRET: secret,
    LINE_CHANNEL_ACCESS_TOKEN: token,
    LINE_API_BASE_URL: sim.url,
    LINE_DATA_API_BASE_URL: sim.url,
    LINE_LOGIN_CHANNEL_ID: opts.loginChannelId ?? SIM_LOGIN_CHANNEL_ID,
    LINE_LOGIN_CHANNEL_SECRET: SIM_LOGIN_CHANNEL_SECRET,
    QUEUE_PREFIX: `t${id}`,
    LOG_LEVEL: 'silent',
    PORT: '0',
    ...opts.env,
  };
  const dbName = `rongrian_t${id}`;
  const config = loadConfig(env);
  const rt = await createRuntime(config, { dbName, clock: opts.clock });
  await prepareDatabase(rt);
  const web = await startWeb(rt, 0, '127.0.0.1', { liffRateLimits: opts.liffRateLimits });
  sim.setWebhookUrl(`${web.url}/webhook`);
  let barePump: IntakePump | undefined;
  const stack: Stack = {
    sim, rt, web, config,
    env: { ...env, MONGODB_URI: `${env.MONGODB_URI.replace(/\/$/, '')}/${dbName}` },
    async drainIntake() {
      const pump = stack.workers?.pump ?? (barePump ??= startIntakePump({ redis: redisConnection(config.REDIS_URL, true), queues: rt.queues, prefix: config.QUEUE_PREFIX, log: rt.log }));
      await pump.drain();
    },
    async startWorkers() {
      stack.workers = opts.workerOptions
        ? await startWorkers(rt.workerDeps, { redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX, queues: rt.queues, log: rt.log, ...opts.workerOptions })
        : await startWorker(rt);
      return stack.workers;
    },
    async officer(unitCode, role = 'officer', displayName = `จนท. ${unitCode}`) {
      const user = sim.addUser({ displayName, language: 'th', role: 'officer' });
      await rt.models.Officer.create({ lineUserId: user.userId, unitCode, role, name: displayName });
      return user;
    },
    async citizen(displayName = 'สมชาย ใจดี', language = 'th') {
      return sim.addUser({ displayName, language, role: 'citizen' });
    },
    async close() {
      await barePump?.close();
      await stack.workers?.close();
      await web.close();
      await rt.models.conn.dropDatabase().catch(() => undefined);
      await rt.queues.connection.eval(`for _,k in ipairs(redis.call('keys', ARGV[1])) do redis.call('del', k) end`, 0, `t${id}:*`).catch(() => undefined);
      await rt.close();
      await sim.close();
    },
  };
  if (opts.worker !== false) await stack.startWorkers();
  return stack;
}

/** The texts of everything a user received, flattened, in order. */
export function textsOf(sim: LineSimulator, userId: string): string[] {
  return sim.messagesFor(userId).flatMap((r) => r.messages.map((m) => (m.type === 'text' ? m.text : m.type === 'flex' ? `[flex] ${m.altText}` : `[${m.type}]`)));
}

/** The last message a user received. */
export function lastMessage(sim: LineSimulator, userId: string): any {
  const all = sim.messagesFor(userId);
  const last = all[all.length - 1];
  return last?.messages[last.messages.length - 1];
}

/** Sends something and waits until the bot has answered it (one more received entry). */
export async function converse(sim: LineSimulator, userId: string, send: () => Promise<{ status: number }>): Promise<any> {
  const before = sim.messagesFor(userId).length;
  const res = await send();
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  await sim.waitForMessages(userId, before + 1, 15_000);
  return lastMessage(sim, userId);
}

/** The postback data of the quick-reply button whose label matches. */
export function quickPostback(msg: any, label: string | RegExp): string {
  const item = msg?.quickReply?.items?.find((i: any) => (typeof label === 'string' ? i.action.label === label : label.test(i.action.label)));
  if (!item) throw new Error(`no quick reply "${label}" in ${JSON.stringify(msg?.quickReply?.items?.map((i: any) => i.action.label))}`);
  return item.action.data;
}

/** Resolves once no job is waiting or running in any queue of the stack (retries waiting out a backoff are not counted). */
export async function drained(stack: Stack, timeoutMs = 15_000): Promise<void> {
  // The SLA queue too: the worker's start-up reconcile is a job of its own now.
  const sla = createSlaQueue(stack.rt.queues.connection, stack.config.QUEUE_PREFIX);
  const queues = [...stack.rt.queues.lineEvents, stack.rt.queues.domainEvents, sla, ...(stack.workers ? stack.workers.events.queues.values() : [])];
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const counts = await Promise.all(queues.map((q) => q.getJobCountByTypes('waiting', 'active', 'prioritized')));
      if (counts.every((n) => n === 0)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await sla.close();
  }
  throw new Error('queues did not drain in time');
}

/** Waits until the user has received a text containing `needle`, and returns that text. */
export async function waitForText(sim: LineSimulator, userId: string, needle: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const hit = textsOf(sim, userId).find((t) => t.includes(needle));
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no message containing "${needle}" for ${userId}; got: ${JSON.stringify(textsOf(sim, userId))}`);
}
