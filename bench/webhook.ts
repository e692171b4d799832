/**
 * `npm run bench:webhook`: how fast POST /webhook takes LINE's deliveries in, against a baseline.
 *
 * Ours: the real web process (bench/server-under-test.ts, BENCH_MODE=ours) on a throwaway Redis and
 * FerretDB, with no worker, so every queued event stays in Redis to be counted afterwards.
 * Baseline: a bare express app with @line/bot-sdk's `middleware` answering 200, queuing nothing.
 * Each server runs in its own child process; autocannon runs here.
 *
 * Phases (BENCH_SECONDS each, default 20, after a short warm-up):
 *   a. max throughput, 1 event per request       target: ours/baseline req/s >= 0.6
 *   b. max throughput, 10 events per request     target: ours/baseline req/s >= 0.6
 *   c. fixed rate BENCH_RATE req/s (default 500) target: p99 < 50 ms
 * and in every phase: zero events lost (every event of every 2xx answer is a job in Redis), no errors.
 *
 * Bodies are realistic webhook JSON (text messages from BENCH_USERS different users, so events spread
 * over the shards), each event with a fresh ULID webhookEventId; they are built and signed before the
 * clock starts and handed out one per request, so the load generator does no signing under load.
 *
 * The two servers take turns in BENCH_SLICES slices (default 4, A B B A) rather than one after the
 * other, so that load from elsewhere on the machine hits both alike; each slice is printed.
 *
 * Env: BENCH_SECONDS, BENCH_SLICES, BENCH_RATE, BENCH_CONNECTIONS (closed-loop phases, default 10), BENCH_USERS,
 * EVENT_SHARDS (default 4), BENCH_PHASES (e.g. "ab"; default all), BENCH_PROFILE (a directory: CPU
 * profiles of our server), REDIS_URL / MONGODB_URI (else throwaway local ones are started).
 * Exits 1 if any target is missed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon, { type Client, type Result } from 'autocannon';
import { startLocalServices, type LocalServices } from '../shared/infra/launcher.ts';
import { createQueues, redisConnection } from '../shared/queues.ts';
import { startIntakePump } from '../shared/intake.ts';
import { pino } from 'pino';

const SECONDS = num('BENCH_SECONDS', 20);
const RATE = num('BENCH_RATE', 500);
const CONNECTIONS = num('BENCH_CONNECTIONS', 10);
const USERS = num('BENCH_USERS', 5000);
const SHARDS = num('EVENT_SHARDS', 4);
const WARMUP = Math.min(3, Math.max(1, Math.round(SECONDS / 5)));
/** The max-throughput runs alternate baseline and ours in this many slices of SECONDS / SLICES each. */
const SLICES = Math.max(1, Math.round(num('BENCH_SLICES', 4)));
const TARGET_RATIO = 0.6;
const TARGET_P99_MS = 50;

function num(name: string, dflt: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number (got ${raw})`);
  return n;
}

// ---------------------------------------------------------------------------------------------
// Bodies

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let rnd = randomBytes(0);
let rndAt = 0;
function randomByte(): number {
  if (rndAt >= rnd.length) { rnd = randomBytes(1 << 16); rndAt = 0; }
  return rnd[rndAt++];
}

/** A ULID (48-bit ms time + 80 random bits, Crockford base32), like LINE's webhookEventId. */
function ulid(timeMs = Date.now()): string {
  let time = '';
  let t = timeMs;
  for (let i = 0; i < 10; i++) { time = CROCKFORD[t % 32] + time; t = Math.floor(t / 32); }
  let tail = '';
  for (let i = 0; i < 16; i++) tail += CROCKFORD[randomByte() & 31];
  return time + tail;
}

function hex(bytes: number): string {
  if (rndAt + bytes > rnd.length) { rnd = randomBytes(1 << 16); rndAt = 0; }
  rndAt += bytes;
  return rnd.toString('hex', rndAt - bytes, rndAt);
}

const TEXTS = [
  'แจ้งเรื่องร้องเรียน',
  'สวัสดีค่ะ',
  'ถนนหน้าบ้านเป็นหลุมลึก รถจักรยานยนต์ล้มทุกวัน แจ้ง อบต. แล้วยังไม่ซ่อม',
  'ไฟฟ้าส่องสว่างในซอยดับมาสามเดือนแล้ว ตอนกลางคืนมืดมาก มีคนถูกวิ่งราวกระเป๋าไปสองครั้ง อยากให้ช่วยประสานการไฟฟ้าส่วนภูมิภาคด้วยครับ',
  'โรงงานข้างหมู่บ้านปล่อยน้ำเสียลงคลองทุกคืน กลิ่นเหม็นมาก ปลาตายลอยเป็นแพ ชาวบ้านเดือดร้อนกันทั้งตำบล เคยแจ้งไปที่อำเภอแล้วแต่ยังไม่มีใครมาตรวจสอบเลย ขอให้ศูนย์ดำรงธรรมช่วยดำเนินการด่วนด้วยค่ะ',
  'ติดตามเรื่อง 2568-000123',
  'ขอบคุณครับ',
  'เพื่อนบ้านเปิดเพลงเสียงดังทุกคืนจนถึงตีสอง ขอความช่วยเหลือด้วยค่ะ',
];

/** One request, ready to write to a socket: head (with the signature) + body, and its event ids. */
interface Prepared { raw: Buffer; ids: string[] }

class BodyMaker {
  readonly users = Array.from({ length: USERS }, () => 'U' + hex(16));
  readonly destination = 'U' + hex(16);
  readonly secret: string;
  constructor(secret: string) { this.secret = secret; }

  make(eventsPerRequest: number): Prepared {
    const now = Date.now();
    const ids: string[] = [];
    const events = [];
    for (let i = 0; i < eventsPerRequest; i++) {
      const id = ulid(now);
      ids.push(id);
      const userId = this.users[(randomByte() << 8 | randomByte()) % this.users.length];
      events.push({
        type: 'message',
        message: {
          type: 'text',
          id: `5${String(now).padStart(14, '0')}${String(i).padStart(3, '0')}`,
          quoteToken: hex(48),
          text: TEXTS[randomByte() % TEXTS.length],
        },
        webhookEventId: id,
        deliveryContext: { isRedelivery: false },
        timestamp: now,
        source: { type: 'user', userId },
        replyToken: hex(16),
        mode: 'active',
      });
    }
    const body = Buffer.from(JSON.stringify({ destination: this.destination, events }), 'utf8');
    const signature = createHmac('sha256', this.secret).update(body).digest('base64');
    const head = 'POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n'
      + 'User-Agent: LineBotWebhook/2.0\r\nContent-Type: application/json; charset=utf-8\r\n'
      + `x-line-signature: ${signature}\r\nContent-Length: ${body.length}\r\n\r\n`;
    return { raw: Buffer.concat([Buffer.from(head, 'latin1'), body]), ids };
  }
}

/** Prepared requests for one events-per-request size, shared by every run of that size. */
class Pool {
  readonly items: Prepared[] = [];
  readonly maker: BodyMaker;
  readonly eventsPerRequest: number;
  /** Microseconds to build and sign one request, measured on the last fill. */
  usPerItem = 0;
  constructor(maker: BodyMaker, eventsPerRequest: number) { this.maker = maker; this.eventsPerRequest = eventsPerRequest; }

  fillTo(n: number): void {
    if (this.items.length >= n) return;
    const t = process.hrtime.bigint();
    const start = this.items.length;
    while (this.items.length < n) this.items.push(this.maker.make(this.eventsPerRequest));
    this.usPerItem = Number(process.hrtime.bigint() - t) / 1000 / (n - start);
  }
}

/**
 * Hands out one prepared request per HTTP request. `unique` (for our server): no request is ever
 * handed out twice (so no event id repeats and dedup has nothing to drop); past the end of the pool,
 * requests are made on the fly and counted. Otherwise (the baseline) the pool is cycled.
 */
class Feed {
  readonly pool: Pool;
  readonly unique: boolean;
  private cursor = 0;
  /** Pool indexes whose request was answered 2xx. */
  readonly acked: number[] = [];
  madeLive = 0;
  written = 0;
  constructor(pool: Pool, unique: boolean) { this.pool = pool; this.unique = unique; }

  next(): number {
    this.written++;
    const items = this.pool.items;
    if (!this.unique) { const i = this.cursor; this.cursor = (this.cursor + 1) % items.length; return i; }
    if (this.cursor >= items.length) { items.push(this.pool.maker.make(this.pool.eventsPerRequest)); this.madeLive++; }
    return this.cursor++;
  }

  ackedEventIds(): string[] {
    return this.acked.flatMap((i) => this.pool.items[i].ids);
  }
}

// ---------------------------------------------------------------------------------------------
// Load

/** What one autocannon run saw. */
interface Sample {
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
  statusCodes: Record<string, number>;
  /** Response times of the 2xx answers, ms. */
  latencies: number[];
}

/** Several samples of one server, summed. */
interface RunResult {
  reqPerSec: number;
  eventsPerSec: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  p50: number;
  p99: number;
  max: number;
  duration: number;
  statusCodes: Record<string, number>;
  /** req/s of each sample. */
  slices: number[];
}

function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * One autocannon run. Every request's bytes come from `feed` (autocannon's own request building is
 * bypassed through `setupClient`), and every 2xx answer is recorded against the request it answers.
 *
 * With a rate, autocannon lets each connection send its per-second quota back to back at the top of
 * each second, all connections in step: 500 req/s would arrive as one burst per second. So here each
 * connection (one per request/s, capped) gets its own phase within the second: arrivals are spread
 * evenly, as independent LINE deliveries would be.
 */
function load(url: string, feed: Feed, seconds: number, rate?: number): Promise<Sample> {
  const connections = rate ? Math.min(rate, 1000) : CONNECTIONS;
  const latencies: number[] = [];
  let clientNo = 0;
  const timers: ReturnType<typeof setTimeout>[] = [];

  const setupClient = (client: Client) => {
    let current = -1;
    client.getRequestBuffer = () => {
      current = feed.next();
      return feed.pool.items[current].raw;
    };
    // 'response' is emitted before the client writes its next request, so `current` is still this one's.
    client.on('response', (status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) { feed.acked.push(current); latencies.push(ms); }
    });
    if (rate && client.rate) {
      const n = clientNo++;
      // The client starts its own once-a-second timer after setupClient returns: stop it right after.
      queueMicrotask(() => clearInterval(client.rateInterval));
      client.reqsMadeThisSecond = Number.POSITIVE_INFINITY; // hold the first request until our phase
      const tick = () => {
        if (client.destroyed) return;
        client.reqsMadeThisSecond = 0;
        if (client.paused) { client.paused = false; client._doRequest(); }
      };
      timers.push(setTimeout(() => {
        if (client.destroyed) return;
        tick();
        client.rateInterval = setInterval(tick, 1000);
      }, Math.floor((n * 1000) / connections)));
    }
  };

  return new Promise((resolve, reject) => {
    autocannon({
      url,
      method: 'POST',
      body: '{}', // never sent: see setupClient
      connections,
      duration: seconds,
      timeout: 10,
      ...(rate ? { overallRate: rate, ignoreCoordinatedOmission: true } : {}),
      setupClient,
    }, (err, r: Result) => {
      for (const t of timers) clearTimeout(t);
      if (err) return reject(err);
      const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]));
      resolve({
        ok: r['2xx'],
        non2xx: r.non2xx,
        errors: r.errors,
        timeouts: r.timeouts,
        duration: r.duration,
        latencies,
        statusCodes,
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Processes

interface Child { url: string; pid: number; proc: ChildProcess; stop(): Promise<void> }
const children = new Set<ChildProcess>();

async function spawnServer(env: Record<string, string>): Promise<Child> {
  const script = fileURLToPath(new URL('./server-under-test.ts', import.meta.url));
  // BENCH_PROFILE=dir: a V8 CPU profile of our server per phase, for chrome://inspect or speedscope.
  const prof = env.BENCH_MODE === 'ours' && process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const proc = spawn(process.execPath, ['--no-warnings', ...prof, script], {
    env: { ...process.env, NODE_ENV: 'production', METRICS_TOKEN: 'bench-metrics-token', ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  const ready = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout! });
    const timer = setTimeout(() => reject(new Error(`${env.BENCH_MODE} server did not start within 60 s`)), 60_000);
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${env.BENCH_MODE} server exited (code ${code}) before it was ready`)); });
    lines.on('line', (line) => {
      if (line.startsWith('READY ')) { clearTimeout(timer); resolve(JSON.parse(line.slice(6))); } else process.stdout.write(`[${env.BENCH_MODE}] ${line}\n`);
    });
  });
  return {
    ...ready,
    proc,
    stop: () => new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      proc.once('exit', () => { clearTimeout(t); resolve(); });
      proc.kill('SIGTERM');
    }),
  };
}

/** User + system CPU seconds a process has used so far (Linux /proc). */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

/** CPU seconds all processes have used so far, all CPUs (Linux /proc/stat: user + nice + system; interrupts and steal not counted). */
function systemBusySeconds(): number {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return (f[0] + f[1] + f[2]) / 100;
  } catch {
    return NaN;
  }
}

/** Where the CPU went during a run, in cores (1 = one core busy): the server under test, Redis, this process, and anything else. */
interface CpuUse { server: number; redis: number; loadgen: number; other: number; serverUsPerReq: number }

/** Sums the samples of one server, and the CPU time everything used while they ran. */
class Meter {
  private readonly samples: Sample[] = [];
  private readonly cpu = { server: 0, redis: 0, loadgen: 0, other: 0 };
  private readonly serverPid: number;
  private readonly redisPid: number | undefined;
  constructor(serverPid: number, redisPid?: number) { this.serverPid = serverPid; this.redisPid = redisPid; }

  async run(go: () => Promise<Sample>): Promise<Sample> {
    const s0 = cpuSeconds(this.serverPid);
    const r0 = this.redisPid ? cpuSeconds(this.redisPid) : 0;
    const sys0 = systemBusySeconds();
    const lg0 = process.cpuUsage();
    const sample = await go();
    const lg = process.cpuUsage(lg0);
    const server = cpuSeconds(this.serverPid) - s0;
    const redis = this.redisPid ? cpuSeconds(this.redisPid) - r0 : 0;
    const loadgen = (lg.user + lg.system) / 1e6;
    this.cpu.server += server;
    this.cpu.redis += redis;
    this.cpu.loadgen += loadgen;
    this.cpu.other += Math.max(0, systemBusySeconds() - sys0 - server - redis - loadgen);
    this.samples.push(sample);
    return sample;
  }

  result(eventsPerRequest: number): RunResult {
    const sum = (f: (s: Sample) => number) => this.samples.reduce((a, s) => a + f(s), 0);
    const ok = sum((s) => s.ok);
    const duration = sum((s) => s.duration);
    const sorted = Float64Array.from(this.samples.flatMap((s) => s.latencies)).sort();
    const statusCodes: Record<string, number> = {};
    for (const s of this.samples) for (const [k, v] of Object.entries(s.statusCodes)) statusCodes[k] = (statusCodes[k] ?? 0) + v;
    return {
      reqPerSec: ok / duration,
      eventsPerSec: (ok * eventsPerRequest) / duration,
      ok,
      non2xx: sum((s) => s.non2xx),
      errors: sum((s) => s.errors),
      timeouts: sum((s) => s.timeouts),
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.length ? sorted[sorted.length - 1] : NaN,
      duration,
      statusCodes,
      slices: this.samples.map((s) => s.ok / s.duration),
    };
  }

  cpuUse(): CpuUse {
    const d = this.samples.reduce((a, s) => a + s.duration, 0);
    const ok = this.samples.reduce((a, s) => a + s.ok, 0);
    return { server: this.cpu.server / d, redis: this.cpu.redis / d, loadgen: this.cpu.loadgen / d, other: this.cpu.other / d, serverUsPerReq: (this.cpu.server * 1e6) / Math.max(1, ok) };
  }
}

function describeCpu(c: CpuUse, withRedis: boolean): string {
  return `CPU: server ${fmt(c.server * 100)}% (${fmt(c.serverUsPerReq)} µs/req)${withRedis ? `, redis ${fmt(c.redis * 100)}%` : ''}, `
    + `autocannon ${fmt(c.loadgen * 100)}%, other processes ${fmt(c.other * 100)}%${c.other > 0.15 ? ' (busy machine: figures are noisy)' : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Redis

interface Stored { jobs: number; lost: number; extra: number }

/** Jobs in Redis for this prefix, checked id by id against the events of every 2xx answer. */
async function countStored(redisUrl: string, prefix: string, feed: Feed): Promise<Stored> {
  const queues = createQueues(redisUrl, prefix, SHARDS);
  // The web process only appends to the intake stream; the pump (the worker's, here our own) turns
  // that into the per-event jobs counted below. Pumping happens after the clock stopped: it is the
  // worker's cost, not the webhook's.
  const pump = startIntakePump({ redis: redisConnection(redisUrl, true), queues, prefix, log: pino({ level: 'warn' }) });
  try {
    await pump.drain();
    let jobs = 0;
    const inRedis = new Set<string>();
    for (const q of queues.lineEvents) {
      const counts = await q.getJobCounts();
      jobs += Object.values(counts).reduce((a, b) => a + b, 0);
      for (const id of await q.getRanges(['wait', 'prioritized', 'delayed', 'active', 'completed', 'failed'], 0, -1)) inRedis.add(id);
    }
    let lost = 0;
    let found = 0;
    for (const id of feed.ackedEventIds()) { if (inRedis.has(id)) found++; else lost++; }
    return { jobs, lost, extra: inRedis.size - found };
  } finally {
    await pump.close();
    await queues.close();
  }
}

async function deletePrefix(redisUrl: string, prefix: string): Promise<void> {
  const r = redisConnection(redisUrl, false);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 5000);
      cursor = next;
      if (keys.length) await r.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}

async function redisInfo(redisUrl: string): Promise<{ version: string; pid: number | undefined }> {
  const r = redisConnection(redisUrl, false);
  const info = await r.info('server');
  r.disconnect();
  const version = /redis_version:(\S+)/.exec(info)?.[1] ?? '?';
  const pid = Number(/process_id:(\d+)/.exec(info)?.[1]);
  // Only a Redis on this machine can be measured (REDIS_URL may point elsewhere).
  return { version, pid: Number.isFinite(pid) && !Number.isNaN(cpuSeconds(pid)) ? pid : undefined };
}

// ---------------------------------------------------------------------------------------------
// Main

interface PhaseDef { key: string; label: string; eventsPerRequest: number; rate?: number }
interface PhaseOut {
  def: PhaseDef;
  ours: RunResult;
  base: RunResult;
  stored: Stored;
  sentEvents: number;
  writtenEvents: number;
  madeLive: number;
  cpu: CpuUse;
  baseCpu: CpuUse;
  checks: { name: string; ok: boolean; detail: string }[];
}

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) : '-');

async function main(): Promise<number> {
  console.log(`Webhook intake benchmark: ${SECONDS} s per run (+${WARMUP} s warm-up; max-throughput runs in ${SLICES} alternating slices), ${cpus().length} CPUs, Node ${process.version}, `
    + `${SHARDS} shards, ${USERS} users, ${CONNECTIONS} connections (max-throughput runs), ${RATE} req/s (fixed-rate run)`);
  const secret = randomBytes(16).toString('hex');
  const token = randomBytes(24).toString('base64url');
  const runId = randomBytes(3).toString('hex');

  let services: LocalServices | undefined;
  let baseline: Child | undefined;
  let ours: Child | undefined;
  const stopAll = async () => {
    await ours?.stop();
    await baseline?.stop();
    await services?.stop();
  };
  const onSignal = () => { void stopAll().finally(() => process.exit(130)); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const busy0 = systemBusySeconds();
  await new Promise((r) => setTimeout(r, 1000));
  const busyBefore = systemBusySeconds() - busy0;
  console.log(`Before start, other processes used ${fmt(busyBefore * 100)}% CPU (100% = one core)${busyBefore > 0.15 ? ': the machine is busy, expect noisy figures' : ''}`);

  try {
    services = await startLocalServices();
    const redis = await redisInfo(services.redisUrl);
    console.log(`Redis ${redis.version}: ${services.describe.redis}; database: ${services.describe.mongo}`);

    const maker = new BodyMaker(secret);
    const pools = new Map<number, Pool>();
    const poolFor = (n: number) => {
      let p = pools.get(n);
      if (!p) { p = new Pool(maker, n); pools.set(n, p); }
      return p;
    };

    baseline = await spawnServer({ BENCH_MODE: 'baseline', LINE_CHANNEL_SECRET: secret });
    const phases: PhaseDef[] = [
      { key: 'a', label: 'max, 1 ev/req', eventsPerRequest: 1 },
      { key: 'b', label: 'max, 10 ev/req', eventsPerRequest: 10 },
      { key: 'c', label: `${RATE} req/s, 1 ev/req`, eventsPerRequest: 1, rate: RATE },
    ];
    const results: PhaseOut[] = [];
    const only = process.env.BENCH_PHASES; // e.g. "ab"

    for (const def of phases.filter((p) => !only || only.includes(p.key))) {
      const pool = poolFor(def.eventsPerRequest);
      pool.fillTo(def.rate ? Math.ceil(def.rate * (SECONDS + WARMUP) * 1.1) : 20_000);
      console.log(`\n(${def.key}) ${def.label}: pool of ${fmt(pool.items.length)} signed requests (${fmt(pool.items[0].raw.length)} bytes each, ${fmt(pool.usPerItem, 1)} µs to build + sign)`);

      // The baseline's warm-up rate bounds how many unique requests ours can need.
      const baseFeed = new Feed(pool, false);
      const baseUrl = `${baseline.url}/webhook`;
      const warm = await load(baseUrl, baseFeed, WARMUP, def.rate);
      pool.fillTo(Math.ceil(((warm.ok / warm.duration) * (SECONDS + WARMUP) + 1000) * 1.3));

      // Ours: a fresh process and queue prefix per phase, so every phase starts from an empty Redis.
      const prefix = `bench${runId}${def.key}`;
      ours = await spawnServer({
        BENCH_MODE: 'ours',
        REDIS_URL: services.redisUrl,
        MONGODB_URI: services.mongoUri,
        LINE_CHANNEL_SECRET: secret,
        LINE_CHANNEL_ACCESS_TOKEN: token,
        QUEUE_PREFIX: prefix,
        EVENT_SHARDS: String(SHARDS),
        BENCH_DB_NAME: `rongrian_bench_${runId}_${def.key}`,
      });
      const ourFeed = new Feed(pool, true);
      const oursUrl = `${ours.url}/webhook`;
      await load(oursUrl, ourFeed, WARMUP, def.rate);

      // Baseline and ours take turns (A B B A ...), so both see the same background load.
      const slices = def.rate ? 1 : SLICES;
      const baseMeter = new Meter(baseline.pid);
      const ourMeter = new Meter(ours.pid, redis.pid);
      const runBase = () => baseMeter.run(() => load(baseUrl, baseFeed, SECONDS / slices, def.rate));
      const runOurs = () => ourMeter.run(() => load(oursUrl, ourFeed, SECONDS / slices, def.rate));
      for (let k = 0; k < slices; k++) {
        if (k % 2 === 0) { await runBase(); await runOurs(); } else { await runOurs(); await runBase(); }
      }
      const base = baseMeter.result(def.eventsPerRequest);
      const baseCpu = baseMeter.cpuUse();
      const mine = ourMeter.result(def.eventsPerRequest);
      const cpu = ourMeter.cpuUse();
      console.log(`    baseline: ${fmt(base.reqPerSec)} req/s, p50 ${fmt(base.p50, 2)} ms, p99 ${fmt(base.p99, 2)} ms, ${describeCpu(baseCpu, false)}`);
      // Requests still in flight when autocannon stopped may yet be queued: let them land.
      await new Promise((r) => setTimeout(r, 1000));
      await ours.stop();
      ours = undefined;
      const stored = await countStored(services.redisUrl, prefix, ourFeed);
      await deletePrefix(services.redisUrl, prefix);

      const sentEvents = ourFeed.acked.length * def.eventsPerRequest;
      const writtenEvents = ourFeed.written * def.eventsPerRequest;
      const ratio = mine.reqPerSec / base.reqPerSec;
      const checks = [
        { name: 'lost', ok: stored.lost === 0, detail: `${stored.lost} events answered 2xx but not in Redis` },
        { name: 'stored', ok: stored.jobs >= sentEvents && stored.jobs <= writtenEvents, detail: `${stored.jobs} jobs for ${sentEvents} events answered 2xx (${writtenEvents} written)` },
        { name: 'errors', ok: mine.non2xx === 0 && mine.errors === 0, detail: `${mine.non2xx} non-2xx, ${mine.errors} errors (${mine.timeouts} timeouts) ${JSON.stringify(mine.statusCodes)}` },
        ...(def.rate
          ? [
            { name: 'p99', ok: mine.p99 < TARGET_P99_MS, detail: `p99 ${fmt(mine.p99, 2)} ms (target < ${TARGET_P99_MS} ms)` },
            { name: 'rate', ok: mine.reqPerSec >= def.rate * 0.95, detail: `${fmt(mine.reqPerSec)} req/s answered (asked ${def.rate})` },
          ]
          : [{ name: 'ratio', ok: ratio >= TARGET_RATIO, detail: `ours/baseline ${fmt(ratio, 2)} (target >= ${TARGET_RATIO})` }]),
      ];
      const out: PhaseOut = { def, ours: mine, base, stored, sentEvents, writtenEvents, madeLive: ourFeed.madeLive, cpu, baseCpu, checks };
      results.push(out);
      console.log(`    ours:     ${fmt(mine.reqPerSec)} req/s, ${fmt(mine.eventsPerSec)} events/s, p50 ${fmt(mine.p50, 2)} ms, p99 ${fmt(mine.p99, 2)} ms, ${describeCpu(cpu, true)}`);
      if (slices > 1) console.log(`    slices:   ours/baseline ${mine.slices.map((x, i) => fmt(x / base.slices[i], 2)).join(', ')}`);
      console.log(`    Redis:    ${fmt(stored.jobs)} jobs, ${fmt(sentEvents)} events answered 2xx (incl. warm-up), LOST ${stored.lost}, `
        + `${stored.extra} queued but unanswered (in flight when a run stopped)${ourFeed.madeLive ? `, ${ourFeed.madeLive} requests signed under load (pool ran out)` : ''}`);
      for (const c of checks.filter((x) => !x.ok)) console.log(`    FAIL ${c.name}: ${c.detail}`);
    }

    // Table
    const header = ['phase', 'ours req/s', 'ours ev/s', 'p50 ms', 'p99 ms', 'base req/s', 'base p99', 'ratio', 'jobs stored / events sent', 'LOST', 'non2xx/err', 'other CPU', 'result'];
    const rows = results.map((r) => [
      `(${r.def.key}) ${r.def.label}`,
      fmt(r.ours.reqPerSec),
      fmt(r.ours.eventsPerSec),
      fmt(r.ours.p50, 2),
      fmt(r.ours.p99, 2),
      fmt(r.base.reqPerSec),
      fmt(r.base.p99, 2),
      fmt(r.ours.reqPerSec / r.base.reqPerSec, 2),
      `${fmt(r.stored.jobs)} / ${fmt(r.sentEvents)}`,
      String(r.stored.lost),
      `${r.ours.non2xx}/${r.ours.errors}`,
      `${fmt(r.baseCpu.other * 100)}/${fmt(r.cpu.other * 100)}%`,
      r.checks.every((c) => c.ok) ? 'PASS' : `FAIL (${r.checks.filter((c) => !c.ok).map((c) => c.name).join(', ')})`,
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ');
    console.log('\n' + line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
    for (const row of rows) console.log(line(row));
    console.log(`\nTargets: ratio >= ${TARGET_RATIO} in (a) and (b); p99 < ${TARGET_P99_MS} ms at ${RATE} req/s in (c); LOST = 0 and no non-2xx everywhere.`);
    console.log('Events sent = events of requests answered 2xx, warm-up included; jobs stored may exceed it by the requests in flight when a run stopped.');
    console.log('other CPU = CPU used by processes outside the benchmark during the baseline/our run (100% = one core): above ~15%, the figures are noisy.');
    const pass = results.every((r) => r.checks.every((c) => c.ok));
    console.log(pass ? 'ALL PASS' : 'SOME TARGETS MISSED');
    return pass ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopAll();
    for (const c of children) c.kill('SIGKILL');
  }
}

process.exitCode = await main();
