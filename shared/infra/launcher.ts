import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installStep, planInstall, type InstallPurpose, type MachineFacts } from './installPlan.ts';

/**
 * Starts the Redis and MongoDB-compatible server the demo, the tests and the benchmarks run on:
 * REDIS_URL / MONGODB_URI if given, else `redis-server`, and `mongod` or FerretDB from the binaries on
 * this machine, each on a free port. FerretDB stores into a PostgreSQL cluster this starts itself
 * (Debian's `postgresql` package); only where PostgreSQL is not installed does it fall back to
 * FerretDB's SQLite handler, which is far slower on queries (see the README). Throwaway temp dirs,
 * removed on stop, unless a data dir is given (`npm start` with RONGRIAN_DATA_DIR).
 */
export class MissingDependencyError extends Error {
  override name = 'MissingDependencyError';
}

export interface LocalServices {
  redisUrl: string;
  mongoUri: string;
  /** What is running, for the start-up banner: e.g. "FerretDB v1.24.2 (PostgreSQL 15, throwaway, port …)". */
  describe: { redis: string; mongo: string };
  /** The FerretDB SQLite directory, when this launched FerretDB on SQLite (shared/store/ferretSqlite.ts). */
  ferretSqliteDir?: string;
  stop(): Promise<void>;
}

export interface LaunchOptions {
  /**
   * Keep the data here across runs: Redis (append-only file) in `redis/`, the PostgreSQL cluster in
   * `postgresql/` (or FerretDB's SQLite files in `ferretdb-sqlite/`). Default: throwaway temp dirs.
   */
  dataDir?: string;
  /**
   * Redis writes an append-only file, fsynced every second, so a Redis restart keeps the queues.
   * Default: on with a data dir, off otherwise (tests want a fast throwaway Redis).
   */
  redisAof?: boolean;
  /**
   * Missing Debian packages (redis-server, postgresql, golang-go to build FerretDB; planInstall in
   * installPlan.ts): installed with apt-get when running as root; otherwise the one command to run
   * is printed, and the error (or, for PostgreSQL, the banner) names it again.
   */
  installMissing?: boolean;
}

export const FERRETDB_VERSION = 'v1.24.2';
const INSTALL_HINT = 'sudo bash scripts/install-deps.sh --for start   (or: docker compose up -d mongo redis, then set REDIS_URL and MONGODB_URI)';

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

async function waitForPort(port: number, child: ChildProcess, what: string, timeoutMs = 30_000, logFile?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: number | null = child.exitCode;
  child.once('exit', (code) => { exited = code ?? -1; });
  const tail = () => (logFile && existsSync(logFile) ? `: ${readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join(' | ')}` : '');
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`${what} exited (code ${exited}) before accepting connections${tail()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not accept connections on port ${port} within ${timeoutMs} ms${tail()}`);
}

/** Where the FerretDB build is cached (scripts/install-deps.sh puts it there). */
export function ferretdbBinary(): string {
  return process.env.FERRETDB_BIN
    ?? join(process.env.RONGRIAN_CACHE ?? join(homedir(), '.cache', 'rongrian'), `ferretdb-${FERRETDB_VERSION}`, 'ferretdb');
}

/**
 * The directory holding `initdb` and `postgres`: Debian keeps them off PATH in
 * /usr/lib/postgresql/<major>/bin (the newest is taken); elsewhere they are usually on PATH.
 */
export function postgresBinDir(): string | undefined {
  if (process.env.PG_BINDIR) return existsSync(join(process.env.PG_BINDIR, 'initdb')) ? process.env.PG_BINDIR : undefined;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const majors = readdirSync(root).filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
    if (majors.length) return join(root, majors[0], 'bin');
  }
  const initdb = onPath('initdb');
  return initdb ? join(initdb, '..') : undefined;
}

const isRoot = () => process.getuid?.() === 0;

/** Go's version on PATH as [major, minor], if any. */
function goVersion(bin = 'go'): [number, number] | undefined {
  if (!onPath(bin)) return undefined;
  const m = /go(\d+)\.(\d+)/.exec(spawnSync(bin, ['version'], { encoding: 'utf8' }).stdout ?? '');
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** From 1.21 Go fetches the toolchain a module asks for (FerretDB v1.24 asks for 1.24). */
const goCanBuildFerret = (v: [number, number] | undefined) => !!v && (v[0] > 1 || v[1] >= 21);

/** The version apt would install of a package ("Candidate: …"), or '' when it has none. */
function aptCandidate(pkg: string): string {
  if (!onPath('apt-cache')) return '';
  const out = spawnSync('apt-cache', ['policy', pkg], { encoding: 'utf8' }).stdout ?? '';
  return /Candidate:\s*\(none\)/.test(out) ? '' : (/Candidate:.*/.exec(out)?.[0] ?? '');
}

/** A fresh container has no package lists: apt knows no candidates until `apt-get update`. */
function aptListsEmpty(): boolean {
  const dir = '/var/lib/apt/lists';
  return !existsSync(dir) || !readdirSync(dir).some((f) => f.endsWith('_Packages') || f.endsWith('_Packages.lz4'));
}

/** What this machine has, for planInstall (shared/infra/installPlan.ts). */
export function detectMachine(): MachineFacts {
  const go = goVersion();
  const cache = process.env.RONGRIAN_CACHE ?? join(homedir(), '.cache', 'rongrian');
  const aptGo = /Candidate:\s*(?:\d+:)?(\d+)\.(\d+)/.exec(aptCandidate('golang-go'));
  return {
    redisServer: !!onPath('redis-server'),
    postgres: !!postgresBinDir(),
    mongod: !!onPath('mongod'),
    ferretdb: existsSync(ferretdbBinary()),
    go: goCanBuildFerret(go) ? 'ok' : go ? 'old' : 'missing',
    aptGoRecentEnough: !!aptGo && goCanBuildFerret([Number(aptGo[1]), Number(aptGo[2])]),
    caCertificates: existsSync('/etc/ssl/certs/ca-certificates.crt'),
    chromium: existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'),
    aptChromium: aptCandidate('chromium') !== '',
    thaiFonts: existsSync('/usr/share/fonts/truetype/tlwg'),
    emojiFont: existsSync('/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf'),
    schemathesis: existsSync(process.env.SCHEMATHESIS_BIN ?? join(cache, 'venv-schemathesis', 'bin', 'st')),
    pythonVenv: spawnSync('python3', ['-c', 'import ensurepip, venv'], { stdio: 'ignore' }).status === 0,
    env: { REDIS_URL: process.env.REDIS_URL, MONGODB_URI: process.env.MONGODB_URI, FERRETDB_HANDLER: process.env.FERRETDB_HANDLER },
  };
}

/**
 * Installs from Debian what `purpose` needs and the machine lacks, when it can (root with apt-get),
 * as `npm start` fetches Node 24 and builds FerretDB itself; otherwise says the one command to run.
 * Returns the packages still missing. Used by `npm start` and scripts/install-deps.sh.
 */
export function installMissingPackages(purpose: InstallPurpose = 'start'): string[] {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let plan = planInstall(detectMachine(), purpose);
  if ((plan.packages.length || plan.notes.length) && isRoot() && onPath('apt-get') && aptListsEmpty()) {
    // Which Go and which Chromium apt offers is only known once it has its lists.
    spawnSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    plan = planInstall(detectMachine(), purpose);
  }
  for (const note of plan.notes) console.error(`rongrian: ${note}`);
  const step = installStep(plan.packages, { root: isRoot(), aptGet: !!onPath('apt-get') });
  if (step.kind === 'none') return [];
  if (step.kind === 'print') {
    console.error(`rongrian: missing ${plan.packages.join(' ')} — run: ${step.command}`);
    return plan.packages;
  }
  console.error(`rongrian: installing ${plan.packages.join(' ')} from Debian (apt-get, one time)…`);
  for (const [cmd, ...args] of step.commands) {
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (r.status !== 0) {
      console.error(`rongrian: ${[cmd, ...args].join(' ')} failed (exit ${r.status})`);
      break;
    }
  }
  return planInstall(detectMachine(), purpose).packages;
}

/** A running child (or an external URL), and how to stop it and clean up after it. */
interface Started { url: string; describe: string; children: ChildProcess[]; stop(): Promise<void>; sqliteDir?: string; postgresUrl?: string }

function external(url: string, describe: string): Started {
  return { url, describe, children: [], stop: async () => undefined };
}

function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => { clearTimeout(t); resolve(); });
    child.kill(signal);
  });
}

/** A fresh temp dir, or `<dataDir>/<name>` kept across runs. */
function dirFor(name: string, dataDir?: string): { dir: string; throwaway: boolean } {
  if (!dataDir) return { dir: mkdtempSync(join(tmpdir(), `rongrian-${name}-`)), throwaway: true };
  const dir = join(dataDir, name);
  mkdirSync(dir, { recursive: true });
  return { dir, throwaway: false };
}

async function startRedis(opts: LaunchOptions): Promise<Started> {
  if (process.env.REDIS_URL) return external(process.env.REDIS_URL, 'Redis at REDIS_URL');
  const bin = onPath('redis-server');
  if (!bin) {
    const step = installStep(planInstall(detectMachine(), 'start').packages, { root: false, aptGet: true });
    const cmd = step.kind === 'print' ? step.command : 'sudo apt-get install -y redis-server';
    throw new MissingDependencyError(`redis-server is not installed. Install it with: ${cmd}   or run: ${INSTALL_HINT}`);
  }
  const { dir, throwaway } = dirFor('redis', opts.dataDir);
  const aof = opts.redisAof ?? !!opts.dataDir;
  const port = await freePort();
  // With AOF every write is in the log within a second; BullMQ's keys must never be evicted.
  const persistence = aof
    ? ['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--maxmemory-policy', 'noeviction']
    : ['--save', '', '--appendonly', 'no'];
  // Each service in its own process group (detached): a terminal's Ctrl+C reaches only us, and we stop
  // the app before the stores it is still writing to (they die with us either way: see killAll).
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', ...persistence, '--dir', dir], { stdio: 'ignore', detached: true });
  await waitForPort(port, child, 'redis-server');
  const kept = aof ? (throwaway ? 'append-only file everysec, throwaway dir' : `append-only file everysec in ${dir}`) : 'throwaway';
  return {
    url: `redis://127.0.0.1:${port}`, describe: `redis-server (${kept}, port ${port})`, children: [child],
    async stop() {
      await stopChild(child);
      if (throwaway) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function userIds(name: string): { uid: number; gid: number } | undefined {
  const u = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (u.status !== 0 || g.status !== 0) return undefined;
  return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/**
 * A PostgreSQL cluster of our own on a free port of 127.0.0.1 (socket in its dir, trust auth, nothing
 * else listening). PostgreSQL refuses to run as root, so as root the cluster belongs to, and runs
 * as, the `postgres` user the Debian package creates (what `runuser -u postgres --` would do).
 */
async function startPostgres(binDir: string, opts: LaunchOptions): Promise<Started & { port: number }> {
  const { dir, throwaway } = dirFor('postgresql', opts.dataDir);
  const data = join(dir, 'data');
  const log = join(dir, 'postgres.log');
  let ids: { uid: number; gid: number } | undefined;
  if (isRoot()) {
    ids = userIds('postgres');
    if (!ids) throw new MissingDependencyError('PostgreSQL refuses to run as root and there is no `postgres` user: apt-get install -y postgresql creates it');
    chownSync(dir, ids.uid, ids.gid);
    if (!throwaway && spawnSync('test', ['-w', dir, '-a', '-x', dir], { uid: ids.uid, gid: ids.gid }).status !== 0) {
      throw new MissingDependencyError(`the postgres user cannot use ${dir} (a parent directory is closed to it): choose a RONGRIAN_DATA_DIR outside /root, e.g. /var/lib/rongrian`);
    }
  }
  const asPg = ids ? { uid: ids.uid, gid: ids.gid } : {};
  if (!existsSync(join(data, 'PG_VERSION'))) {
    // A throwaway cluster need not survive a power cut: skipping fsync makes initdb and the tests faster.
    const init = spawnSync(join(binDir, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', ...(throwaway ? ['--no-sync'] : [])],
      { ...asPg, encoding: 'utf8', cwd: dir, env: { ...process.env, LC_ALL: 'C' } });
    if (init.status !== 0) throw new Error(`initdb failed (exit ${init.status}): ${(init.stderr || init.stdout).trim().split('\n').slice(-3).join(' | ')}`);
  }
  const port = await freePort();
  // FerretDB sends field names as bind parameters: a cached generic plan could never use the GIN
  // expression indexes the migration adds (ferretPostgres.ts), so plan every statement for its values.
  const settings = ['-c', 'plan_cache_mode=force_custom_plan', '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`, '-c', 'max_connections=200',
    ...(throwaway ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : [])];
  const fd = openSync(log, 'a');
  if (ids) chownSync(log, ids.uid, ids.gid);
  const child = spawn(join(binDir, 'postgres'), ['-D', data, '-p', String(port), ...settings], { ...asPg, cwd: dir, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  const stop = async () => {
    // SIGINT is PostgreSQL's fast shutdown (SIGTERM would wait for every client to leave).
    await stopChild(child, 'SIGINT');
    if (throwaway) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, child, 'PostgreSQL', 30_000, log);
    // Accepting connections is not yet "ready" (the startup check may still answer "starting up").
    const deadline = Date.now() + 30_000;
    for (;;) {
      const r = spawnSync(join(binDir, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'ferretdb'], { encoding: 'utf8' });
      if (r.status === 0 || /already exists/.test(r.stderr)) break;
      if (Date.now() > deadline) throw new Error(`createdb failed: ${r.stderr.trim()}`);
      await new Promise((res) => setTimeout(res, 200));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const version = readFileSync(join(data, 'PG_VERSION'), 'utf8').trim();
  return { url: `postgres://postgres@127.0.0.1:${port}/ferretdb`, describe: `PostgreSQL ${version}`, children: [child], stop, port };
}

async function startMongo(opts: LaunchOptions): Promise<Started> {
  if (process.env.MONGODB_URI) return external(process.env.MONGODB_URI, 'MongoDB at MONGODB_URI');
  const mongod = onPath('mongod');
  if (mongod) {
    const { dir, throwaway } = dirFor('mongod', opts.dataDir);
    const port = await freePort();
    const child = spawn(mongod, ['--dbpath', dir, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet'], { stdio: 'ignore', detached: true });
    await waitForPort(port, child, 'mongod');
    return {
      url: `mongodb://127.0.0.1:${port}`, describe: `mongod (${throwaway ? 'throwaway' : dir}, port ${port})`, children: [child],
      async stop() { await stopChild(child); if (throwaway) rmSync(dir, { recursive: true, force: true }); },
    };
  }
  let ferret = ferretdbBinary();
  if (!existsSync(ferret) && onPath('go')) {
    // Install what we can ourselves: FerretDB builds from the Go module proxy in about a minute.
    const script = fileURLToPath(new URL('../../scripts/build-ferretdb.sh', import.meta.url));
    const built = spawnSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (built.status === 0) ferret = built.stdout.trim();
  }
  if (!existsSync(ferret)) {
    throw new MissingDependencyError(`No MongoDB-compatible server: set MONGODB_URI, put mongod on PATH, or build FerretDB ${FERRETDB_VERSION} with: ${INSTALL_HINT}`);
  }
  const forced = process.env.FERRETDB_HANDLER;
  if (forced && forced !== 'postgresql' && forced !== 'sqlite') throw new MissingDependencyError(`FERRETDB_HANDLER must be postgresql or sqlite, not ${JSON.stringify(forced)}`);
  const pgBin = forced === 'sqlite' ? undefined : postgresBinDir();
  if (forced === 'postgresql' && !pgBin) throw new MissingDependencyError('FERRETDB_HANDLER=postgresql but PostgreSQL is not installed: sudo apt-get install -y postgresql');

  const state = dirFor('ferretdb', opts.dataDir);
  const port = await freePort();
  const common = [`--listen-addr=127.0.0.1:${port}`, `--state-dir=${state.dir}`, '--debug-addr=-', '--telemetry=disable', '--log-level=error'];
  let pg: (Started & { port: number }) | undefined;
  let storage: { args: string[]; describe: string; sqliteDir?: string; cleanup(): void };
  if (pgBin) {
    pg = await startPostgres(pgBin, opts);
    storage = { args: ['--handler=postgresql', `--postgresql-url=${pg.url}`], describe: pg.describe, cleanup: () => undefined };
  } else {
    const sqlite = dirFor('ferretdb-sqlite', opts.dataDir);
    const why = forced === 'sqlite' ? 'FERRETDB_HANDLER=sqlite' : 'PostgreSQL not installed: sudo apt-get install -y postgresql';
    storage = {
      args: ['--handler=sqlite', `--sqlite-url=file:${sqlite.dir}/`], describe: `SQLite fallback — ${why}`, sqliteDir: sqlite.dir,
      cleanup: () => { if (sqlite.throwaway) rmSync(sqlite.dir, { recursive: true, force: true }); },
    };
  }
  const child = spawn(ferret, [...storage.args, ...common], { stdio: 'ignore', detached: true });
  const stop = async () => {
    await stopChild(child);
    await pg?.stop();
    storage.cleanup();
    if (state.throwaway) rmSync(state.dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, child, 'FerretDB');
  } catch (err) {
    await stop();
    throw err;
  }
  const kept = opts.dataDir ? `data in ${opts.dataDir}` : 'throwaway';
  return {
    url: `mongodb://127.0.0.1:${port}`, describe: `FerretDB ${FERRETDB_VERSION} (${storage.describe}, ${kept}, port ${port})`,
    children: [child, ...(pg?.children ?? [])], stop, sqliteDir: storage.sqliteDir, postgresUrl: pg?.url,
  };
}

/**
 * Starts Redis and the database. When this launched FerretDB on SQLite, FERRETDB_SQLITE_DIR is set in
 * this process's environment (and so in every child it spawns), so the migration step can add the
 * `_id` index that handler lacks (shared/store/ferretSqlite.ts); on PostgreSQL, FERRETDB_POSTGRESQL_URL,
 * for the GIN indexes its pushdown needs (shared/store/ferretPostgres.ts).
 */
export async function startLocalServices(opts: LaunchOptions = {}): Promise<LocalServices> {
  if (opts.installMissing) installMissingPackages();
  const [redis, mongo] = await Promise.allSettled([startRedis(opts), startMongo(opts)]);
  const started = [redis, mongo].flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = [redis, mongo].flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
  // A child must never outlive us, even when the parent dies without cleaning up.
  const killAll = () => { for (const s of started) for (const c of s.children) c.kill('SIGKILL'); };
  process.once('exit', killAll);
  if (failed.length) {
    await Promise.all(started.map((s) => s.stop()));
    process.off('exit', killAll);
    throw failed[0];
  }
  const r = redis as PromiseFulfilledResult<Started>;
  const m = mongo as PromiseFulfilledResult<Started>;
  const previousSqliteDir = process.env.FERRETDB_SQLITE_DIR;
  const previousPostgresUrl = process.env.FERRETDB_POSTGRESQL_URL;
  if (m.value.sqliteDir) process.env.FERRETDB_SQLITE_DIR = m.value.sqliteDir;
  if (m.value.postgresUrl) process.env.FERRETDB_POSTGRESQL_URL = m.value.postgresUrl;
  return {
    redisUrl: r.value.url,
    mongoUri: m.value.url,
    describe: { redis: r.value.describe, mongo: m.value.describe },
    ferretSqliteDir: m.value.sqliteDir,
    async stop() {
      process.off('exit', killAll);
      if (m.value.sqliteDir) {
        if (previousSqliteDir === undefined) delete process.env.FERRETDB_SQLITE_DIR;
        else process.env.FERRETDB_SQLITE_DIR = previousSqliteDir;
      }
      if (m.value.postgresUrl) {
        if (previousPostgresUrl === undefined) delete process.env.FERRETDB_POSTGRESQL_URL;
        else process.env.FERRETDB_POSTGRESQL_URL = previousPostgresUrl;
      }
      await Promise.all(started.map((s) => s.stop()));
    },
  };
}
