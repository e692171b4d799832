/**
 * `npm run cli -- report …`, `report verify [--fix]` and `import <file>`: the command-line side of
 * the reports, wired by app/cli.ts. Output goes to stdout (tables, JSON, CSV, XLSX bytes), progress and
 * summaries to stderr.
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { ConfigError } from '../config.ts';
import type { Models } from '../models/index.ts';
import { csvSource, fileSize, importRecords, jsonlSource } from '../import/legacy.ts';
import { buildReport, UnknownUnitError } from './build.ts';
import { parsePeriod, ReportInputError } from './period.ts';
import { renderText, toCsv, toXlsx } from './render.ts';
import { verifyCounters } from './verify.ts';

export class ReportUsageError extends ConfigError {
  override name = 'UsageError';
}

export const REPORT_USAGE = `  report --unit <code> [--with-children] --format province|district --fiscal-year <BE year> [--month YYYY-MM]
         [--from YYYY-MM-DD --to YYYY-MM-DD] --output text|json|csv|xlsx [--thai-digits] [--out <file>]
      the ministry's official table (text), or the same as JSON / CSV / XLSX (xlsx: to --out, or stdout when piped)
  report verify [--fix]
      recounts every report counter from the cases, lists mismatches (exit 1 if any); --fix corrects them,
      safe while the system runs (documents changing meanwhile are left for the next run)
  import <file.jsonl|file.csv> [--rejects <file>] [--batch 10000]
      imports legacy records (idempotent by externalId); bad lines go to <file>.rejects.jsonl with line and reason`;

export async function reportCommand(db: () => Promise<Models>, args: string[]): Promise<number> {
  if (args[0] === 'verify') {
    let values: { fix?: boolean };
    try {
      ({ values } = parseArgs({ args: args.slice(1), options: { fix: { type: 'boolean' } }, strict: true }));
    } catch (err) {
      throw new ReportUsageError(`${(err as Error).message}\n${REPORT_USAGE}`);
    }
    const r = await verifyCounters(await db(), { fix: values.fix });
    for (const m of r.mismatches.slice(0, 50)) console.log(`${m.docId}  ${m.key}  expected ${m.expected}  counted ${m.actual}`);
    if (r.mismatches.length > 50) console.log(`… and ${r.mismatches.length - 50} more`);
    console.error(`${r.cases.toLocaleString('en-US')} cases, ${r.counterDocs.toLocaleString('en-US')} counter documents, ${r.mismatches.length} mismatches (${(r.ms / 1000).toFixed(1)} s)` +
      (r.fixed ? ' — fixed / แก้ไขแล้ว'
        : r.skipped.length ? ` — ${r.skipped.length} documents not fixed: changed during the recount or awaiting an event; run again / เอกสารมีการเปลี่ยนแปลงระหว่างตรวจ ให้รันใหม่`
          : r.mismatches.length && !values.fix ? ' — run with --fix to correct them / ใช้ --fix เพื่อแก้ไข' : r.mismatches.length ? '' : ' — clean / ตรงกันทั้งหมด'));
    for (const id of r.skipped.slice(0, 20)) console.error(`  not fixed: ${id}`);
    return r.mismatches.length && !r.fixed ? 1 : 0;
  }
  let values;
  try {
    ({ values } = parseArgs({
      args, strict: true, options: {
        unit: { type: 'string' }, 'with-children': { type: 'boolean' }, format: { type: 'string' },
        'fiscal-year': { type: 'string' }, month: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
        output: { type: 'string', default: 'text' }, 'thai-digits': { type: 'boolean' }, out: { type: 'string' },
      },
    }));
  } catch (err) {
    throw new ReportUsageError(`${(err as Error).message}\n${REPORT_USAGE}`);
  }
  if (!values.unit) throw new ReportUsageError('--unit is required (รหัสหน่วยงาน เช่น 5001, 50, MOI)');
  if (values.format !== 'province' && values.format !== 'district') throw new ReportUsageError('--format must be province or district / แบบรายงาน province หรือ district');
  if (!['text', 'json', 'csv', 'xlsx'].includes(values.output!)) throw new ReportUsageError('--output must be text, json, csv or xlsx');
  let period;
  try {
    period = parsePeriod({ fiscalYear: values['fiscal-year'], month: values.month, from: values.from, to: values.to });
  } catch (err) {
    if (err instanceof ReportInputError) throw new ReportUsageError(err.message);
    throw err;
  }
  const report = await buildReport({ models: await db() }, { unitCode: values.unit, withChildren: Boolean(values['with-children']), format: values.format, period }).catch((err) => {
    throw err instanceof UnknownUnitError || err instanceof ReportInputError ? new ReportUsageError(err.message) : err;
  });
  const opts = { thaiDigits: Boolean(values['thai-digits']) };
  let out: string | Buffer;
  if (values.output === 'json') out = JSON.stringify(report, null, 2) + '\n';
  else if (values.output === 'csv') out = toCsv(report, opts);
  else if (values.output === 'xlsx') {
    out = await toXlsx(report, opts);
    if (!values.out && process.stdout.isTTY) throw new ReportUsageError('--output xlsx writes binary: give --out report.xlsx or redirect stdout (> report.xlsx)');
  } else out = renderText(report, opts);
  if (values.out) {
    writeFileSync(values.out, out);
    console.error(`written ${values.out}`);
  } else {
    process.stdout.write(out);
  }
  return 0;
}

export async function importCommand(db: () => Promise<Models>, args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { rejects: { type: 'string' }, batch: { type: 'string' } } });
  } catch (err) {
    throw new ReportUsageError(`${(err as Error).message}\n${REPORT_USAGE}`);
  }
  const { values, positionals } = parsed;
  const file = positionals[0];
  if (!file) throw new ReportUsageError('usage: import <file.jsonl|file.csv> / ต้องระบุไฟล์');
  const isCsv = /\.csv$/i.test(file);
  if (!isCsv && !/\.(jsonl|ndjson|json)$/i.test(file)) throw new ReportUsageError('the file must end in .jsonl or .csv / ไฟล์ต้องเป็น .jsonl หรือ .csv');
  let size: number;
  try {
    size = fileSize(file);
  } catch {
    throw new ReportUsageError(`cannot read ${file} / เปิดไฟล์ไม่ได้`);
  }
  const rejectsPath = values.rejects ?? `${file}.rejects.jsonl`;
  const models = await db();
  let rejectsFd: number | undefined;
  const bar = new cliProgress.SingleBar({
    stream: process.stderr, format: 'นำเข้า / importing [{bar}] {percentage}% | {imported} imported, {skipped} already there, {rejected} rejected | {rate}/s',
    hideCursor: true, etaBuffer: 50,
  }, cliProgress.Presets.shades_classic);
  let bytes = 0;
  const t0 = performance.now();
  bar.start(size, 0, { imported: 0, skipped: 0, rejected: 0, rate: 0 });
  const source = isCsv ? csvSource(file, (n) => { bytes += n; }) : jsonlSource(file, (n) => { bytes += n; });
  const stats = await importRecords(models, source, {
    source: file.split('/').pop()!.slice(0, 200),
    batchSize: values.batch ? Math.max(100, Number(values.batch) || 10_000) : undefined,
    onReject(line, reason, raw) {
      rejectsFd ??= openSync(rejectsPath, 'w');
      writeSync(rejectsFd, JSON.stringify({ line, reason, record: raw.slice(0, 1000) }) + '\n');
    },
    onProgress(s) {
      bar.update(Math.min(bytes, size), { imported: s.imported, skipped: s.skipped, rejected: s.rejected, rate: Math.round(s.imported / ((performance.now() - t0) / 1000)) });
    },
  }).finally(() => { bar.stop(); if (rejectsFd !== undefined) closeSync(rejectsFd); });
  console.error(`${stats.lines} lines: ${stats.imported} imported, ${stats.skipped} already imported (skipped), ${stats.rejected} rejected` +
    ` in ${(stats.ms / 1000).toFixed(1)} s (${Math.round(stats.imported / Math.max(stats.ms / 1000, 0.001))}/s)` +
    (stats.rejected ? `\nบรรทัดที่ไม่ผ่าน / rejected lines: ${rejectsPath}` : ''));
  return stats.rejected ? 3 : 0;
}
