/**
 * FerretDB v1.24 on SQLite answers an `_id` equality filter with `WHERE _ferretdb_sjson->'$._id' = ?`
 * but creates its `_id` index on `_ferretdb_sjson->"_id"`: SQLite cannot use that index for the query
 * (EXPLAIN QUERY PLAN: SCAN), so every `findById`, update and delete by `_id` reads the whole table.
 * Measured: `updateOne({_id})` on 40,000 cases 0.6–3.5 s; with the matching expression index 1–24 ms.
 * This adds that index to each FerretDB table in a SQLite directory (SQLite keeps it up to date;
 * FerretDB does not list it, as it is not in its metadata). Run it once the collections exist.
 * Not needed on MongoDB, nor on FerretDB's PostgreSQL backend (an `_id` update there takes the same
 * few ms whatever else the filter says).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

const SUFFIX = '_rongrian_id_expr';

/**
 * Adds the missing `_id` expression index to every FerretDB table of the directory's databases (or of
 * database `dbName` only); returns the tables indexed now.
 */
export function addFerretSqliteIdIndexes(dir: string, dbName?: string): string[] {
  const added: string[] = [];
  const files = readdirSync(dir).filter((f) => (dbName ? f === `${dbName}.sqlite` : f.endsWith('.sqlite')));
  for (const file of files) {
    const db = new DatabaseSync(join(dir, file));
    try {
      db.exec('PRAGMA busy_timeout = 10000');
      const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_ferretdb\\_%' ESCAPE '\\' AND sql LIKE '%_ferretdb_sjson%'`).all() as { name: string }[];
      const have = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index'`).all() as { name: string }[]).map((r) => r.name));
      for (const { name } of tables) {
        const index = `${name}${SUFFIX}`;
        if (have.has(index)) continue;
        db.exec(`CREATE INDEX IF NOT EXISTS "${index.replaceAll('"', '""')}" ON "${name.replaceAll('"', '""')}" (_ferretdb_sjson->'$._id')`);
        added.push(`${file.replace(/\.sqlite$/, '')}.${name}`);
      }
    } finally {
      db.close();
    }
  }
  return added;
}
