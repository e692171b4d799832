import { loadConfig } from '../shared/config.ts';
import { createLogger } from '../shared/logger.ts';
import { onShutdown, runMain } from './main.ts';
import { createRuntime, prepareDatabase, startWorker } from './runtime.ts';

/** `npm run worker`: processes webhook events and domain events from the queues. */
runMain(async () => {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  // Code loaded; from here on: connect, migrate if the database is behind (or wait for it), consume.
  log.info('worker starting');
  const rt = await createRuntime(config, { log });
  await prepareDatabase(rt);
  const workers = await startWorker(rt);
  onShutdown(async () => { await workers.close(); await rt.close(); }, rt.log);
  rt.log.info('worker running');
});
