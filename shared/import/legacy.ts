/**
 * Legacy import: the centres' old records become full cases, marked `imported`, counted
 * in the official tables and found by search like any other.
 *
 * One record (JSONL line or CSV row with these column names):
 *   {"externalId":"A-1","receivedAt":"2019-03-01T10:00:00+07:00","unitCode":"50","reportFormat":"province",
 *    "reportRow":"<Thai row label>","status":"closed"|"open","closedAt":"…optional","channel":"…optional",
 *    "subject":"…optional","description":"…optional"}
 *
 * - Idempotent by externalId: the case's `idempotencyKey` is `import:<externalId>` (already unique and
 *   required, so no second unique index over cases that have no externalId) and its tracking number
 *   `IMP-<externalId>` (never confused with a real one, 2569-000042). A second import of the same
 *   record is skipped, counted as "already imported".
 * - A bad line is written to the reject file with its line number and the reason in Thai and English,
 *   and nothing of it is stored. Each good line is one document insert, so a line is never half-imported.
 * - Speed: unordered insertMany of large batches; the counters get one increment per counter document
 *   per 1,000,000 records (and at the end), for exactly the records the server inserted. An import that
 *   dies part-way leaves the inserted cases in place (a re-run skips them) and possibly uncounted:
 *   run `npm run cli -- report verify --fix` after an interrupted import.
 *
 * The record names one format's row; its row in the other format is derived the usual way
 * (config/report-rows.json) from the category and channel the row implies (ROW_CATEGORY below) or the
 * record's channel. Imported open cases have no SLA deadlines (the old system's are unknown), so the
 * SLA clock leaves them alone.
 */
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Types } from 'mongoose';
import { parse as parseCsv } from 'csv-parse';
import { z } from 'zod';
import { CHANNELS, CHANNEL_CODES, type ChannelCode, type SubjectCategoryCode } from '../categories.ts';
import type { Models } from '../models/index.ts';
import { missingMask } from '../reports/completeness.ts';
import { listFieldsFor } from '../cases/listing.ts';
import { addFacts, ancestorsOf, applyDelta, overviewFactsOf, type CounterDelta } from '../reports/counters.ts';
import { slaContext } from '../sla/load.ts';
import { monthOf } from '../reports/period.ts';
import { REPORT_FORMATS, rowMapping, rowOfLabel, type ReportFormat, type RowMapping } from '../reports/rows.ts';

/** The subject a row implies (rows that are channels imply none: `help`, the most general). */
const ROW_CATEGORY: Record<ReportFormat, SubjectCategoryCode[]> = {
  province: ['help', 'tipoff', 'dispute', 'official', 'state_project', 'informal_debt', 'petition', 'help', 'help', 'help', 'help', 'help', 'corruption'],
  district: ['state_project', 'official', 'tipoff', 'help', 'dispute'],
};
/** The channel a province channel-row implies when the record names none. */
const ROW_CHANNEL: Record<number, ChannelCode> = { 8: 'hotline', 10: 'website' };
const DEFAULT_CHANNEL: ChannelCode = 'walk_in';

const CHANNEL_BY_NAME = new Map<string, ChannelCode>(CHANNELS.flatMap((c) => [[c.code, c.code], [c.th, c.code], [c.en.toLowerCase(), c.code]] as [string, ChannelCode][]));

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const text = (max: number) => z.string().max(max).refine((s) => !CONTROL.test(s), 'มีอักขระควบคุม / contains control characters');
const isoDateTime = z.string().max(40).refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)), 'ต้องเป็นวันเวลา ISO 8601 พร้อมเขตเวลา / must be an ISO 8601 datetime with offset');

const recordSchema = z.strictObject({
  externalId: z.string().regex(/^[A-Za-z0-9._:\/-]{1,64}$/, 'externalId: ตัวอักษร A-Z a-z 0-9 . _ : / - ไม่เกิน 64 ตัว / 1-64 characters of A-Z a-z 0-9 . _ : / -'),
  receivedAt: isoDateTime,
  unitCode: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
  reportFormat: z.enum(REPORT_FORMATS),
  reportRow: z.string().max(200),
  status: z.enum(['closed', 'open']),
  closedAt: isoDateTime.optional(),
  channel: z.string().max(60).optional(),
  subject: text(500).optional(),
  description: text(5000).optional(),
});

export class ImportLineError extends Error {
  override name = 'ImportLineError';
}

const FIELD_TH: Record<string, string> = {
  externalId: 'รหัสเรื่องเดิม', receivedAt: 'วันที่รับเรื่อง', unitCode: 'รหัสหน่วยงาน', reportFormat: 'แบบรายงาน',
  reportRow: 'ประเด็น', status: 'สถานะ', closedAt: 'วันที่ยุติเรื่อง', channel: 'ช่องทาง', subject: 'เรื่อง', description: 'รายละเอียด',
};

export interface UnitInfo { code: string; provinceCode?: string | null; level: string }

/** One record → the case document to insert, or an ImportLineError with a Thai/English reason. */
export function caseFromRecord(raw: unknown, ctx: { units: Map<string, UnitInfo>; mapping: RowMapping; now: Date; source: string }) {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ImportLineError('ไม่ใช่ออบเจกต์ JSON / not a JSON object');
  // CSV gives empty cells for absent optional fields.
  const cleaned = Object.fromEntries(Object.entries(raw as Record<string, unknown>).filter(([, v]) => v !== '' && v !== null && v !== undefined));
  const parsed = recordSchema.safeParse(cleaned);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const field = String(i.path[0] ?? '');
    if (i.code === 'unrecognized_keys') throw new ImportLineError(`มีช่องที่ไม่รู้จัก / unknown field: ${(i as { keys: string[] }).keys.join(', ').slice(0, 80)}`);
    const missing = i.code === 'invalid_type' && (cleaned as Record<string, unknown>)[field] === undefined;
    throw new ImportLineError(missing ? `ขาด ${FIELD_TH[field] ?? field} / missing ${field}` : `${FIELD_TH[field] ?? field} ไม่ถูกต้อง / bad ${field}: ${i.message}`);
  }
  const r = parsed.data;
  const unit = ctx.units.get(r.unitCode);
  if (!unit) throw new ImportLineError(`ไม่รู้จักหน่วยงานรหัส ${r.unitCode} / unknown unitCode ${r.unitCode}`);
  const row = rowOfLabel(r.reportFormat, r.reportRow);
  if (!row) throw new ImportLineError(`ไม่มีประเด็น "${r.reportRow.slice(0, 60)}" ในแบบรายงาน${r.reportFormat === 'province' ? 'ระดับจังหวัด' : 'ระดับอำเภอ'} / no row "${r.reportRow.slice(0, 60)}" in the ${r.reportFormat} format`);
  const receivedAt = new Date(r.receivedAt);
  if (receivedAt.getTime() > ctx.now.getTime() + 86_400_000) throw new ImportLineError('วันที่รับเรื่องอยู่ในอนาคต / receivedAt is in the future');
  if (receivedAt.getUTCFullYear() < 1990) throw new ImportLineError('วันที่รับเรื่องก่อนปี 1990 / receivedAt before 1990');
  let closedAt: Date | undefined;
  if (r.status === 'open' && r.closedAt) throw new ImportLineError('เรื่องที่ยังไม่ยุติต้องไม่มีวันที่ยุติเรื่อง / closedAt given but status is open');
  if (r.status === 'closed') {
    // Without a closing date it is taken as closed when received: the least it can be.
    closedAt = r.closedAt ? new Date(r.closedAt) : receivedAt;
    if (closedAt < receivedAt) throw new ImportLineError('วันที่ยุติเรื่องก่อนวันที่รับเรื่อง / closedAt is before receivedAt');
    if (closedAt.getTime() > ctx.now.getTime() + 86_400_000) throw new ImportLineError('วันที่ยุติเรื่องอยู่ในอนาคต / closedAt is in the future');
  }
  let channel: ChannelCode | undefined;
  if (r.channel) {
    channel = CHANNEL_BY_NAME.get(r.channel.trim()) ?? CHANNEL_BY_NAME.get(r.channel.trim().toLowerCase());
    if (!channel) throw new ImportLineError(`ไม่รู้จักช่องทาง "${r.channel.slice(0, 40)}" / unknown channel (one of ${CHANNEL_CODES.join(', ')})`);
  }
  const category = ROW_CATEGORY[r.reportFormat][row - 1]!;
  channel ??= (r.reportFormat === 'province' ? ROW_CHANNEL[row] : undefined) ?? DEFAULT_CHANNEL;
  const other: ReportFormat = r.reportFormat === 'province' ? 'district' : 'province';
  const rows = { [r.reportFormat]: row, [other]: ctx.mapping.rowFor(other, category, channel) } as Record<ReportFormat, number>;
  const status = r.status === 'closed' ? 'closed' : 'received';
  const report = { provinceRow: rows.province, districtRow: rows.district, month: monthOf(receivedAt), ...(closedAt ? { closedMonth: monthOf(closedAt) } : {}) };
  const provinceCode = unit.level === 'ministry' ? undefined : (unit.provinceCode ?? r.unitCode.slice(0, 2));
  const doc = {
    _id: new Types.ObjectId(),
    trackingNo: `IMP-${r.externalId}`,
    idempotencyKey: `import:${r.externalId}`,
    channel, category,
    description: r.description ?? r.subject ?? '(นำเข้าจากระบบเดิม ไม่มีรายละเอียด / imported without a description)',
    location: { ...(provinceCode ? { provinceCode } : {}), ...(unit.level === 'district' ? { districtCode: r.unitCode } : {}) },
    attachments: [],
    complainant: { anonymous: false, lang: 'th' },
    receivedAt,
    status,
    ...(closedAt ? { resolution: { kind: 'resolved', text: 'ยุติเรื่องในระบบเดิม / closed in the previous system', at: closedAt } } : {}),
    unitCode: r.unitCode,
    timeline: [{ at: ctx.now, by: { kind: 'system' }, action: 'imported', toStatus: status, unitCode: r.unitCode, note: ctx.source }],
    report,
    ...listFieldsFor(receivedAt),
    imported: { externalId: r.externalId, at: ctx.now, source: ctx.source, ...(r.subject ? { subject: r.subject } : {}) },
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  return doc;
}

export type ImportedCaseDoc = ReturnType<typeof caseFromRecord>;

export interface ImportStats {
  lines: number;
  imported: number;
  /** Already there from an earlier run (same externalId). */
  skipped: number;
  rejected: number;
  ms: number;
}

export interface ImportOptions {
  /** Shown on each case's timeline and in `imported.source`. */
  source: string;
  now?: Date;
  batchSize?: number;
  /**
   * Counters are written after this many imported records (and at the end). If the import dies in
   * between, the cases inserted since the last write are not counted: `report verify --fix` counts them.
   */
  counterEvery?: number;
  /** Called for each rejected line. */
  onReject?(line: number, reason: string, raw: string): void;
  /** Called after each batch with the lines read so far. */
  onProgress?(stats: ImportStats): void;
}

/** A source of records: each item is a line number and either the parsed object or a raw JSON line. */
export type RecordSource = AsyncIterable<{ line: number; raw: string; value?: unknown }>;

export async function loadUnits(models: Models): Promise<Map<string, UnitInfo>> {
  const units = await models.Unit.find({}, { level: 1, provinceCode: 1 }).lean<{ _id: string; level: string; provinceCode?: string }[]>();
  return new Map(units.map((u) => [u._id, { code: u._id, level: u.level, provinceCode: u.provinceCode }]));
}

/** Imports records from `source`: validate, insert in unordered batches, count. */
export async function importRecords(models: Models, source: RecordSource, opts: ImportOptions): Promise<ImportStats> {
  const t0 = performance.now();
  const now = opts.now ?? new Date();
  const batchSize = opts.batchSize ?? 10_000;
  const ctx = { units: await loadUnits(models), mapping: rowMapping(), now, source: opts.source };
  const stats: ImportStats = { lines: 0, imported: 0, skipped: 0, rejected: 0, ms: 0 };
  const seen = new Map<string, number>();
  const col = models.Case.collection;
  let batch: ImportedCaseDoc[] = [];
  let inFlight: Promise<void> | undefined;
  // Counters are written once per counterEvery records, not per batch: a batch touches thousands of
  // counter documents (every unit × fiscal year × scope), and each exact write costs a few round trips.
  const counterEvery = opts.counterEvery ?? 1_000_000;
  let delta: CounterDelta = new Map();
  const cal = slaContext().calendar;
  let uncounted = 0;

  const flush = async (docs: ImportedCaseDoc[]) => {
    if (!docs.length) return;
    const failed = new Set<number>();
    try {
      await col.insertMany(docs as never[], { ordered: false });
    } catch (err) {
      const e = err as { writeErrors?: { index: number; code: number }[] | { index: number; code: number }; code?: number };
      const writeErrors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
      if (!writeErrors.length || writeErrors.some((w) => w.code !== 11000)) throw err;
      for (const w of writeErrors) failed.add(w.index);
    }
    for (let i = 0; i < docs.length; i++) {
      if (failed.has(i)) continue;
      const d = docs[i]!;
      const closedMonth = d.report.closedMonth ?? null;
      // Imported closed cases have no deadline: counted as "no deadline" (out of SLA met %), and by working days to close.
      addFacts(delta, { unitCode: d.unitCode, provinceRow: d.report.provinceRow, districtRow: d.report.districtRow, month: d.report.month, closedMonth, ...overviewFactsOf(d as never, closedMonth, cal), missing: missingMask(d as never), list: { status: d.status, category: d.category } }, await ancestorsOf(models, d.unitCode), 1);
    }
    stats.imported += docs.length - failed.size;
    stats.skipped += failed.size;
    uncounted += docs.length - failed.size;
    if (uncounted >= counterEvery) await flushCounters();
  };
  const flushCounters = async () => {
    const d = delta;
    delta = new Map();
    uncounted = 0;
    await applyDelta(models, d);
  };

  for await (const item of source) {
    stats.lines++;
    let doc: ImportedCaseDoc;
    try {
      let value = item.value;
      if (value === undefined) {
        try {
          value = JSON.parse(item.raw);
        } catch {
          throw new ImportLineError('JSON ไม่ถูกต้อง / invalid JSON');
        }
      }
      doc = caseFromRecord(value, ctx);
      const first = seen.get(doc.imported.externalId);
      if (first !== undefined) throw new ImportLineError(`externalId ซ้ำกับบรรทัด ${first} / duplicate externalId, first on line ${first}`);
      seen.set(doc.imported.externalId, item.line);
    } catch (err) {
      if (!(err instanceof ImportLineError)) throw err;
      stats.rejected++;
      opts.onReject?.(item.line, err.message, item.raw);
      continue;
    }
    batch.push(doc);
    if (batch.length >= batchSize) {
      // One batch inserting while the next is parsed.
      const docs = batch;
      batch = [];
      await inFlight;
      inFlight = flush(docs);
      inFlight.then(() => opts.onProgress?.(stats), () => undefined);
    }
  }
  await inFlight;
  await flush(batch);
  await flushCounters();
  stats.ms = Math.round(performance.now() - t0);
  opts.onProgress?.(stats);
  return stats;
}

/** Lines of a JSONL file (blank lines skipped), with their numbers. */
export async function* jsonlSource(file: string, onBytes?: (n: number) => void): RecordSource {
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  if (onBytes) stream.on('data', (chunk) => onBytes(Buffer.byteLength(chunk as string)));
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  for await (const raw of rl) {
    line++;
    const text = line === 1 ? raw.replace(/^\ufeff/, '') : raw;
    if (!text.trim()) continue;
    yield { line, raw: text };
  }
}

/** Rows of a CSV file with a header row naming the fields; line numbers are those of the file. */
export async function* csvSource(file: string, onBytes?: (n: number) => void): RecordSource {
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  if (onBytes) stream.on('data', (chunk) => onBytes((chunk as Buffer).length));
  const parser = stream.pipe(parseCsv({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, info: true, raw: true, trim: true }));
  for await (const rec of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number }; raw: string }>) {
    yield { line: rec.info.lines, raw: rec.raw.trimEnd(), value: rec.record };
  }
}

export function fileSize(file: string): number {
  return statSync(file).size;
}
