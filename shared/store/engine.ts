import type { Connection } from 'mongoose';

/**
 * Which engine answers a connection, and what follows from it for the code, decided once per
 * connection. FerretDB v1 differs from MongoDB in ways the code must respect (no atomic `$inc` or
 * conditional update, no range or sort pushed down; on its SQLite backend concurrent writers fail
 * with SQLITE_BUSY; its multi-statement `update` runs the statements one by one). FerretDB names
 * itself in buildInfo; its PostgreSQL backend explains with PostgreSQL's own plan nodes
 * ("Node Type"), its SQLite backend with a list of strings.
 */
export type Engine = 'mongodb' | 'ferretdb-sqlite' | 'ferretdb-postgresql';

/** What the rest of the code may count on from the store; read these instead of testing the engine's name. */
export interface StoreCaps {
  engine: Engine;
  version: string;
  /**
   * A conditional update (`findOneAndUpdate` with a filter, `$inc`) is one atomic step. False on
   * FerretDB v1 (read → modify → replace): hence the version claim of guardedUpdate.ts on every engine.
   */
  atomicConditionalUpdate: boolean;
  /**
   * Any filter but `_id` equality may read the whole collection (FerretDB: ranges, sorts and most
   * fields are not pushed down). Bulk writers then write by `_id` alone and sweeps read in one
   * streamed scan instead of `_id` ranges.
   */
  filtersScan: boolean;
  /** Several writers at once are fine. False on FerretDB/SQLite (SQLITE_BUSY): write one at a time. */
  concurrentWriters: boolean;
  /**
   * Indexes the engine needs but does not make itself, added by the migration: the `_id` expression
   * index on SQLite (ferretSqlite.ts), GIN indexes for the pushdown on PostgreSQL (ferretPostgres.ts).
   */
  ownIndexes: 'none' | 'sqlite-id-expression' | 'postgres-gin';
  /**
   * `$group` is the fast way to count by key. False on FerretDB v1: it decodes every document and
   * groups in one thread, slower than streaming a narrow projection and counting here (tally.ts).
   */
  groupInServer: boolean;
}

/** The capabilities that follow from an engine (pure: the one table of engine differences). */
export function capsOf(engine: Engine, version = ''): StoreCaps {
  const ferret = engine !== 'mongodb';
  return {
    engine,
    version,
    atomicConditionalUpdate: !ferret,
    filtersScan: ferret,
    concurrentWriters: engine !== 'ferretdb-sqlite',
    ownIndexes: engine === 'ferretdb-sqlite' ? 'sqlite-id-expression' : engine === 'ferretdb-postgresql' ? 'postgres-gin' : 'none',
    groupInServer: !ferret,
  };
}

const decided = new WeakMap<Connection, Promise<StoreCaps>>();

async function detect(conn: Connection): Promise<{ caps: StoreCaps; sure: boolean }> {
  const build = await conn.db!.admin().command({ buildInfo: 1 }).catch(() => ({} as Record<string, unknown>));
  if (!('ferretdbVersion' in build)) return { caps: capsOf('mongodb', String(build.version ?? '')), sure: true };
  // Only an existing collection explains with a plan; the cases' one exists from the migration on.
  const explained = await conn.db!.collection('cases').find({}).limit(1).explain().catch(() => ({})) as { queryPlanner?: Record<string, unknown> };
  const plan = explained.queryPlanner ?? {};
  const engine = JSON.stringify(plan).includes('"Node Type"') ? 'ferretdb-postgresql' : 'ferretdb-sqlite';
  return { caps: capsOf(engine, String(build.ferretdbVersion)), sure: Object.keys(plan).length > 0 };
}

/**
 * The store's capabilities for a connection: asked of the server once and then held for the
 * connection's life (every holder of the models shares it). On an empty FerretDB database (before
 * the migration) the backend cannot be told yet: that guess is not kept, the next call asks again.
 */
export function storeCapsOf(models: { conn: Connection }): Promise<StoreCaps> {
  const conn = models.conn;
  let caps = decided.get(conn);
  if (!caps) {
    caps = detect(conn).then(({ caps: c, sure }) => {
      if (!sure) decided.delete(conn);
      return Object.freeze(c);
    });
    decided.set(conn, caps);
    caps.catch(() => decided.delete(conn));
  }
  return caps;
}
