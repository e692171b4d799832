/**
 * FerretDB v1.24 on PostgreSQL pushes an equality filter down as `_jsonb -> 'field' @> '<value>'`
 * (`_jsonb #> '{a,b}' @> …` for a dotted field), but creates its indexes as B-trees on
 * `(_jsonb -> 'field')`. A B-tree cannot answer `@>`, so every query, `_id` lookups included, is a
 * sequential scan (EXPLAIN through FerretDB: "Seq Scan", `filterPushdown: true`). Measured here on
 * 50,000 documents: `findOne({_id})` 31 ms, growing with the table; with a GIN expression index on the
 * same expression 0.08 ms.
 *
 * This adds such a GIN (`jsonb_path_ops`) index for `_id` and for the leading field of every index
 * FerretDB knows about (the ones the schemas declare), so a filter with an equality on any of those
 * fields reads only the matching rows. PostgreSQL keeps them up to date; FerretDB does not list them
 * (they are not in its metadata) and drops them with the table. Run it once the collections and
 * their indexes exist (after the migration step), against the PostgreSQL database FerretDB uses.
 *
 * It also sets `plan_cache_mode = force_custom_plan` on that database: FerretDB sends the field name
 * as a bind parameter of a cached statement, and a generic plan (`_jsonb -> $1`) can never match an
 * expression index. New connections get it; restart FerretDB if it served queries before.
 *
 * Uses `psql` (the PostgreSQL client, installed with the server): no driver dependency for a step
 * that runs once.
 */
import { spawnSync } from 'node:child_process';

const FIELD = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/;

/** The expression FerretDB's pushdown compares, for a (possibly dotted) field. */
export function pushdownExpression(field: string): string {
  const parts = field.split('.');
  return parts.length === 1 ? `(_jsonb -> '${field}')` : `(_jsonb #> '{${parts.join(',')}}')`;
}

function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
  return h.toString(16).padStart(8, '0');
}

const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

function psql(url: string, args: string[], input?: string): string {
  const r = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-At', ...args], { encoding: 'utf8', input });
  if (r.error) throw new Error(`psql not runnable: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`psql failed: ${r.stderr.trim()}`);
  return r.stdout;
}

interface FerretIndex { key: Record<string, number> }
interface FerretCollection { schema: string; collection: string; table: string; indexes: FerretIndex[] }

/** The CREATE INDEX statements missing for these collections (given the index names that exist). */
export function ginIndexStatements(colls: FerretCollection[], existing: Set<string>): string[] {
  const out: string[] = [];
  for (const c of colls) {
    const fields = new Set(['_id', ...c.indexes.map((i) => Object.keys(i.key)[0]).filter((f): f is string => !!f)]);
    for (const field of fields) {
      if (!FIELD.test(field)) continue;
      const name = `${c.table.slice(0, 40)}_${fnv(field)}_rgin`;
      if (existing.has(`${c.schema}.${name}`)) continue;
      out.push(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ${ident(name)} ON ${ident(c.schema)}.${ident(c.table)} USING gin (${pushdownExpression(field)} jsonb_path_ops)`);
    }
  }
  return out;
}

/**
 * Adds the missing GIN indexes to every FerretDB collection in the PostgreSQL database at `url`
 * (or only in the FerretDB databases named). Returns the statements run.
 */
export function addFerretPostgresIndexes(url: string, databases?: string[]): string[] {
  const schemas = psql(url, ['-c', `SELECT table_schema FROM information_schema.tables WHERE table_name = '_ferretdb_database_metadata'`])
    .split('\n').filter(Boolean).filter((s) => !databases || databases.includes(s));
  const colls: FerretCollection[] = [];
  for (const schema of schemas) {
    const rows = psql(url, ['-c', `SELECT json_build_object('c', _jsonb->'_id', 't', _jsonb->'table', 'i', _jsonb->'indexes') FROM ${ident(schema)}._ferretdb_database_metadata`]);
    for (const line of rows.split('\n').filter(Boolean)) {
      const m = JSON.parse(line) as { c: string; t: string; i: FerretIndex[] | null };
      colls.push({ schema, collection: m.c, table: m.t, indexes: m.i ?? [] });
    }
  }
  const existing = new Set(psql(url, ['-c', `SELECT schemaname || '.' || indexname FROM pg_indexes`]).split('\n').filter(Boolean));
  const statements = ginIndexStatements(colls, existing);
  const dbName = new URL(url).pathname.replace(/^\//, '') || 'postgres';
  // Two processes migrating at once can both insert this database's first setting and one loses on
  // PostgreSQL's catalog key; the setting is the same either way, so the loser tries again.
  for (let attempt = 0; ; attempt++) {
    try {
      psql(url, ['-c', `ALTER DATABASE ${ident(dbName)} SET plan_cache_mode = force_custom_plan`]);
      break;
    } catch (err) {
      if (attempt >= 3 || !/pg_db_role_setting|tuple concurrently updated/.test((err as Error).message)) throw err;
    }
  }
  // One psql for all of them, as a script read from stdin: each statement then commits on its own
  // (CREATE INDEX CONCURRENTLY cannot run inside a transaction block, which `-c` with several would
  // be), without a process start per index (seconds per migration on a busy machine).
  if (statements.length) psql(url, ['-f', '-'], statements.map((s) => `${s};`).join('\n'));
  return statements;
}
