import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = resolve(import.meta.dirname, '..');

/** Every project file the entry points load, following relative imports (static and dynamic). */
function reachable(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const todo = entries.map((e) => join(ROOT, e));
  while (todo.length) {
    const file = todo.pop()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = resolve(dirname(file), m[1]);
      if (/\.(ts|js|mjs)$/.test(target)) todo.push(target);
    }
  }
  return seen;
}

describe('production image (Dockerfile)', () => {
  it('copies every folder the web and worker processes load, so the image starts', () => {
    const copied = new Set([...readFileSync(join(ROOT, 'Dockerfile'), 'utf8').matchAll(/^COPY\s+(?:--from=\S+\s+)?(\S+)\s+\.\/(\S+)/gm)]
      .map((m) => m[2].split('/')[0]));
    const needed = new Set([...reachable(['app/web.ts', 'app/worker.ts', 'app/cli.ts'])]
      .map((f) => relative(ROOT, f).split('/')[0])
      .filter((top) => !top.endsWith('.ts')));
    const missing = [...needed].filter((top) => !copied.has(top));
    expect(missing).toEqual([]);
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, { ports?: string[]; command?: string[]; environment?: Record<string, string> }>;
  };

  it('publishes MongoDB and Redis on 127.0.0.1 only, never on every interface', () => {
    for (const name of ['mongo', 'redis']) {
      const ports = compose.services[name].ports ?? [];
      for (const p of ports) expect(p, `${name} publishes ${p}`).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
    }
  });

  it('makes both databases require a password, and gives the app services those credentials', () => {
    expect(compose.services.mongo.environment?.MONGO_INITDB_ROOT_USERNAME).toBeTruthy();
    expect(compose.services.mongo.environment?.MONGO_INITDB_ROOT_PASSWORD).toMatch(/\$\{MONGO_ROOT_PASSWORD:\?/);
    const redisCmd = compose.services.redis.command ?? [];
    expect(redisCmd[redisCmd.indexOf('--requirepass') + 1]).toMatch(/\$\{REDIS_PASSWORD:\?/);
    for (const app of ['web', 'worker']) {
      const env = compose.services[app].environment ?? {};
      expect(env.MONGODB_URI).toMatch(/^mongodb:\/\/\$\{MONGO_ROOT_USER[^}]*\}:\$\{MONGO_ROOT_PASSWORD[^}]*\}@mongo:27017\/\w+\?authSource=admin$/);
      expect(env.REDIS_URL).toMatch(/^redis:\/\/:\$\{REDIS_PASSWORD[^}]*\}@redis:6379$/);
      // The image runs in production, where /metrics refuses to start open.
      expect(Object.keys(env)).toEqual(expect.arrayContaining(['METRICS_TOKEN', 'METRICS_PUBLIC']));
    }
  });
});
