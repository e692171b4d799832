import { loadConfig } from '../shared/config.ts';
import { onShutdown, runMain } from './main.ts';
import { createRuntime, prepareDatabase, startWeb } from './runtime.ts';

/** `npm run web`: webhook + health checks, against the configured Redis, MongoDB and LINE. */
runMain(async () => {
  const config = loadConfig();
  const rt = await createRuntime(config);
  await prepareDatabase(rt);
  const web = await startWeb(rt);
  onShutdown(async () => { await web.close(); await rt.close(); }, rt.log);
  rt.log.info({ port: config.PORT }, 'web listening');
});
