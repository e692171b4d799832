import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { ensureMigrated } from '../app/migrate.ts';
import { freePort } from '../shared/infra/launcher.ts';
import { LOCK_TTL_MS, MIGRATIONS_COLLECTION } from '../shared/infra/migrate.ts';
import { connectDb, type Models } from '../shared/models/index.ts';
import { buildUnitCatalog } from '../shared/units/catalog.ts';
import { startLineSimulator, type LineSimulator } from '../simulator/server.ts';

const mongoUri = inject('mongoUri').replace(/\/$/, '');
const redisUrl = inject('redisUrl');
const opened: Models[] = [];
const children: ChildProcess[] = [];

async function db(name: string): Promise<Models> {
  const m = await connectDb(mongoUri, name);
  opened.push(m);
  return m;
}

afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => new Promise<void>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve();
    c.once('exit', () => resolve());
    c.kill('SIGKILL');
  })));
});
afterAll(async () => {
  for (const m of opened) {
    await m.conn.dropDatabase().catch(() => undefined);
    await m.conn.close();
  }
});

const indexNames = async (m: Models, collection: string) => (await m.conn.db!.collection(collection).indexes()).map((i) => i.name);

describe('one migration step, under a lock', () => {
  it('`npm run web` and `npm run worker` started together on an empty database serve within 15 s, and migrate it once', async () => {
    const id = randomBytes(4).toString('hex');
    const dbName = `rongrian_empty_${id}`;
    const secret = randomBytes(16).toString('hex');
    const token = randomBytes(24).toString('base64url');
    const sim: LineSimulator = await startLineSimulator({ channelSecret: secret, channelAccessToken: token });
    try {
      const port = await freePort();
      const env = {
        ...process.env,
        MONGODB_URI: `${mongoUri}/${dbName}`, REDIS_URL: redisUrl, QUEUE_PREFIX: `m${id}`, PORT: String(port), LOG_LEVEL: 'info',
        LINE_CHANNEL_SECRET: secret, LINE_CHANNEL_ACCESS_TOKEN: token, LINE_API_BASE_URL: sim.url, LINE_DATA_API_BASE_URL: sim.url,
      };
      const logs = { web: '', worker: '' };
      // When each process has loaded its code and begins its start-up (its "starting" log line). The
      // 15 s are counted from the later of the two: what happens after that is ours (connect, migrate
      // or wait for the migration, listen, consume); loading Node modules is the machine's speed, and
      // this shared 2-core machine, at load average 20+, took up to 12 s for that alone.
      const startedAt: Partial<Record<'web' | 'worker', number>> = {};
      const spawned = Date.now();
      for (const name of ['web', 'worker'] as const) {
        const child = spawn(process.execPath, [`app/${name}.ts`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout!.on('data', (d) => {
          logs[name] += d;
          if (startedAt[name] === undefined && logs[name].includes(`"${name} starting"`)) startedAt[name] = Date.now();
        });
        child.stderr!.on('data', (d) => { logs[name] += d; });
        children.push(child);
      }
      const url = `http://127.0.0.1:${port}`;
      const timeline = () => `\nweb: ${logs.web}\nworker: ${logs.worker}`;
      const until = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
        for (;;) {
          const both = startedAt.web !== undefined && startedAt.worker !== undefined ? Math.max(startedAt.web, startedAt.worker) : undefined;
          if (both !== undefined && Date.now() - both > 15_000) throw new Error(`${what}: not within 15 s of both processes starting${timeline()}`);
          if (Date.now() - spawned > 60_000) throw new Error(`${what}: not within 60 s of spawning${timeline()}`);
          const v = await probe();
          if (v !== undefined) return v;
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      await until('/readyz', () => fetch(`${url}/readyz`).then((r) => (r.ok ? true : undefined), () => undefined));

      sim.setWebhookUrl(`${url}/webhook`);
      const citizen = sim.addUser({ displayName: 'ผู้ร้อง เริ่มพร้อมกัน', language: 'th' });
      expect((await sim.sendText(citizen.userId, 'แจ้งเรื่องร้องเรียน')).status).toBe(200);
      await until('a reply to the first message', async () => (sim.messagesFor(citizen.userId).length ? true : undefined));
      const serving = Date.now() - Math.max(startedAt.web!, startedAt.worker!);
      expect(serving).toBeLessThan(15_000);

      // One of the two migrated; the other waited for it (or found it done) instead of creating too.
      const migrated = [logs.web, logs.worker].map((l) => l.split('\n').filter((line) => line.includes('database migrated')).length);
      expect(migrated.reduce((a, b) => a + b)).toBe(1);
      const m = await db(dbName);
      expect(await indexNames(m, 'cases')).toEqual(expect.arrayContaining(['trackingNo_1', 'idempotencyKey_1', 'slaNextAt_1']));
      expect(await m.Unit.countDocuments()).toBe(buildUnitCatalog().length);
      const docs = await m.conn.db!.collection(MIGRATIONS_COLLECTION).find().toArray();
      expect(docs.map((d) => d._id)).toEqual(['schema']);
    } finally {
      await sim.close();
    }
  }, 40_000);

  it('`npm run cli -- db migrate` creates every collection and index once; again it creates nothing, and `db status` says up to date', async () => {
    const dbName = `rongrian_cli_${randomBytes(4).toString('hex')}`;
    const env = { ...process.env, MONGODB_URI: `${mongoUri}/${dbName}`, LOG_LEVEL: 'silent' };
    const cli = (...args: string[]) => spawnSync(process.execPath, ['app/cli.ts', ...args], { env, encoding: 'utf8', timeout: 30_000 });
    const status = cli('db', 'status');
    expect(status.status).toBe(1);
    expect(JSON.parse(status.stdout)).toMatchObject({ stored: null, upToDate: false });

    const first = cli('db', 'migrate');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`database ${dbName} migrated in \\d+ ms: \\d+ collections and \\d+ indexes created, ${buildUnitCatalog().length} units seeded`));
    const m = await db(dbName);
    const collections = (await m.conn.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(collections).toEqual(expect.arrayContaining(['cases', 'conversations', 'units', 'case_claims', 'api_keys', 'report_counters', 'sla_batches', 'attachments.files', 'attachments.chunks']));
    expect(await indexNames(m, 'api_keys')).toEqual(expect.arrayContaining(['_id_']));
    expect(await indexNames(m, 'attachments.chunks')).toContain('files_id_1_n_1');

    const again = cli('db', 'migrate');
    expect(again.stdout).toContain('0 collections and 0 indexes created, 0 units seeded');
    const after = cli('db', 'status');
    expect(after.status).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({ upToDate: true, stored: { version: 1 }, lock: null });
  }, 60_000);

  it('waits for a migration another process holds, and takes over a lock whose holder stopped renewing it', async () => {
    const dbName = `rongrian_lock_${randomBytes(4).toString('hex')}`;
    const m = await db(dbName);
    const locks = m.conn.db!.collection<{ _id: string; owner: string; at: Date; expiresAt: Date }>(MIGRATIONS_COLLECTION);
    // A migrator that died 1 s before its lock would have expired.
    await locks.insertOne({ _id: 'lock', owner: 'dead-host:1', at: new Date(Date.now() - LOCK_TTL_MS), expiresAt: new Date(Date.now() + 1_000) });
    const warnings: string[] = [];
    const log = { info: (_o: object, msg: string) => warnings.push(msg), warn: (_o: object, msg: string) => warnings.push(msg) };
    const t = Date.now();
    const r = await ensureMigrated(m, { log });
    expect(Date.now() - t).toBeGreaterThanOrEqual(900);
    expect(r).toMatchObject({ ran: true, units: buildUnitCatalog().length });
    expect(warnings).toEqual(expect.arrayContaining(['waiting for the database migration another process is running', 'taking over a stale database migration lock', 'database migrated']));
    expect(await locks.findOne({ _id: 'lock' })).toBeNull();
    // Up to date now: the next process reads one document and goes on.
    const t2 = Date.now();
    expect(await ensureMigrated(m)).toMatchObject({ ran: false, waitedMs: 0 });
    expect(Date.now() - t2).toBeLessThan(1_000);
  }, 30_000);

  // The launcher sets FERRETDB_SQLITE_DIR when it runs FerretDB on SQLite (FERRETDB_HANDLER=sqlite npm test).
  it.runIf(!!process.env.FERRETDB_SQLITE_DIR)('on FerretDB/SQLite the migration (the one step web, worker and the CLI run) gives every table the `_id` index its `_id` queries can use', async () => {
    const dbName = `rongrian_sqlite_${randomBytes(4).toString('hex')}`;
    const env = { ...process.env, MONGODB_URI: `${mongoUri}/${dbName}`, LOG_LEVEL: 'silent' };
    const r = spawnSync(process.execPath, ['app/cli.ts', 'db', 'migrate'], { env, encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/, \d+ FerretDB\/SQLite _id indexes/);
    const m = await db(dbName);
    const file = new DatabaseSync(join(process.env.FERRETDB_SQLITE_DIR!, `${dbName}.sqlite`), { readOnly: true });
    try {
      const tables = file.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%_ferretdb_sjson%'`).all() as { name: string }[];
      const indexed = new Set((file.prepare(`SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND name LIKE '%_rongrian_id_expr'`).all() as { tbl_name: string }[]).map((x) => x.tbl_name));
      expect(tables.length).toBeGreaterThan(15);
      expect(tables.filter((t) => !indexed.has(t.name))).toEqual([]);
      const plan = file.prepare(`EXPLAIN QUERY PLAN SELECT * FROM "${tables.find((t) => t.name.startsWith('cases'))!.name}" WHERE _ferretdb_sjson->'$._id' = ?`).all('x') as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX/);
    } finally {
      file.close();
    }
    expect(await m.Case.countDocuments()).toBe(0);
  }, 60_000);
  // The launcher sets FERRETDB_POSTGRESQL_URL when it runs FerretDB on PostgreSQL (the default here).
  it.runIf(!!process.env.FERRETDB_POSTGRESQL_URL)('on FerretDB/PostgreSQL the migration gives every table a GIN index on the expression its `_id` lookups push down', async () => {
    const dbName = `rongrian_pg_${randomBytes(4).toString('hex')}`;
    const env = { ...process.env, MONGODB_URI: `${mongoUri}/${dbName}`, LOG_LEVEL: 'silent' };
    const r = spawnSync(process.execPath, ['app/cli.ts', 'db', 'migrate'], { env, encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/, \d+ FerretDB\/PostgreSQL GIN indexes/);
    const m = await db(dbName);
    const psql = (sql: string) => {
      const out = spawnSync('psql', [process.env.FERRETDB_POSTGRESQL_URL!, '-At', '-c', sql], { encoding: 'utf8' });
      expect(out.status, out.stderr).toBe(0);
      return out.stdout.trim().split('\n').filter(Boolean);
    };
    const tables = psql(`SELECT _jsonb->>'table' FROM "${dbName}"._ferretdb_database_metadata`);
    const indexed = new Set(psql(`SELECT tablename FROM pg_indexes WHERE schemaname = '${dbName}' AND indexdef LIKE '%USING gin%_id%'`));
    expect(tables.length).toBeGreaterThan(15);
    expect(tables.filter((t) => !indexed.has(t))).toEqual([]);
    // With sequential scans priced out, the planner shows whether an index can answer FerretDB's `_id` filter at all.
    const cases = psql(`SELECT _jsonb->>'table' FROM "${dbName}"._ferretdb_database_metadata WHERE _jsonb->>'_id' = 'cases'`)[0];
    const plan = psql(`SET enable_seqscan = off; EXPLAIN SELECT _jsonb FROM "${dbName}"."${cases}" WHERE _jsonb -> '_id' @> '"x"'`).join(' ');
    expect(plan).toMatch(/Index|Bitmap/);
    expect(await m.Case.countDocuments()).toBe(0);
  }, 60_000);
});
