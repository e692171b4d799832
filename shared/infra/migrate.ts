/**
 * The one step that shapes a database: collections, indexes, the unit seed and, on FerretDB's SQLite
 * handler, the `_id` expression index (ferretSqlite.ts). Processes connect with mongoose's autoIndex
 * and autoCreate off (shared/models) and call `ensureMigrated`, which returns after one read when
 * the stored schema matches, and otherwise runs the migration once under a lock.
 *
 * Why a lock: FerretDB (both handlers) deadlocks for good when two clients create collections or
 * indexes at the same time, which is exactly what `web` and `worker` did when started together on
 * an empty database. The lock is a unique insert (atomic on MongoDB and FerretDB, unlike conditional
 * updates on FerretDB), renewed while the holder works and taken over once it has expired, so a
 * migrator killed half-way does not block the next one for longer than LOCK_TTL_MS.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { mongo, type Connection, type Model } from 'mongoose';
import type { Models } from '../models/index.ts';
import { buildUnitCatalog } from '../units/catalog.ts';
import { seedUnits } from '../units/seed.ts';
import { addFerretPostgresIndexes } from '../store/ferretPostgres.ts';
import { addFerretSqliteIdIndexes } from '../store/ferretSqlite.ts';
import { updateCaseGuarded } from '../store/guardedUpdate.ts';
import { rebuildRelatedIndex } from '../related/openIndex.ts';
import { OPEN_STATUSES } from '../categories.ts';
import { listFieldsFor } from '../cases/listing.ts';

/** Bump when a step changes in a way the fingerprint below does not see (e.g. a data fix). */
export const SCHEMA_VERSION = 1;
export const MIGRATIONS_COLLECTION = 'migrations';
export const LOCK_TTL_MS = 30_000;
const SCHEMA_ID = 'schema';
const LOCK_ID = 'lock';

/** Collections no model describes but code writes to: GridFS photos (and the indexes GridFS would create on first upload). */
const EXTRA_COLLECTIONS: { name: string; indexes: { key: Record<string, 1 | -1>; name: string; unique?: boolean }[] }[] = [
  { name: 'attachments.files', indexes: [{ key: { filename: 1, uploadDate: 1 }, name: 'filename_1_uploadDate_1' }] },
  { name: 'attachments.chunks', indexes: [{ key: { files_id: 1, n: 1 }, name: 'files_id_1_n_1', unique: true }] },
];

export interface MigrateLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface MigrateOptions {
  /** Binds every model of the deployment on the connection (app/migrate.ts knows them all). */
  bindAll?: (models: Models) => void;
  /** Collections written without a model bound here (created empty, so nothing creates them at run time). */
  collections?: string[];
  /** FerretDB's SQLite directory (FERRETDB_SQLITE_DIR): adds the `_id` expression index there. */
  sqliteDir?: string;
  /** The PostgreSQL database FerretDB stores into (FERRETDB_POSTGRESQL_URL): adds the GIN indexes its pushdown can use (ferretPostgres.ts). */
  postgresUrl?: string;
  log?: MigrateLog;
  /** How long to wait for another process's migration before giving up. */
  waitMs?: number;
}

export interface MigrationResult {
  ran: boolean;
  collections: number;
  indexes: number;
  units: number;
  sqliteIdIndexes: number;
  postgresIndexes: number;
  ms: number;
  /** Another process held the lock and this one waited for it. */
  waitedMs: number;
}

interface SchemaDoc { _id: string; version: number; fingerprint: string; sqliteIdIndexes?: boolean; postgresIndexes?: boolean; at: Date; by: string }
interface LockDoc { _id: string; owner: string; expiresAt: Date; at: Date }

const silent: MigrateLog = { info: () => undefined, warn: () => undefined };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function modelsOf(conn: Connection): Model<unknown>[] {
  return Object.values(conn.models as Record<string, Model<unknown>>).sort((a, b) => a.collection.collectionName.localeCompare(b.collection.collectionName));
}

/**
 * What this code expects of the database: every collection and its indexes, the unit catalog size.
 * A process whose fingerprint differs from the stored one (same version) migrates again; creating
 * only adds, so an older process doing so removes nothing a newer one made.
 */
export function fingerprintOf(conn: Connection, extra: string[] = []): string {
  const h = createHash('sha256');
  for (const m of modelsOf(conn)) h.update(JSON.stringify([m.collection.collectionName, m.schema.indexes()]));
  for (const c of EXTRA_COLLECTIONS) h.update(JSON.stringify([c.name, c.indexes]));
  for (const name of [...extra].sort()) h.update(name);
  h.update(`units:${buildUnitCatalog().length}`);
  return h.digest('hex').slice(0, 16);
}

function migrations(conn: Connection) {
  return conn.db!.collection<SchemaDoc | LockDoc>(MIGRATIONS_COLLECTION);
}

async function storedSchema(conn: Connection): Promise<SchemaDoc | null> {
  return (await migrations(conn).findOne({ _id: SCHEMA_ID })) as SchemaDoc | null;
}

type EngineDirs = Pick<MigrateOptions, 'sqliteDir' | 'postgresUrl'>;

function upToDate(doc: SchemaDoc | null, fingerprint: string, engine: EngineDirs): boolean {
  if (!doc) return false;
  if (doc.version > SCHEMA_VERSION) return true;
  return doc.version === SCHEMA_VERSION && doc.fingerprint === fingerprint
    && (!engine.sqliteDir || !!doc.sqliteIdIndexes) && (!engine.postgresUrl || !!doc.postgresIndexes);
}

const isDuplicate = (err: unknown) => (err as { code?: number }).code === 11000;

/** Holds the migration lock for `owner` until `release()`; renews it every LOCK_TTL_MS / 3. */
async function acquireLock(conn: Connection, owner: string, log: MigrateLog, waitMs: number, stillNeeded: () => Promise<boolean>): Promise<{ release(): Promise<void>; waitedMs: number } | undefined> {
  const coll = migrations(conn);
  const started = Date.now();
  let announced = false;
  let waited = false;
  for (;;) {
    const now = new Date();
    try {
      await coll.insertOne({ _id: LOCK_ID, owner, at: now, expiresAt: new Date(now.getTime() + LOCK_TTL_MS) });
      break;
    } catch (err) {
      if (!isDuplicate(err)) throw err;
    }
    const held = (await coll.findOne({ _id: LOCK_ID })) as LockDoc | null;
    if (held && held.expiresAt.getTime() < Date.now()) {
      // The holder stopped renewing (killed mid-migration): the steps are all "create if missing", so
      // starting over is safe. Delete only that holder's lock, then race for a fresh one.
      log.warn({ owner: held.owner, expiredAt: held.expiresAt }, 'taking over a stale database migration lock');
      await coll.deleteOne({ _id: LOCK_ID, owner: held.owner });
      continue;
    }
    if (!announced && held) {
      log.info({ owner: held.owner }, 'waiting for the database migration another process is running');
      announced = true;
    }
    waited = true;
    if (!(await stillNeeded())) return undefined;
    if (Date.now() - started > waitMs) throw new Error(`database migration lock held by ${held?.owner ?? 'another process'} for over ${Math.round(waitMs / 1000)} s`);
    await sleep(200);
  }
  const renew = setInterval(() => {
    coll.updateOne({ _id: LOCK_ID, owner }, { $set: { expiresAt: new Date(Date.now() + LOCK_TTL_MS) } })
      .catch((err: Error) => log.warn({ err: err.message }, 'could not renew the database migration lock'));
  }, LOCK_TTL_MS / 3);
  renew.unref();
  return {
    waitedMs: waited ? Date.now() - started : 0,
    async release() {
      clearInterval(renew);
      await coll.deleteOne({ _id: LOCK_ID, owner });
    },
  };
}

async function createCollectionIfMissing(conn: Connection, name: string, existing: Set<string>): Promise<boolean> {
  if (existing.has(name)) return false;
  try {
    await conn.db!.createCollection(name);
  } catch (err) {
    // NamespaceExists: made since the listing (by a process that ignored the lock).
    if ((err as { code?: number }).code !== 48) throw err;
  }
  existing.add(name);
  return true;
}

/**
 * The unit catalog: into an empty collection in one insert (956 upserts, each a read and a write on
 * FerretDB, took 1.5 s, the bulk of a migration); otherwise the upserts that mend a partial seed.
 */
async function seedUnitsOnce(models: Models): Promise<number> {
  if (await models.Unit.exists({})) return seedUnits(models);
  const now = new Date();
  const docs = buildUnitCatalog().map((u) => ({
    _id: u.code, nameTh: u.nameTh, nameEn: u.nameEn, level: u.level, parentCode: u.parentCode,
    ...(u.provinceCode === undefined ? {} : { provinceCode: u.provinceCode }), createdAt: now, updatedAt: now,
  }));
  await models.Unit.collection.insertMany(docs as unknown as mongo.OptionalId<mongo.Document>[], { ordered: false });
  return docs.length;
}

/**
 * Cases from before the list keys existed (shared/cases/listing.ts) get them, through the version
 * claim like any case write (FerretDB's update is read → modify → replace: a plain update could
 * undo a command's write made at the same moment). Runs when the migration does; a no-op after.
 */
async function backfillListFields(models: Models): Promise<void> {
  const cursor = models.Case.find({ listDay: { $exists: false } }, { _id: 1, receivedAt: 1, createdAt: 1 }).lean().cursor({ batchSize: 1000 });
  for await (const c of cursor as AsyncIterable<{ _id: unknown; receivedAt?: Date; createdAt?: Date }>) {
    const fields = listFieldsFor(new Date(c.receivedAt ?? c.createdAt ?? 0));
    await updateCaseGuarded(models, String(c._id), {}, { $set: fields });
  }
}

/** The steps, one at a time (never two creations at once, even from this process). Caller holds the lock. */
async function runSteps(models: Models, opts: MigrateOptions): Promise<Omit<MigrationResult, 'ran' | 'ms' | 'waitedMs'>> {
  const { conn } = models;
  const existing = new Set((await conn.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  let collections = 0;
  let indexes = 0;
  for (const m of modelsOf(conn)) {
    if (await createCollectionIfMissing(conn, m.collection.collectionName, existing)) collections++;
    const have = new Set((await m.collection.indexes()).map((i) => JSON.stringify(i.key)));
    for (const [key, options] of m.schema.indexes()) {
      if (have.has(JSON.stringify(key))) continue;
      await m.collection.createIndex(key as mongo.IndexSpecification, { ...options } as mongo.CreateIndexesOptions);
      indexes++;
    }
  }
  for (const c of EXTRA_COLLECTIONS) {
    if (await createCollectionIfMissing(conn, c.name, existing)) collections++;
    const coll = conn.db!.collection(c.name);
    const have = new Set((await coll.indexes()).map((i) => i.name));
    for (const ix of c.indexes) {
      if (have.has(ix.name)) continue;
      await coll.createIndex(ix.key, { name: ix.name, ...(ix.unique ? { unique: true } : {}) });
      indexes++;
    }
  }
  for (const name of opts.collections ?? []) if (await createCollectionIfMissing(conn, name, existing)) collections++;
  const units = await seedUnitsOnce(models);
  // Outboxes written before cases carried the `hasOutbox` flag the sweep finds them by (a no-op after).
  await models.Case.updateMany({ 'pendingEvents.0': { $exists: true }, hasOutbox: { $ne: true } }, { $set: { hasOutbox: true } });
  await backfillListFields(models);
  // The search's slim copy of the open cases (shared/related/openIndex.ts): missing or stale entries, after the keys.
  await rebuildRelatedIndex(models);
  let sqliteIdIndexes = 0;
  if (opts.sqliteDir) sqliteIdIndexes = addFerretSqliteIdIndexes(opts.sqliteDir, conn.db!.databaseName).length;
  // FerretDB/PostgreSQL keeps each database in a schema of the same name.
  let postgresIndexes = 0;
  if (opts.postgresUrl) postgresIndexes = addFerretPostgresIndexes(opts.postgresUrl, [conn.db!.databaseName]).length;
  return { collections, indexes, units, sqliteIdIndexes, postgresIndexes };
}

/**
 * Migrates the connection's database if its stored schema is behind this code (or `force`), under
 * the lock; if another process is migrating, waits for it instead. Returns at once when up to date.
 */
export async function ensureMigrated(models: Models, opts: MigrateOptions & { force?: boolean } = {}): Promise<MigrationResult> {
  const log = opts.log ?? silent;
  const started = Date.now();
  opts.bindAll?.(models);
  const { conn } = models;
  const fingerprint = fingerprintOf(conn, opts.collections);
  const result: MigrationResult = { ran: false, collections: 0, indexes: 0, units: 0, sqliteIdIndexes: 0, postgresIndexes: 0, ms: 0, waitedMs: 0 };
  if (!opts.force && upToDate(await storedSchema(conn), fingerprint, opts)) return result;

  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const lock = await acquireLock(conn, owner, log, opts.waitMs ?? 120_000,
    async () => opts.force || !upToDate(await storedSchema(conn), fingerprint, opts));
  if (!lock) {
    result.waitedMs = Date.now() - started;
    result.ms = result.waitedMs;
    return result;
  }
  try {
    result.waitedMs = lock.waitedMs;
    // Someone else may have finished just before we got the lock.
    if (!opts.force && upToDate(await storedSchema(conn), fingerprint, opts)) return result;
    Object.assign(result, await runSteps(models, opts), { ran: true });
    const doc: SchemaDoc = { _id: SCHEMA_ID, version: SCHEMA_VERSION, fingerprint, sqliteIdIndexes: !!opts.sqliteDir, postgresIndexes: !!opts.postgresUrl, at: new Date(), by: owner };
    await migrations(conn).replaceOne({ _id: SCHEMA_ID }, doc, { upsert: true });
    result.ms = Date.now() - started;
    log.info({ db: conn.db!.databaseName, version: SCHEMA_VERSION, collections: result.collections, indexes: result.indexes, units: result.units, sqliteIdIndexes: result.sqliteIdIndexes, postgresIndexes: result.postgresIndexes, ms: result.ms }, 'database migrated');
    return result;
  } finally {
    await lock.release();
  }
}

/** The stored schema and whether this code would migrate (for `db status`). */
export async function migrationStatus(models: Models, opts: Pick<MigrateOptions, 'bindAll' | 'collections' | 'sqliteDir' | 'postgresUrl'> = {}): Promise<{ stored: SchemaDoc | null; version: number; fingerprint: string; upToDate: boolean; lock: LockDoc | null }> {
  opts.bindAll?.(models);
  const fingerprint = fingerprintOf(models.conn, opts.collections);
  const stored = await storedSchema(models.conn);
  const lock = (await migrations(models.conn).findOne({ _id: LOCK_ID })) as LockDoc | null;
  return { stored, version: SCHEMA_VERSION, fingerprint, upToDate: upToDate(stored, fingerprint, opts), lock };
}
