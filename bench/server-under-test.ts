/**
 * A server for bench/webhook.ts to load, in its own process so the load generator does not share an
 * event loop (or a core) with it. Prints one line `READY {"url": ...}` on stdout once listening, then
 * serves until SIGTERM/SIGINT.
 *
 *   BENCH_MODE=ours      the real web process (createRuntime + startWeb): POST /webhook verifies,
 *                        parses and queues into Redis. No worker: jobs stay in Redis to be counted.
 *                        Needs REDIS_URL, MONGODB_URI, LINE_CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN,
 *                        QUEUE_PREFIX, BENCH_DB_NAME (dropped on exit).
 *   BENCH_MODE=baseline  a bare express app with @line/bot-sdk's `middleware` (signature check + JSON
 *                        parse) answering 200 {} and queuing nothing. Needs LINE_CHANNEL_SECRET.
 */
import type { Server } from 'node:http';
import express from 'express';
import { middleware } from '@line/bot-sdk';
import { createRuntime, startWeb } from '../app/runtime.ts';
import { loadConfig } from '../shared/config.ts';

const mode = process.env.BENCH_MODE;

async function startOurs(): Promise<{ url: string; close(): Promise<void> }> {
  const config = loadConfig({
    ...process.env,
    // Anywhere: nothing in the intake path calls LINE.
    LINE_API_BASE_URL: 'http://127.0.0.1:9',
    LINE_DATA_API_BASE_URL: 'http://127.0.0.1:9',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    PORT: '0',
  });
  const rt = await createRuntime(config, { dbName: process.env.BENCH_DB_NAME ?? 'rongrian_bench' });
  const web = await startWeb(rt, 0, '127.0.0.1');
  return {
    url: web.url,
    async close() {
      await web.close();
      await rt.models.conn.dropDatabase().catch(() => undefined);
      await rt.close();
    },
  };
}

function startBaseline(): Promise<{ url: string; close(): Promise<void> }> {
  const channelSecret = process.env.LINE_CHANNEL_SECRET;
  if (!channelSecret) throw new Error('LINE_CHANNEL_SECRET is required');
  const app = express();
  app.disable('x-powered-by');
  app.post('/webhook', middleware({ channelSecret }), (_req, res) => void res.status(200).json({}));
  return new Promise((resolve, reject) => {
    const server: Server = app.listen(0, '127.0.0.1', (err?: Error) => {
      if (err) return reject(err);
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }),
      });
    });
  });
}

const running = mode === 'ours' ? await startOurs() : mode === 'baseline' ? await startBaseline() : undefined;
if (!running) {
  console.error(`BENCH_MODE must be "ours" or "baseline" (got ${mode})`);
  process.exit(2);
}
process.stdout.write(`READY ${JSON.stringify({ url: running.url, pid: process.pid })}\n`);

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  const t = setTimeout(() => process.exit(1), 10_000);
  t.unref();
  try {
    await running!.close();
  } finally {
    process.exit(0);
  }
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
// The parent going away (stdin closed) must not leave us running.
process.stdin.on('end', shutdown);
process.stdin.resume();
