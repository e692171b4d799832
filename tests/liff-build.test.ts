import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { buildLiff } from '../liff/build.ts';
import { loadConfig } from '../shared/config.ts';

const out = mkdtempSync(join(tmpdir(), 'rongrian-liff-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

// `npm start` builds the mini-app in its own process and then reads its configuration from
// process.env: Vite used to leave NODE_ENV=production behind, and the demo refused to start
// ("METRICS_TOKEN is required in production").
it('building the mini-app in-process leaves NODE_ENV as it was, so the demo does not turn into production', async () => {
  const before = process.env.NODE_ENV;
  delete process.env.NODE_ENV;
  try {
    await buildLiff({ outDir: out });
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    expect(process.env.NODE_ENV).toBeUndefined();
    const config = loadConfig({ ...process.env, LINE_CHANNEL_SECRET: 's', LINE_CHANNEL_ACCESS_TOKEN: 't', MONGODB_URI: 'mongodb://127.0.0.1:1/x', REDIS_URL: 'redis://127.0.0.1:1' });
    expect(config.NODE_ENV).toBe('development');
  } finally {
    if (before !== undefined) process.env.NODE_ENV = before;
  }
}, 120_000);
