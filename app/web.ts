import { loadConfig } from '../shared/config.ts';
import { createLogger } from '../shared/logger.ts';
import { onShutdown, runMain } from './main.ts';
import { createRuntime, prepareDatabase, startWeb } from './runtime.ts';

/** `npm run web`: webhook + health checks, against the configured Redis, MongoDB and LINE. */
runMain(async () => {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  // Code loaded; from here on: connect, migrate if the database is behind (or wait for it), listen.
  log.info('web starting');
  const rt = await createRuntime(config, { log });
  await prepareDatabase(rt);
  const web = await startWeb(rt);
  onShutdown(async () => { await web.close(); await rt.close(); }, rt.log);
  rt.log.info({ port: config.PORT }, 'web listening');
});
