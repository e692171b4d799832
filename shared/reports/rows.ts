/**
 * The rows of the ministry's two official tables (labels exactly as the ministry writes them, PRODUCT.md)
 * and the configurable mapping from (subject category, channel) to a row (config/report-rows.json).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CASE_STATUSES, CHANNEL_CODES, SUBJECT_CATEGORY_CODES, type ChannelCode, type SubjectCategoryCode } from '../categories.ts';
import { ConfigError } from '../config.ts';

export const REPORT_FORMATS = ['province', 'district'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** แบบรายงานระดับจังหวัด: 13 rows; 8–12 are channels, not subjects. */
export const PROVINCE_ROWS = [
  'ขอความช่วยเหลือ',
  'แจ้งเบาะแสกระทำความผิด',
  'ขอร้องเรียน/ข้อพิพาทระหว่างบุคคล',
  'ร้องเรียนเจ้าหน้าที่รัฐ',
  'ร้องเรียนโครงการของรัฐ',
  'หนี้นอกระบบ',
  'เรื่องทูลเกล้าถวายฎีกา',
  'ร้องเรียนผ่านโทรศัพท์',
  'ร้องเรียนผ่านหนังสือพิมพ์',
  'ร้องเรียนผ่านเว็บไซต์',
  'ร้องเรียนผ่านโซเชียล',
  'ร้องเรียนผ่านวิทยุ',
  'ร้องเรียนเจ้าหน้าที่ของรัฐทุจริตและประพฤติมิชอบ',
] as const;

/** แบบรายงานระดับอำเภอ: 5 rows. */
export const DISTRICT_ROWS = [
  'กรณีขัดแย้งทางสังคม',
  'ไม่ได้รับความเป็นธรรม',
  'แจ้งเบาะแส',
  'ช่วยเหลือประชาชนผู้ได้รับความเดือดร้อน',
  'ไกล่เกลี่ยข้อพิพาททางแพ่ง/อาญา',
] as const;

export const ROWS: Record<ReportFormat, readonly string[]> = { province: PROVINCE_ROWS, district: DISTRICT_ROWS };

/** 1-based row number of a Thai label in a format, or undefined. Surrounding spaces are ignored; nothing else is. */
export function rowOfLabel(format: ReportFormat, label: string): number | undefined {
  const i = ROWS[format].indexOf(label.trim());
  return i < 0 ? undefined : i + 1;
}

export const DEFAULT_REPORT_ROWS_FILE = fileURLToPath(new URL('../../config/report-rows.json', import.meta.url));

const rule = (max: number) => z.strictObject({
  category: z.enum(SUBJECT_CATEGORY_CODES).optional(),
  channel: z.enum(CHANNEL_CODES).optional(),
  row: z.number().int().min(1).max(max),
});

const fileSchema = z.strictObject({
  $comment: z.union([z.string(), z.array(z.string())]).optional(),
  province: z.array(rule(PROVINCE_ROWS.length)),
  district: z.array(rule(DISTRICT_ROWS.length)),
  closedStatuses: z.array(z.enum(CASE_STATUSES)).min(1).default(['closed']),
});

export type ReportRowsConfig = z.infer<typeof fileSchema>;

export interface RowMapping {
  config: ReportRowsConfig;
  /** The row (1-based) a case with this category and channel counts under in `format`. */
  rowFor(format: ReportFormat, category: SubjectCategoryCode, channel: ChannelCode): number;
  /** Is a case with this status counted as ยุติเรื่อง? */
  isClosedStatus(status: string): boolean;
}

export function mappingFrom(config: ReportRowsConfig, source = 'report-rows.json'): RowMapping {
  const table = new Map<string, number>();
  for (const format of REPORT_FORMATS) {
    for (const category of SUBJECT_CATEGORY_CODES) {
      for (const channel of CHANNEL_CODES) {
        const hit = config[format].find((r) => (!r.category || r.category === category) && (!r.channel || r.channel === channel));
        if (!hit) throw new ConfigError(`${source}: ${format}: no rule gives a row for category ${category} via channel ${channel}`);
        table.set(`${format}|${category}|${channel}`, hit.row);
      }
    }
  }
  const closed = new Set<string>(config.closedStatuses);
  return {
    config,
    rowFor: (format, category, channel) => table.get(`${format}|${category}|${channel}`) ?? 1,
    isClosedStatus: (status) => closed.has(status),
  };
}

export function loadRowMapping(file = process.env.REPORT_ROWS_FILE || DEFAULT_REPORT_ROWS_FILE): RowMapping {
  if (!existsSync(file)) throw new ConfigError(`report rows file not found: ${file}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new ConfigError(`report-rows.json: ${i.path.join('.')}: ${i.message}`);
  }
  return mappingFrom(parsed.data, file);
}

let cached: RowMapping | undefined;
/** The process's mapping, read once. */
export function rowMapping(): RowMapping {
  return (cached ??= loadRowMapping());
}
