import { relatedIndexModel } from '../shared/related/openIndex.ts';
import { exchangeModels } from '../shared/partners/models.ts';
import { DEAD_LETTERS_COLLECTION } from '../shared/deadLetters.ts';
import { ensureMigrated as ensure, migrationStatus, type MigrateLog, type MigrationResult } from '../shared/infra/migrate.ts';
import { connectDb, type Models } from '../shared/models/index.ts';
import { reportCounterModel } from '../shared/reports/counters.ts';
import { groupCodeModel, groupCodeUseModel, unitGroupModel } from '../shared/supervision/groups.ts';
import { lateSnapshotModel } from '../shared/supervision/lateSnapshot.ts';
import { nudgeModel } from '../shared/supervision/nudges.ts';
import { followingModel } from '../shared/cases/following.ts';
import { slaBatchModel } from '../workers/sla/run.ts';

/**
 * Every model of the deployment, bound so the migration (shared/infra/migrate.ts) creates its
 * collection and indexes. A new model belongs here: processes run with autoIndex off, so its indexes
 * exist only if the migration knows it.
 */
export function bindAllModels(models: Models): void {
  exchangeModels(models.conn);
  slaBatchModel(models);
  reportCounterModel(models);
  groupCodeModel(models);
  groupCodeUseModel(models);
  unitGroupModel(models);
  lateSnapshotModel(models);
  nudgeModel(models);
  followingModel(models);
  relatedIndexModel(models);
}

/** Written by modules that keep their model private (dashboard/signouts.ts, shared/deadLetters.ts). */
const MODEL_LESS_COLLECTIONS = ['dashboard_signouts', DEAD_LETTERS_COLLECTION];

const plan = (extra: { log?: MigrateLog; sqliteDir?: string } = {}) => ({
  bindAll: bindAllModels,
  collections: MODEL_LESS_COLLECTIONS,
  // Set by the launcher when it started FerretDB on SQLite, or by the operator for an external one.
  sqliteDir: extra.sqliteDir ?? (process.env.FERRETDB_SQLITE_DIR || undefined),
  // Likewise for FerretDB on PostgreSQL: the database it stores into (its GIN indexes, ferretPostgres.ts).
  postgresUrl: process.env.FERRETDB_POSTGRESQL_URL || undefined,
  log: extra.log,
});

/** Web, worker, CLI, `npm start`, tests and benches: migrate once if the database is behind, else return at once. */
export function ensureMigrated(models: Models, opts: { log?: MigrateLog; sqliteDir?: string } = {}): Promise<MigrationResult> {
  return ensure(models, plan(opts));
}

/** `npm run cli -- db migrate`: every step again (each only creates what is missing), under the lock. */
export function migrateNow(models: Models, opts: { log?: MigrateLog; sqliteDir?: string } = {}): Promise<MigrationResult> {
  return ensure(models, { ...plan(opts), force: true });
}

export function dbStatus(models: Models) {
  return migrationStatus(models, plan());
}

/** Logs of a command-line tool: one line on stderr, so stdout stays the command's output. */
export const stderrLog: MigrateLog = {
  info: (obj, msg) => console.error(`rongrian: ${msg} ${JSON.stringify(obj)}`),
  warn: (obj, msg) => console.error(`rongrian: ${msg} ${JSON.stringify(obj)}`),
};

/** connectDb, then ensureMigrated: what every tool that opens the database does (CLI, benches). */
export async function connectMigrated(uri: string, dbName?: string, log: MigrateLog = stderrLog): Promise<Models> {
  const models = await connectDb(uri, dbName);
  try {
    await ensureMigrated(models, { log });
  } catch (err) {
    await models.conn.close();
    throw err;
  }
  return models;
}
