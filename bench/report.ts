/**
 * `npm run bench:report`: the official tables at national scale.
 *
 * Starts a throwaway MongoDB-compatible server (MONGODB_URI if set, else shared/infra/launcher.ts:
 * FerretDB here), seeds the unit catalogue, and imports BENCH_CASES legacy records (default
 * 3,300,000, the ministry's yearly volume) through the real importer (JSON lines → validation →
 * unordered insertMany batches → counters per batch). The records spread over every unit (districts
 * most, provinces some, the ministry a few), both formats and all their rows, received over fiscal
 * years 2568–2569, about 80 % closed within 0–120 days. Then measures, against the targets:
 *   - import rate                                                         ≥ 10,000 records/s
 *     beside a bare insertMany of the same documents with the same indexes (the engine's own limit)
 *   - report time from counters over 100 random scopes (unit, with or without children, format,
 *     fiscal year / month / whole-month range): p50 and p95              p95 ≤ 50 ms
 *   - full recount from the cases (`report verify`) and whether it is clean   clean
 *   - ratio recount / report p50, and the national table checked against a count from the cases.
 * Env: BENCH_CASES, BENCH_BATCH (default 10,000), MONGODB_URI. Exits 1 if a target is missed.
 */
import { performance } from 'node:perf_hooks';
import { addFerretSqliteIdIndexes } from '../shared/store/ferretSqlite.ts';
import { seedUnits } from '../shared/units/seed.ts';
import { caseFromRecord, importRecords, loadUnits, type RecordSource } from '../shared/import/legacy.ts';
import { rowMapping } from '../shared/reports/rows.ts';
import { buildReport, buildReportFromCases } from '../shared/reports/build.ts';
import { fiscalYearPeriod, monthPeriod, type ReportPeriod } from '../shared/reports/period.ts';
import { DISTRICT_ROWS, PROVINCE_ROWS, type ReportFormat } from '../shared/reports/rows.ts';
import { verifyCounters } from '../shared/reports/verify.ts';
import { CHANNEL_CODES } from '../shared/categories.ts';
import { benchDatabase, benchLog, fmt, num, seededRandom } from './support.ts';
import type { Models } from '../shared/models/index.ts';
import { storeCapsOf } from '../shared/store/engine.ts';

const N = num('BENCH_CASES', 3_300_000);
const BATCH = num('BENCH_BATCH', 10_000);
const log = benchLog('bench:report');

const { rand, pick } = seededRandom();
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const NOW = new Date('2026-09-30T12:00:00+07:00');
const FROM = new Date('2024-10-01T00:00:00+07:00').getTime();
const SPAN = NOW.getTime() - FROM;
const DAY = 86_400_000;

/** The engine the run measured, for the header. */
async function engineOf(models: Models): Promise<string> {
  const { engine: store, version } = await storeCapsOf(models);
  return store === 'mongodb' ? `MongoDB ${version}` : `FerretDB ${version}, ${store === 'ferretdb-postgresql' ? 'PostgreSQL' : 'SQLite'}`;
}

async function main() {
  const { models, services, dbName, close } = await benchDatabase('bench_report', log);
  const exitCode = { value: 0 };
  try {
    await seedUnits(models);
    const units = await models.Unit.find({}, { level: 1, parentCode: 1 }).lean<{ _id: string; level: string; parentCode?: string }[]>();
    const districts = units.filter((u) => u.level === 'district').map((u) => u._id);
    const provinces = units.filter((u) => u.level === 'province').map((u) => u._id);
    log(`${fmt(units.length)} units; importing ${fmt(N)} records in batches of ${fmt(BATCH)} into ${services ? services.describe.mongo : process.env.MONGODB_URI!.replace(/\/\/[^@]*@/, '//')}`);

    // Records from their own seeded source, so the bare insert below can make the very same documents again.
    async function* records(): RecordSource {
      const { rand, pick } = seededRandom(0x1e6a);
      for (let i = 1; i <= N; i++) {
        const r = rand();
        const unitCode = r < 0.7 ? pick(districts) : r < 0.97 ? pick(provinces) : 'MOI';
        const format: ReportFormat = unitCode.length === 4 ? (rand() < 0.8 ? 'district' : 'province') : 'province';
        const receivedAt = new Date(FROM + Math.floor(rand() * SPAN));
        const closed = rand() < 0.8;
        const closedAt = closed ? new Date(Math.min(NOW.getTime(), receivedAt.getTime() + Math.floor(rand() * 120 * DAY))) : undefined;
        const rec: Record<string, string> = {
          externalId: `B-${i}`, receivedAt: receivedAt.toISOString(), unitCode, reportFormat: format,
          reportRow: pick(format === 'province' ? PROVINCE_ROWS : DISTRICT_ROWS), status: closed ? 'closed' : 'open',
        };
        if (closedAt) rec.closedAt = closedAt.toISOString();
        if (rand() < 0.5) rec.channel = pick(CHANNEL_CODES);
        if (rand() < 0.3) rec.description = 'ร้องเรียนเรื่องเสียงดังจากสถานประกอบการในชุมชนยามวิกาล';
        yield { line: i, raw: JSON.stringify(rec) };
      }
    }

    let lastLog = 0;
    const stats = await importRecords(models, records(), {
      source: 'bench:report', now: NOW, batchSize: BATCH,
      onProgress: (s) => {
        if (performance.now() - lastLog > 15_000) { lastLog = performance.now(); log(`  ${fmt(s.imported)} imported…`); }
      },
    });
    const importRate = stats.imported / (stats.ms / 1000);
    log(`imported ${fmt(stats.imported)} in ${fmt(stats.ms / 1000, 1)} s (${fmt(importRate)} /s), rejected ${stats.rejected}`);

    // The engine's own limit for the import: the same documents (same records, same conversion) with the
    // same indexes, inserted by bare unordered insertMany batches of the same size into a scratch
    // collection; only the insertMany calls are timed (no validation, duplicate handling or counters).
    const bare = models.conn.db!.collection('bench_bare_cases');
    for (const ix of await models.Case.collection.indexes()) {
      if (ix.name === '_id_') continue;
      await bare.createIndex(ix.key, { name: ix.name, ...(ix.unique ? { unique: true } : {}), ...(ix.sparse ? { sparse: true } : {}) });
    }
    const ctx = { units: await loadUnits(models), mapping: rowMapping(), now: NOW, source: 'bench:report' };
    let bareMs = 0;
    let bareDocs = 0;
    let docs: unknown[] = [];
    const insertBare = async () => {
      const t = performance.now();
      await bare.insertMany(docs as never[], { ordered: false });
      bareMs += performance.now() - t;
      bareDocs += docs.length;
      docs = [];
    };
    for await (const r of records()) {
      docs.push(caseFromRecord(JSON.parse(r.raw), ctx));
      if (docs.length >= BATCH) await insertBare();
    }
    if (docs.length) await insertBare();
    await bare.drop();
    const bareRate = bareDocs / (bareMs / 1000);
    log(`bare insertMany: ${fmt(bareDocs)} in ${fmt(bareMs / 1000, 1)} s (${fmt(bareRate)} /s)`);

    // As npm start does: without this index FerretDB/SQLite answers every read by `_id` (a report reads its
    // counter documents by `_id`) with a scan of the table (shared/store/ferretSqlite.ts).
    if (services?.ferretSqliteDir && process.env.BENCH_FERRET_ID_INDEX !== '0') {
      const added = addFerretSqliteIdIndexes(services.ferretSqliteDir);
      log(`FerretDB/SQLite _id expression index added to ${added.length} tables (BENCH_FERRET_ID_INDEX=0 skips it)`);
    }

    // 100 random scopes: any unit, with or without the units under it, either format, a fiscal year, a month or a quarter.
    const scopes = Array.from({ length: 100 }, () => {
      const r = rand();
      const unitCode = r < 0.1 ? 'MOI' : r < 0.5 ? pick(provinces) : pick(districts);
      const pr = rand();
      const period: ReportPeriod = pr < 0.5 ? fiscalYearPeriod(pick([2568, 2569]))
        : pr < 0.8 ? monthPeriod(`${pick([2025, 2026])}-${String(1 + Math.floor(rand() * 9)).padStart(2, '0')}`)
          : { kind: 'range', from: '2025-01-01', to: '2026-03-31' };
      return { unitCode, withChildren: rand() < 0.6, format: (rand() < 0.5 ? 'province' : 'district') as ReportFormat, period };
    });
    await buildReport({ models }, scopes[0]!); // warm the connection
    const times: number[] = [];
    for (const q of scopes) {
      const t = performance.now();
      await buildReport({ models }, q);
      times.push(performance.now() - t);
    }
    const p50 = percentile(times, 50);
    const p95 = percentile(times, 95);
    log(`report from counters: p50 ${fmt(p50, 2)} ms, p95 ${fmt(p95, 2)} ms, max ${fmt(Math.max(...times), 2)} ms`);

    // A few reports against a count from the cases (a full scan per report here: FerretDB filters only _id on its storage).
    let sameAsCases = true;
    const checks = [
      { unitCode: 'MOI', withChildren: true, format: 'province' as ReportFormat, period: fiscalYearPeriod(2569) },
    ];
    let scanMs = 0;
    for (const q of checks) {
      const a = await buildReport({ models }, q);
      const t = performance.now();
      const b = await buildReportFromCases({ models }, q);
      scanMs = Math.max(scanMs, performance.now() - t);
      if (JSON.stringify(a) !== JSON.stringify(b)) { sameAsCases = false; log('MISMATCH', q, a.total, b.total); }
    }
    log(`counters equal a count from the cases for ${checks.length} scopes: ${sameAsCases} (slowest count from cases ${fmt(scanMs / 1000, 1)} s)`);

    const v = await verifyCounters(models);
    log(`report verify: ${fmt(v.cases)} cases, ${fmt(v.counterDocs)} counter documents, ${v.mismatches.length} mismatches, ${fmt(v.ms / 1000, 1)} s`);

    const rows: [string, string, string, boolean][] = [
      ['cases imported', fmt(stats.imported), `${fmt(N)} asked`, stats.imported === N],
      ['import rate', `${fmt(importRate)} records/s`, '≥ 10,000/s', importRate >= 10_000],
      ['bare insertMany, same documents and indexes', `${fmt(bareRate)} docs/s`, 'info', true],
      ['import rate / bare insertMany', `${fmt((100 * importRate) / bareRate)} %`, 'info', true],
      ['report from counters p50', `${fmt(p50, 2)} ms`, 'info', true],
      ['report from counters p95 (100 random scopes)', `${fmt(p95, 2)} ms`, '≤ 50 ms', p95 <= 50],
      ['full recount (report verify)', `${fmt(v.ms / 1000, 1)} s`, 'info', true],
      ['report verify', v.mismatches.length ? `${v.mismatches.length} mismatches` : 'clean', 'clean', v.mismatches.length === 0],
      ['ratio recount / report p50', `${fmt(v.ms / p50)} ×`, 'info', true],
      ['national table = count from the cases', String(sameAsCases), 'true', sameAsCases],
    ];
    console.log(`\nbench:report — ${fmt(N)} cases (${await engineOf(models)})`);
    for (const [k, val, target, ok] of rows) console.log(`  ${k.padEnd(48)} ${val.padStart(20)}   target ${target.padEnd(12)} ${ok ? 'ok' : 'MISSED'}`);
    if (rows.some((r) => !r[3])) exitCode.value = 1;
  } finally {
    await close();
  }
  process.exitCode = exitCode.value;
}

main().catch((err) => { console.error(err); process.exit(1); });
