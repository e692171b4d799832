import { randomBytes } from 'node:crypto';
import { connectMigrated } from '../app/migrate.ts';
import { startLocalServices, type LocalServices } from '../shared/infra/launcher.ts';
import type { Models } from '../shared/models/index.ts';

/** What every benchmark script shares: positive-number env knobs, a seeded random source, number formatting and a timestamped log. */

export function num(name: string, dflt: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number (got ${raw})`);
  return Math.round(n);
}

export const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

export const benchLog = (name: string) => (...a: unknown[]) => console.error(`[${name} ${new Date().toISOString().slice(11, 19)}]`, ...a);

/** Deterministic pseudo-random numbers (mulberry32), so runs are comparable. */
export function seededRandom(start = 0x5eed) {
  let seed = start;
  const rand = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  return { rand, pick };
}

/**
 * A fresh migrated database to measure on: at MONGODB_URI when set, else on a throwaway server this
 * starts. `close()` drops the database and stops what was started.
 */
export async function benchDatabase(prefix: string, log: (...a: unknown[]) => void): Promise<{ models: Models; services?: LocalServices; dbName: string; close(): Promise<void> }> {
  let services: LocalServices | undefined;
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    log('starting a throwaway MongoDB-compatible server');
    services = await startLocalServices();
    uri = services.mongoUri;
  }
  const dbName = `${prefix}_${randomBytes(3).toString('hex')}`;
  const models = await connectMigrated(uri, dbName);
  return {
    models, services, dbName,
    async close() {
      await models.conn.dropDatabase().catch(() => undefined);
      await models.conn.close();
      await services?.stop();
    },
  };
}
