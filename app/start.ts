import { randomBytes } from 'node:crypto';
import { startLineSimulator, type LineSimulator } from '../simulator/server.ts';
import { loadConfig } from '../shared/config.ts';
import { startLocalServices } from '../shared/infra/launcher.ts';
import { addFerretSqliteIdIndexes } from '../shared/store/ferretSqlite.ts';
import { buildLiff } from '../liff/build.ts';
import { onShutdown, runMain } from './main.ts';
import { createRuntime, prepareDatabase, startWeb, startWorker } from './runtime.ts';
import { seedDemoOfficers } from './demoOfficers.ts';

/**
 * The README's first command: Redis, a MongoDB-compatible store, the bot, the workers and — with no
 * LINE credentials — the built-in LINE simulator with its chat page, all in one process.
 */
runMain(async () => {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) throw Object.assign(new Error(`Node ${process.versions.node} is too old: install Node 24 LTS (or run: bash scripts/install-deps.sh)`), { name: 'MissingDependencyError' });

  // Throwaway stores unless RONGRIAN_DATA_DIR says where to keep them. Redis writes its append-only
  // file either way, so queued work survives a Redis restart; missing Debian packages are installed
  // when running as root (else the error names the command).
  const dataDir = process.env.RONGRIAN_DATA_DIR || undefined;
  const launch = startLocalServices({ dataDir, redisAof: true, installMissing: true });
  // The LIFF pages (/liff/) are built from the current sources, alongside starting the stores.
  const [services] = await Promise.all([launch, buildLiff()]);
  const env: Record<string, string | undefined> = { ...process.env, REDIS_URL: services.redisUrl, MONGODB_URI: services.mongoUri };
  let sim: LineSimulator | undefined;
  if (!env.LINE_CHANNEL_SECRET || !env.LINE_CHANNEL_ACCESS_TOKEN) {
    const secret = randomBytes(16).toString('hex');
    const token = randomBytes(32).toString('base64url');
    // The simulator also plays LINE Login: the ID tokens it gives the LIFF pages are for this channel id.
    const loginChannelId = env.LINE_LOGIN_CHANNEL_ID || '1234567890';
    // …and the dashboard's LINE Login (authorization page + token endpoint) with this channel secret.
    const loginChannelSecret = randomBytes(16).toString('hex');
    sim = await startLineSimulator({ channelSecret: secret, channelAccessToken: token, loginChannelId, loginChannelSecret, port: Number(env.SIMULATOR_PORT ?? 3001) });
    Object.assign(env, { LINE_CHANNEL_SECRET: secret, LINE_CHANNEL_ACCESS_TOKEN: token, LINE_API_BASE_URL: sim.url, LINE_DATA_API_BASE_URL: sim.url, LINE_LOGIN_CHANNEL_ID: loginChannelId, LINE_LOGIN_CHANNEL_SECRET: loginChannelSecret, LINE_LOGIN_BASE_URL: sim.url.replace('127.0.0.1', 'localhost') });
  }
  const config = loadConfig(env);
  const rt = await createRuntime(config);
  await prepareDatabase(rt);
  const web = await startWeb(rt);
  const workers = await startWorker(rt);
  if (sim) {
    sim.setWebhookUrl(`${web.url}/webhook`);
    await seedDemoOfficers(rt, sim);
  }
  // FerretDB/SQLite reads by `_id` scan the table without this index (shared/store/ferretSqlite.ts).
  // The migration added it to every collection it made; any made later get it at the next pass.
  let indexTimer: NodeJS.Timeout | undefined;
  if (services.ferretSqliteDir) {
    const dir = services.ferretSqliteDir;
    const addIdIndexes = () => {
      try {
        const added = addFerretSqliteIdIndexes(dir);
        if (added.length) rt.log.info({ tables: added.length }, 'added _id expression indexes to FerretDB/SQLite tables');
      } catch (err) {
        rt.log.warn({ err: (err as Error).message }, 'could not add _id indexes to FerretDB/SQLite');
      }
    };
    addIdIndexes();
    indexTimer = setInterval(addIdIndexes, 10 * 60_000).unref();
  }

  const lines = [
    '',
    'Rongrian is running (ร้องเรียน พร้อมใช้งาน)',
    `  Web / webhook:    http://localhost:${config.PORT}/webhook   (health: http://localhost:${config.PORT}/healthz)`,
    `  LIFF pages:       http://localhost:${config.PORT}/liff/   (complaint form, my cases, survey, officer pages)`,
    `  Dashboard:        http://localhost:${config.PORT}/dashboard/   (sign in with LINE${sim ? ': pick a demo officer' : ''}; executives' tables, late units, exports)`,
    `  Partner API:      http://localhost:${config.PORT}/open311/openapi.json   (Open311 + /api/v1; keys: npm run cli -- apikey create --unit 50 --name …)`,
    `  Operations:       http://localhost:${config.PORT}/metrics   ·   http://localhost:${config.PORT}/admin/queues   (dashboard admins)`,
    `  Redis:            ${services.describe.redis}`,
    `  Database:         ${services.describe.mongo}`,
    sim
      ? `  LINE simulator:   ${sim.url.replace('127.0.0.1', 'localhost')}/   ← open this: chat as a citizen, switch to an officer to see the alert`
      : `  LINE:             real channel (${config.LINE_API_BASE_URL}); set the webhook URL to ${config.PUBLIC_BASE_URL}/webhook`,
    '  Stop with Ctrl+C.',
    '',
  ];
  console.log(lines.join('\n'));
  onShutdown(async () => {
    clearInterval(indexTimer);
    await workers.close();
    await web.close();
    await rt.close();
    await sim?.close();
    await services.stop();
  }, rt.log);
});
