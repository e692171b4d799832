import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Starts the throwaway Redis and MongoDB-compatible server the demo and the tests run on:
 * REDIS_URL / MONGODB_URI if given, else `redis-server`, and `mongod` or FerretDB (SQLite handler)
 * from the binaries on this machine, each on a free port with its own temp dir, removed on stop.
 */
export class MissingDependencyError extends Error {
  override name = 'MissingDependencyError';
}

export interface LocalServices {
  redisUrl: string;
  mongoUri: string;
  /** What is running, for the start-up banner: e.g. "FerretDB v1.24.2 (SQLite)". */
  describe: { redis: string; mongo: string };
  /** The FerretDB SQLite directory, when this launched FerretDB (shared/infra/ferretSqlite.ts). */
  ferretSqliteDir?: string;
  stop(): Promise<void>;
}

export const FERRETDB_VERSION = 'v1.24.2';
const INSTALL_HINT = 'bash scripts/install-deps.sh   (or: docker compose up -d, then set REDIS_URL and MONGODB_URI)';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function onPath(bin: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  const found = r.stdout.trim();
  return r.status === 0 && found ? found : undefined;
}

async function waitForPort(port: number, child: ChildProcess, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: number | null = null;
  child.once('exit', (code) => { exited = code ?? -1; });
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`${what} exited (code ${exited}) before accepting connections`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not accept connections on port ${port} within ${timeoutMs} ms`);
}

/** Where the FerretDB build is cached (scripts/install-deps.sh puts it there). */
export function ferretdbBinary(): string {
  return process.env.FERRETDB_BIN
    ?? join(process.env.RONGRIAN_CACHE ?? join(homedir(), '.cache', 'rongrian'), `ferretdb-${FERRETDB_VERSION}`, 'ferretdb');
}

interface Started { url: string; describe: string; child?: ChildProcess; dir?: string; sqlite?: boolean }

async function startRedis(): Promise<Started> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, describe: 'Redis at REDIS_URL' };
  const bin = onPath('redis-server');
  if (!bin) throw new MissingDependencyError(`redis-server is not installed. Install it with: sudo apt-get install -y redis-server   or run: ${INSTALL_HINT}`);
  const dir = mkdtempSync(join(tmpdir(), 'rongrian-redis-'));
  const port = await freePort();
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  await waitForPort(port, child, 'redis-server');
  return { url: `redis://127.0.0.1:${port}`, describe: `redis-server (throwaway, port ${port})`, child, dir };
}

async function startMongo(): Promise<Started> {
  if (process.env.MONGODB_URI) return { url: process.env.MONGODB_URI, describe: 'MongoDB at MONGODB_URI' };
  const dir = mkdtempSync(join(tmpdir(), 'rongrian-db-'));
  const port = await freePort();
  const mongod = onPath('mongod');
  if (mongod) {
    const child = spawn(mongod, ['--dbpath', dir, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet'], { stdio: 'ignore' });
    await waitForPort(port, child, 'mongod');
    return { url: `mongodb://127.0.0.1:${port}`, describe: `mongod (throwaway, port ${port})`, child, dir };
  }
  let ferret = ferretdbBinary();
  if (!existsSync(ferret) && onPath('go')) {
    // Install what we can ourselves: FerretDB builds from the Go module proxy in about a minute.
    const script = fileURLToPath(new URL('../../scripts/build-ferretdb.sh', import.meta.url));
    const built = spawnSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (built.status === 0) ferret = built.stdout.trim();
  }
  if (!existsSync(ferret)) {
    rmSync(dir, { recursive: true, force: true });
    throw new MissingDependencyError(`No MongoDB-compatible server: set MONGODB_URI, put mongod on PATH, or build FerretDB ${FERRETDB_VERSION} with: ${INSTALL_HINT}`);
  }
  const child = spawn(ferret, [
    '--handler=sqlite', `--sqlite-url=file:${dir}/`, `--listen-addr=127.0.0.1:${port}`, `--state-dir=${dir}`,
    '--debug-addr=-', '--telemetry=disable', '--log-level=error',
  ], { stdio: 'ignore' });
  await waitForPort(port, child, 'FerretDB');
  return { url: `mongodb://127.0.0.1:${port}`, describe: `FerretDB ${FERRETDB_VERSION} (SQLite, throwaway, port ${port})`, child, dir, sqlite: true };
}

function stopOne(s: Started): Promise<void> {
  return new Promise((resolve) => {
    const done = () => { if (s.dir) rmSync(s.dir, { recursive: true, force: true }); resolve(); };
    if (!s.child || s.child.exitCode !== null) return done();
    const t = setTimeout(() => s.child?.kill('SIGKILL'), 3000);
    s.child.once('exit', () => { clearTimeout(t); done(); });
    s.child.kill('SIGTERM');
  });
}

export async function startLocalServices(): Promise<LocalServices> {
  const [redis, mongo] = await Promise.allSettled([startRedis(), startMongo()]);
  const started = [redis, mongo].flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = [redis, mongo].flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
  // A child must never outlive us, even when the parent dies without cleaning up.
  const killAll = () => { for (const s of started) s.child?.kill('SIGKILL'); };
  process.once('exit', killAll);
  if (failed.length) {
    await Promise.all(started.map(stopOne));
    throw failed[0];
  }
  const r = redis as PromiseFulfilledResult<Started>;
  const m = mongo as PromiseFulfilledResult<Started>;
  return {
    redisUrl: r.value.url,
    mongoUri: m.value.url,
    describe: { redis: r.value.describe, mongo: m.value.describe },
    ferretSqliteDir: m.value.sqlite ? m.value.dir : undefined,
    async stop() {
      process.off('exit', killAll);
      await Promise.all(started.map(stopOne));
    },
  };
}
