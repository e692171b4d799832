import { loadConfig } from '../shared/config.ts';
import { onShutdown, runMain } from './main.ts';
import { createRuntime, prepareDatabase, startWorker } from './runtime.ts';

/** `npm run worker`: processes webhook events and domain events from the queues. */
runMain(async () => {
  const config = loadConfig();
  const rt = await createRuntime(config);
  await prepareDatabase(rt);
  const workers = await startWorker(rt);
  onShutdown(async () => { await workers.close(); await rt.close(); }, rt.log);
  rt.log.info('worker running');
});
