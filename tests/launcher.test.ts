import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalServices } from '../shared/infra/launcher.ts';
import { CHROMIUM_NOTE, GO_FOR_FERRETDB_NOTE, installStep, planInstall, type MachineFacts } from '../shared/infra/installPlan.ts';

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

/** A machine with everything the demo and the tests need. */
const complete: MachineFacts = {
  redisServer: true, postgres: true, mongod: false, ferretdb: true, go: 'ok', aptGoRecentEnough: false, caCertificates: true,
  chromium: true, aptChromium: true, thaiFonts: true, emojiFont: true, schemathesis: true, pythonVenv: true, env: {},
};
/** A fresh Debian 12 (a cloud image: CA certificates there): no Redis, no PostgreSQL, no Go, no browser, no Python venv. */
const freshDebian12: MachineFacts = {
  ...complete, redisServer: false, postgres: false, ferretdb: false, go: 'missing', chromium: false, thaiFonts: false, emojiFont: false, schemathesis: false, pythonVenv: false,
};

describe('the first command installs what is missing (planning, no apt run)', () => {
  it('a complete machine needs nothing, for the demo or the tests', () => {
    expect(planInstall(complete, 'start')).toEqual({ packages: [], notes: [] });
    expect(planInstall(complete, 'test')).toEqual({ packages: [], notes: [] });
    expect(installStep([], { root: true, aptGet: true })).toEqual({ kind: 'none' });
  });

  it('the demo needs Redis and PostgreSQL but no browser; the tests add Chromium, Thai and emoji fonts and python3-venv', () => {
    expect(planInstall(freshDebian12, 'start').packages).toEqual(['redis-server', 'postgresql']);
    expect(planInstall(freshDebian12, 'test').packages).toEqual(['redis-server', 'postgresql', 'chromium', 'fonts-thai-tlwg', 'fonts-noto-color-emoji', 'python3-venv']);
  });

  it('Go to build FerretDB: golang-go where apt has 1.21 or newer, else a note pointing to go.dev (Debian 12)', () => {
    expect(planInstall(freshDebian12, 'start').notes).toEqual([GO_FOR_FERRETDB_NOTE]);
    expect(GO_FOR_FERRETDB_NOTE).toContain('https://go.dev/dl/');
    const ubuntu2404 = { ...freshDebian12, aptGoRecentEnough: true };
    expect(planInstall(ubuntu2404, 'start')).toEqual({ packages: ['redis-server', 'postgresql', 'golang-go'], notes: [] });
    // An old Go (1.19) cannot fetch FerretDB's toolchain: it counts as none.
    expect(planInstall({ ...ubuntu2404, go: 'old' }, 'start').packages).toContain('golang-go');
    // A minimal container image has no CA bundle: Go could not download FerretDB's sources.
    expect(planInstall({ ...ubuntu2404, caCertificates: false }, 'start').packages).toEqual(['redis-server', 'postgresql', 'golang-go', 'ca-certificates']);
    // Built once, FerretDB needs no Go again.
    expect(planInstall({ ...freshDebian12, ferretdb: true }, 'start')).toEqual({ packages: ['redis-server', 'postgresql'], notes: [] });
  });

  it('where apt has no chromium package (Ubuntu), the tests get a note instead, so the other packages still install', () => {
    const ubuntu = { ...freshDebian12, aptChromium: false };
    expect(planInstall(ubuntu, 'test').packages).toEqual(['redis-server', 'postgresql', 'fonts-thai-tlwg', 'fonts-noto-color-emoji', 'python3-venv']);
    expect(planInstall(ubuntu, 'test').notes).toContain(CHROMIUM_NOTE);
  });

  it('REDIS_URL, MONGODB_URI, a mongod or FERRETDB_HANDLER=sqlite each remove what they replace', () => {
    expect(planInstall({ ...freshDebian12, env: { REDIS_URL: 'redis://cache:6379' } }, 'start').packages).toEqual(['postgresql']);
    expect(planInstall({ ...freshDebian12, env: { MONGODB_URI: 'mongodb://db:27017/rongrian' } }, 'start')).toEqual({ packages: ['redis-server'], notes: [] });
    expect(planInstall({ ...freshDebian12, mongod: true }, 'start')).toEqual({ packages: ['redis-server'], notes: [] });
    expect(planInstall({ ...freshDebian12, env: { FERRETDB_HANDLER: 'sqlite' } }, 'start').packages).toEqual(['redis-server']);
  });

  it('as root with apt-get the packages are installed (update, then install -y); otherwise the one sudo command is printed', () => {
    const packages = planInstall(freshDebian12, 'start').packages;
    expect(installStep(packages, { root: true, aptGet: true })).toEqual({
      kind: 'run', commands: [['apt-get', 'update', '-qq'], ['apt-get', 'install', '-y', '-qq', 'redis-server', 'postgresql']],
    });
    expect(installStep(packages, { root: false, aptGet: true })).toEqual({ kind: 'print', command: 'sudo apt-get install -y redis-server postgresql' });
    expect(installStep(packages, { root: true, aptGet: false })).toEqual({ kind: 'print', command: 'sudo apt-get install -y redis-server postgresql' });
  });

  it('on a machine without redis-server and apt-get, the Debian step says the command to run and the start-up error repeats it', () => {
    // A PATH holding only node and sh: no redis-server, no apt-get. The database is given (and never
    // reached), so only Redis is missing.
    const bin = mkdtempSync(join(tmpdir(), 'rongrian-bare-path-'));
    try {
      symlinkSync(process.execPath, join(bin, 'node'));
      symlinkSync('/bin/sh', join(bin, 'sh'));
      const env = { PATH: bin, HOME: tmpdir(), MONGODB_URI: 'mongodb://127.0.0.1:9/rongrian' };
      const step = spawnSync(process.execPath, ['scripts/install-packages.ts', 'start'], { env, encoding: 'utf8' });
      expect(step.status).toBe(0);
      expect(step.stderr).toContain('rongrian: missing redis-server — run: sudo apt-get install -y redis-server');
      const start = spawnSync(process.execPath, ['--input-type=module', '-e',
        "const { startLocalServices } = await import('./shared/infra/launcher.ts'); await startLocalServices().catch((e) => { console.error(e.name + ': ' + e.message); process.exit(3); });"],
        { env, encoding: 'utf8' });
      expect(start.status).toBe(3);
      expect(start.stderr).toContain('MissingDependencyError: redis-server is not installed. Install it with: sudo apt-get install -y redis-server');
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  }, 30_000);
});
