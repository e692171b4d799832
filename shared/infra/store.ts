import type { Connection } from 'mongoose';

/**
 * Which engine answers a connection, decided once per connection. FerretDB v1 differs from MongoDB in
 * ways the code must respect (no atomic `$inc` or conditional update, no range or sort pushed down;
 * on its SQLite backend concurrent writers fail with SQLITE_BUSY; its multi-statement `update` runs
 * the statements one by one). FerretDB names itself in buildInfo; its PostgreSQL backend explains
 * with PostgreSQL's own plan nodes ("Node Type"), its SQLite backend with a list of strings.
 */
export type Store = 'mongodb' | 'ferretdb-sqlite' | 'ferretdb-postgresql';

export interface StoreInfo { store: Store; version: string }

const infos = new WeakMap<Connection, Promise<StoreInfo>>();

export function storeInfoOf(conn: Connection): Promise<StoreInfo> {
  let info = infos.get(conn);
  if (!info) {
    info = (async (): Promise<StoreInfo> => {
      const build = await conn.db!.admin().command({ buildInfo: 1 }).catch(() => ({} as Record<string, unknown>));
      if (!('ferretdbVersion' in build)) return { store: 'mongodb', version: String(build.version ?? '') };
      // The cases' collection exists from the migration on; a missing one explains with no plan at all.
      const explained = await conn.db!.collection('cases').find({}).limit(1).explain().catch(() => ({})) as { queryPlanner?: Record<string, unknown> };
      const store = JSON.stringify(explained.queryPlanner ?? {}).includes('"Node Type"') ? 'ferretdb-postgresql' : 'ferretdb-sqlite';
      return { store, version: String(build.ferretdbVersion) };
    })();
    infos.set(conn, info);
  }
  return info;
}

export async function storeOf(models: { conn: Connection }): Promise<Store> {
  return (await storeInfoOf(models.conn)).store;
}

export async function isFerretDb(models: { conn: Connection }): Promise<boolean> {
  return (await storeOf(models)) !== 'mongodb';
}
