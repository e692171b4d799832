/**
 * Process control for the chaos test and `npm run bench:chaos`: a Redis, a PostgreSQL cluster with
 * FerretDB in front of it, and the app's own `web` and `worker` processes, all started here so they
 * can be killed with SIGKILL and started again on the same port and data directory.
 *
 * Redis runs with AOF (everysec) as production Redis must: Redis writes the AOF before it answers,
 * so a kill -9 of the process loses nothing it acknowledged. PostgreSQL is never killed (only the
 * FerretDB in front of it), so the data survives every FerretDB restart.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, createWriteStream, mkdirSync, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ferretdbBinary, freePort } from '../../shared/infra/launcher.ts';

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Synchronous kills of everything started here and still running. A test that times out never
 * reaches its `finally`: its afterAll calls `killEverything()` so no server outlives the run.
 */
const live = new Set<() => void>();
export function killEverything(): void {
  for (const kill of [...live]) { try { kill(); } catch { /* already gone */ } }
  live.clear();
}

export async function waitForPort(port: number, what: string, timeoutMs = 30_000, alive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`${what} exited before accepting connections`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not accept connections on port ${port} within ${timeoutMs} ms`);
}

function running(child: ChildProcess | undefined): child is ChildProcess {
  return !!child && child.exitCode === null && child.signalCode === null;
}

function killNow(child: ChildProcess | undefined): Promise<void> {
  if (!running(child)) return Promise.resolve();
  return new Promise((resolve) => { child.once('exit', () => resolve()); child.kill('SIGKILL'); });
}

/** One restartable server process on a fixed port. */
class Restartable {
  child?: ChildProcess;
  readonly what: string;
  private readonly cmd: () => { bin: string; args: string[] };
  readonly port: number;
  constructor(what: string, port: number, cmd: () => { bin: string; args: string[] }) { this.what = what; this.port = port; this.cmd = cmd; }
  async start(): Promise<void> {
    const { bin, args } = this.cmd();
    const child = spawn(bin, args, { stdio: 'ignore' });
    this.child = child;
    const kill = () => child.kill('SIGKILL');
    live.add(kill);
    child.once('exit', () => live.delete(kill));
    await waitForPort(this.port, this.what, 30_000, () => running(child));
  }
  kill9(): Promise<void> { return killNow(this.child); }
  async stop(): Promise<void> {
    const child = this.child;
    if (!running(child)) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => { clearTimeout(t); resolve(); });
      child.kill('SIGTERM');
    });
  }
}

export interface ChaosServices {
  dir: string;
  redisUrl: string;
  /** FerretDB's address (no database name). */
  mongoUri: string;
  /** The PostgreSQL database FerretDB stores into: the migration adds its GIN indexes there (shared/store/ferretPostgres.ts). */
  postgresUrl: string;
  redis: Restartable;
  ferret: Restartable;
  /** kill -9, then the same command again on the same port and data dir. */
  restart(which: 'redis' | 'ferret', downMs: number): Promise<{ downAt: number; upAt: number }>;
  stop(): Promise<void>;
}

const isRoot = () => process.getuid?.() === 0;
/** initdb and postgres refuse to run as root: run them as the `postgres` user then. */
function asPg(bin: string, args: string[]): { bin: string; args: string[] } {
  return isRoot() ? { bin: 'runuser', args: ['-u', 'postgres', '--', bin, ...args] } : { bin, args };
}

function must(r: ReturnType<typeof spawnSync>, what: string): void {
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${String(r.stderr ?? '')}${String(r.stdout ?? '')}`);
}

/** Redis (AOF) + PostgreSQL + FerretDB (PostgreSQL handler), each on a free port, in one temp dir. */
export async function startChaosServices(): Promise<ChaosServices> {
  const dir = mkdtempSync(join(tmpdir(), 'rongrian-chaos-'));
  chmodSync(dir, 0o755);
  const pgDir = join(dir, 'pg');
  mkdirSync(pgDir, { mode: 0o700 });
  if (isRoot()) must(spawnSync('chown', ['postgres:postgres', pgDir]), 'chown');
  const redisDir = join(dir, 'redis');
  mkdirSync(redisDir);
  const ferretState = join(dir, 'ferret');
  mkdirSync(ferretState);

  const [redisPort, pgPort, ferretPort] = [await freePort(), await freePort(), await freePort()];
  const redis = new Restartable('redis-server', redisPort, () => ({
    bin: 'redis-server',
    args: ['--port', String(redisPort), '--bind', '127.0.0.1', '--dir', redisDir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec'],
  }));

  const init = asPg(join(PG_BIN, 'initdb'), ['-D', pgDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  must(spawnSync(init.bin, init.args, { encoding: 'utf8' }), 'initdb');
  // fsync off: PostgreSQL itself is never killed here, and the OS keeps what it wrote.
  const pgOpts = `-p ${pgPort} -k ${pgDir} -c listen_addresses=127.0.0.1 -c plan_cache_mode=force_custom_plan -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const pgStart = asPg(join(PG_BIN, 'pg_ctl'), ['-D', pgDir, '-o', pgOpts, '-l', join(pgDir, 'log'), '-w', 'start']);
  must(spawnSync(pgStart.bin, pgStart.args, { encoding: 'utf8' }), 'pg_ctl start');
  const pgStop = () => {
    const s = asPg(join(PG_BIN, 'pg_ctl'), ['-D', pgDir, '-m', 'immediate', '-w', 'stop']);
    spawnSync(s.bin, s.args, { stdio: 'ignore' });
  };
  const createdb = asPg(join(PG_BIN, 'createdb'), ['-h', '127.0.0.1', '-p', String(pgPort), '-U', 'postgres', 'ferretdb']);
  must(spawnSync(createdb.bin, createdb.args, { encoding: 'utf8' }), 'createdb');

  const ferret = new Restartable('FerretDB', ferretPort, () => ({
    bin: ferretdbBinary(),
    args: [
      '--handler=postgresql', `--postgresql-url=postgres://postgres@127.0.0.1:${pgPort}/ferretdb`,
      `--listen-addr=127.0.0.1:${ferretPort}`, `--state-dir=${ferretState}`,
      '--debug-addr=-', '--telemetry=disable', '--log-level=error',
    ],
  }));

  // Nothing started here may outlive this process, whatever way it ends.
  const onExit = () => { redis.child?.kill('SIGKILL'); ferret.child?.kill('SIGKILL'); pgStop(); rmSync(dir, { recursive: true, force: true }); live.delete(onExit); };
  process.once('exit', onExit);
  live.add(onExit);
  try {
    await Promise.all([redis.start(), ferret.start()]);
  } catch (err) {
    onExit();
    throw err;
  }
  const byName = { redis, ferret };
  return {
    dir,
    redisUrl: `redis://127.0.0.1:${redisPort}`,
    mongoUri: `mongodb://127.0.0.1:${ferretPort}`,
    postgresUrl: `postgres://postgres@127.0.0.1:${pgPort}/ferretdb`,
    redis,
    ferret,
    async restart(which, downMs) {
      const p = byName[which];
      await p.kill9();
      const downAt = Date.now();
      await new Promise((r) => setTimeout(r, downMs));
      await p.start();
      return { downAt, upAt: Date.now() };
    },
    async stop() {
      process.off('exit', onExit);
      live.delete(onExit);
      await Promise.all([redis.stop(), ferret.stop()]);
      pgStop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `node app/web.ts` or `node app/worker.ts` as production runs them, its log kept in a file. */
export class AppProcess {
  child?: ChildProcess;
  readonly kind: 'web' | 'worker';
  readonly env: Record<string, string>;
  readonly logFile: string;
  private log: WriteStream;
  /** Every log line of every run of this process, newest last (for the dead-letter check). */
  readonly lines: string[] = [];
  starts = 0;
  constructor(kind: 'web' | 'worker', env: Record<string, string>, logDir: string) {
    this.kind = kind;
    this.env = env;
    this.logFile = join(logDir, `${kind}.log`);
    this.log = createWriteStream(this.logFile, { flags: 'a' });
  }

  /** Starts and resolves when the process says it serves ("web listening" / "worker running"). */
  start(timeoutMs = 60_000): Promise<void> {
    const ready = this.kind === 'web' ? 'web listening' : 'worker running';
    const child = spawn(process.execPath, ['--no-warnings', `app/${this.kind}.ts`], {
      cwd: ROOT, env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts++;
    const kill = () => child.kill('SIGKILL');
    live.add(kill);
    child.once('exit', () => live.delete(kill));
    let buf = '';
    const onData = (d: Buffer) => {
      this.log.write(d);
      buf += d.toString('utf8');
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) { this.lines.push(buf.slice(0, i)); buf = buf.slice(i + 1); }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    return new Promise((resolve, reject) => {
      const from = this.lines.length;
      const timer = setInterval(() => {
        if (this.lines.slice(from).some((l) => l.includes(ready))) { clearInterval(timer); clearTimeout(limit); resolve(); }
        else if (!running(child)) { clearInterval(timer); clearTimeout(limit); reject(new Error(`${this.kind} exited (${String((child as ChildProcess).exitCode ?? (child as ChildProcess).signalCode)}): ${this.lines.slice(from).slice(-5).join('\n')}`)); }
      }, 25);
      const limit = setTimeout(() => { clearInterval(timer); reject(new Error(`${this.kind} did not start within ${timeoutMs} ms: ${this.lines.slice(from).slice(-5).join('\n')}`)); }, timeoutMs);
    });
  }

  kill9(): Promise<void> { return killNow(this.child); }

  async stop(): Promise<void> {
    const child = this.child;
    if (running(child)) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => { clearTimeout(t); resolve(); });
        child.kill('SIGTERM');
      });
    }
  }

  async close(): Promise<void> {
    await this.stop();
    await new Promise<void>((r) => this.log.end(() => r()));
  }
}
