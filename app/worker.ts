import { loadConfig } from '../shared/config.ts';
import { onShutdown, runMain } from './main.ts';
import { createRuntime, prepareDatabase, startWorker } from './runtime.ts';

/** `npm run worker`: processes webhook events and domain events from the queues. */
runMain(async () => {
  const config = loadConfig();
  const rt = await createRuntime(config);
  await prepareDatabase(rt);
  const workers = await startWorker(rt);
  rt.log.info('worker running');
  onShutdown(async () => { await workers.close(); await rt.close(); }, rt.log);
});
