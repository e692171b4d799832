import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalServices } from '../shared/infra/launcher.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'rongrian-launcher-test-'));
// As a data dir an operator makes: PostgreSQL, run as its own user when we are root, must enter it.
chmodSync(dataDir, 0o755);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function withRedis<T>(url: string, f: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    return await f(r);
  } finally {
    r.disconnect();
  }
}

describe('npm start keeps its Redis data', () => {
  it('Redis runs with an append-only file (fsync every second, no eviction) in the data dir, and a kill -9 then a restart keep what it acknowledged', async () => {
    // The options app/start.ts launches with (installing packages aside).
    const first = await startLocalServices({ dataDir, redisAof: true });
    let pid = 0;
    try {
      await withRedis(first.redisUrl, async (r) => {
        expect(await r.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
        expect(await r.config('GET', 'appendfsync')).toEqual(['appendfsync', 'everysec']);
        expect(await r.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
        expect(await r.config('GET', 'dir')).toEqual(['dir', expect.stringContaining(dataDir)]);
        await r.xadd('rongrian:webhook-intake', '*', 'b', '{"events":[]}');
        pid = Number(/process_id:(\d+)/.exec(await r.info('server'))?.[1]);
      });
      // Redis writes the AOF before it answers: a crash of the process loses nothing it acknowledged.
      process.kill(pid, 'SIGKILL');
    } finally {
      await first.stop();
    }
    const second = await startLocalServices({ dataDir, redisAof: true });
    try {
      await withRedis(second.redisUrl, async (r) => {
        expect(await r.xlen('rongrian:webhook-intake')).toBe(1);
      });
    } finally {
      await second.stop();
    }
  }, 90_000);
});
