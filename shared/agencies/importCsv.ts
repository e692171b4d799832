/**
 * Partner agencies from a CSV file (`npm run cli -- agencies import FILE [--dry-run]`). Every line is
 * checked before anything is written: one bad line rejects the file, with each bad line's number and
 * reason in Thai and English, so a half-loaded list never routes cases. Re-importing the same file
 * changes nothing; a changed line updates that agency. Agencies missing from the file are left as
 * they are (cases may still be at them).
 */
import { district, province, subdistrict } from '../geo/index.ts';
import type { Models } from '../models/index.ts';
import { PROBLEM_TYPE_CODES, problemType } from '../problems/types.ts';
import { subjectCategory } from '../categories.ts';
import { buildUnitCatalog } from '../units/catalog.ts';
import { AGENCY_RECEIVES, AGENCY_TYPES, agencyOf, forgetAgencies, type Agency, type AgencyReceives, type AgencyType } from './directory.ts';

export const AGENCY_COLUMNS = ['code', 'nameTh', 'nameEn', 'type', 'supervisorCode', 'provinceCodes', 'districtCodes', 'subdistrictCodes', 'problemTypes', 'receives'] as const;

/** `AG-` then capitals, digits and dashes: never an area code (digits) nor the ministry's `MOI`. */
export const AGENCY_CODE = /^AG-[A-Z0-9][A-Z0-9-]{1,28}$/;

export interface LineError { line: number; th: string; en: string }

export interface ImportResult {
  agencies: Agency[];
  errors: LineError[];
  created: string[];
  updated: string[];
  unchanged: string[];
  dryRun: boolean;
}

/** RFC 4180 fields: commas and quotes inside double quotes; blank lines skipped (their numbers still count). */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  const src = text.replace(/^\uFEFF/, '');
  let line = 1;
  let startLine = 1;
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  const endRow = () => {
    cells.push(cell);
    if (cells.some((c) => c.trim() !== '')) rows.push({ line: startLine, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false;
      else { if (ch === '\n') line++; cell += ch; }
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { cells.push(cell); cell = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      endRow();
      line++;
      startLine = line;
    } else cell += ch;
  }
  if (cell !== '' || cells.length) endRow();
  return rows;
}

const list = (s: string | undefined) => (s ?? '').split(';').map((x) => x.trim()).filter(Boolean);

/** Checks every line; the agencies are returned only when there is no error at all. */
export function validateAgencies(text: string): { agencies: Agency[]; errors: LineError[] } {
  const rows = parseCsv(text);
  const errors: LineError[] = [];
  if (!rows.length) return { agencies: [], errors: [{ line: 1, th: 'ไฟล์ว่าง ไม่มีแถวหัวตาราง', en: 'empty file: no header row' }] };
  const header = rows[0]!.cells.map((c) => c.trim());
  const missing = AGENCY_COLUMNS.filter((c) => !header.includes(c));
  const extra = header.filter((c) => !(AGENCY_COLUMNS as readonly string[]).includes(c));
  if (missing.length || extra.length) {
    return { agencies: [], errors: [{
      line: rows[0]!.line,
      th: `หัวตารางไม่ถูกต้อง${missing.length ? ` ขาดคอลัมน์ ${missing.join(', ')}` : ''}${extra.length ? ` มีคอลัมน์ที่ไม่รู้จัก ${extra.join(', ')}` : ''}`,
      en: `bad header${missing.length ? `: missing ${missing.join(', ')}` : ''}${extra.length ? `; unknown column ${extra.join(', ')}` : ''} (expected ${AGENCY_COLUMNS.join(',')})`,
    }] };
  }
  const centres = new Map(buildUnitCatalog().map((u) => [u.code, u]));
  const seen = new Map<string, number>();
  const agencies: Agency[] = [];
  for (const { line, cells } of rows.slice(1)) {
    const bad = (th: string, en: string) => errors.push({ line, th, en });
    if (cells.length !== header.length) { bad(`มี ${cells.length} ช่อง ต้องมี ${header.length} ช่อง`, `${cells.length} fields, expected ${header.length}`); continue; }
    const v = Object.fromEntries(header.map((h, i) => [h, cells[i]!.trim()])) as Record<typeof AGENCY_COLUMNS[number], string>;
    const before = errors.length;
    if (!AGENCY_CODE.test(v.code)) bad(`รหัส "${v.code}" ต้องขึ้นต้นด้วย AG- ตามด้วยตัวพิมพ์ใหญ่ ตัวเลข หรือ -`, `code "${v.code}" must be AG- followed by capitals, digits or dashes`);
    else if (seen.has(v.code)) bad(`รหัส ${v.code} ซ้ำกับบรรทัด ${seen.get(v.code)}`, `code ${v.code} repeats line ${seen.get(v.code)}`);
    else seen.set(v.code, line);
    if (!v.nameTh || v.nameTh.length > 120) bad('ต้องมีชื่อภาษาไทย (ไม่เกิน 120 ตัวอักษร)', 'nameTh is required (at most 120 characters)');
    if (!v.nameEn || v.nameEn.length > 120) bad('ต้องมีชื่อภาษาอังกฤษ (ไม่เกิน 120 ตัวอักษร)', 'nameEn is required (at most 120 characters)');
    if (!(AGENCY_TYPES as readonly string[]).includes(v.type)) bad(`ประเภท "${v.type}" ไม่ถูกต้อง (${AGENCY_TYPES.join(', ')})`, `type "${v.type}" must be one of ${AGENCY_TYPES.join(', ')}`);
    if (!(AGENCY_RECEIVES as readonly string[]).includes(v.receives)) bad(`ช่องทางรับเรื่อง "${v.receives}" ต้องเป็น line หรือ api`, `receives "${v.receives}" must be line or api`);
    const supervisor = centres.get(v.supervisorCode);
    if (!supervisor) bad(`หน่วยกำกับ "${v.supervisorCode}" ไม่ใช่ศูนย์ดำรงธรรมในบัญชีหน่วยงาน`, `supervisorCode "${v.supervisorCode}" is not a Damrongdhama centre in the unit catalog`);
    const provinces = list(v.provinceCodes);
    const districts = list(v.districtCodes);
    const subdistricts = list(v.subdistrictCodes);
    if (!provinces.length) bad('ต้องระบุจังหวัดที่ให้บริการอย่างน้อยหนึ่งจังหวัด', 'provinceCodes: at least one province is required');
    for (const p of provinces) if (!province(p)) bad(`ไม่รู้จักรหัสจังหวัด ${p}`, `unknown province code ${p}`);
    for (const d of districts) {
      const dd = district(d);
      if (!dd) bad(`ไม่รู้จักรหัสอำเภอ ${d}`, `unknown district code ${d}`);
      else if (!provinces.includes(dd.provinceCode)) bad(`อำเภอ ${d} ไม่อยู่ในจังหวัดที่ระบุ`, `district ${d} is not in the listed provinces`);
    }
    if (subdistricts.length && !districts.length) bad('ระบุตำบลแล้วต้องระบุอำเภอของตำบลนั้นด้วย', 'subdistrictCodes need their districts in districtCodes');
    for (const s of subdistricts) {
      const ss = subdistrict(s);
      if (!ss) bad(`ไม่รู้จักรหัสตำบล ${s}`, `unknown subdistrict code ${s}`);
      else if (districts.length && !districts.includes(ss.districtCode)) bad(`ตำบล ${s} ไม่อยู่ในอำเภอที่ระบุ`, `subdistrict ${s} is not in the listed districts`);
    }
    // The supervising centre must be over the whole area: a district centre supervises only its district.
    if (supervisor?.level === 'district' && (districts.some((d) => d !== supervisor.code) || !districts.length)) bad(`ศูนย์ดำรงธรรม ${supervisor.code} กำกับได้เฉพาะอำเภอของตน`, `centre ${supervisor.code} supervises its own district only: list that district alone`);
    if (supervisor?.level === 'province' && provinces.some((p) => p !== supervisor.code)) bad(`ศูนย์ดำรงธรรม ${supervisor.code} กำกับได้เฉพาะจังหวัดของตน`, `centre ${supervisor.code} supervises its own province only`);
    const types = list(v.problemTypes);
    if (!types.length) bad('ต้องระบุประเภทปัญหาที่รับผิดชอบอย่างน้อยหนึ่งประเภท', 'problemTypes: at least one problem type is required');
    for (const t of types) {
      const pt = problemType(t);
      if (!pt) bad(`ไม่รู้จักประเภทปัญหา ${t}`, `unknown problem type ${t} (known: ${PROBLEM_TYPE_CODES.join(', ')})`);
      // Nobody investigates a complaint about officials but the centres.
      else if (subjectCategory(pt.category)?.againstOfficials) bad(`ประเภท ${t} เป็นเรื่องร้องเรียนเจ้าหน้าที่ ส่งให้หน่วยงานภายนอกไม่ได้`, `problem type ${t} is a complaint about officials: only the centres handle it`);
    }
    if (errors.length !== before) continue;
    agencies.push({
      code: v.code, nameTh: v.nameTh, nameEn: v.nameEn, agencyType: v.type as AgencyType, supervisorCode: v.supervisorCode,
      provinceCodes: provinces, districtCodes: districts, subdistrictCodes: subdistricts, problemTypes: types, receives: v.receives as AgencyReceives,
    });
  }
  if (rows.length === 1) errors.push({ line: 2, th: 'ไม่มีข้อมูลหน่วยงาน', en: 'no agency lines' });
  return errors.length ? { agencies: [], errors } : { agencies, errors };
}

const same = (a: Agency, b: Agency) => JSON.stringify(a) === JSON.stringify(b);

/** Validates the whole file, then creates or updates its agencies (nothing at all on any error, or with dryRun). */
export async function importAgencies(models: Pick<Models, 'Unit'>, text: string, opts: { dryRun?: boolean } = {}): Promise<ImportResult> {
  const { agencies, errors } = validateAgencies(text);
  const result: ImportResult = { agencies, errors, created: [], updated: [], unchanged: [], dryRun: !!opts.dryRun };
  if (errors.length) return result;
  const existing = new Map((await models.Unit.find({ _id: { $in: agencies.map((a) => a.code) } }).lean()).map((u) => [String(u._id), u]));
  for (const a of agencies) {
    const cur = existing.get(a.code);
    if (cur && cur.level !== 'partner') {
      result.errors.push({ line: 0, th: `รหัส ${a.code} เป็นหน่วยงานที่ไม่ใช่หน่วยงานภายนอก`, en: `code ${a.code} belongs to a unit that is not a partner agency` });
      continue;
    }
    (cur ? (same(agencyOf(cur as Parameters<typeof agencyOf>[0]), a) ? result.unchanged : result.updated) : result.created).push(a.code);
  }
  if (result.errors.length || opts.dryRun) return result;
  for (const a of agencies) {
    if (result.unchanged.includes(a.code)) continue;
    // Units are a small catalogue, not cases: a plain upsert is the whole write.
    await models.Unit.updateOne({ _id: a.code }, { $set: {
      nameTh: a.nameTh, nameEn: a.nameEn, level: 'partner', parentCode: a.supervisorCode, provinceCode: a.provinceCodes[0],
      agencyType: a.agencyType, receives: a.receives, problemTypes: a.problemTypes,
      serviceArea: { provinceCodes: a.provinceCodes, districtCodes: a.districtCodes, subdistrictCodes: a.subdistrictCodes },
    } }, { upsert: true });
  }
  forgetAgencies(models);
  return result;
}
