import type { TestProject } from 'vitest/node';
import { startLocalServices } from '../../shared/infra/launcher.ts';

/** One throwaway Redis and one MongoDB-compatible server for the whole run; files isolate by db name and queue prefix. */
export default async function setup(project: TestProject) {
  const services = await startLocalServices();
  // Which store the run is on (PostgreSQL, or the SQLite fallback), for whoever reads the log.
  console.error(`test services: ${services.describe.redis}; ${services.describe.mongo}`);
  project.provide('redisUrl', services.redisUrl);
  project.provide('mongoUri', services.mongoUri);
  return () => services.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    mongoUri: string;
  }
}
