/**
 * The LIFF API's failures: the shared HTTP error (shared/http/errors.ts) with per-field messages in
 * Thai and English, worded for the person filling the form, and its body as liff/API.md defines it.
 */
import type { ErrorRequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { Logger } from '../../shared/logger.ts';
import { sendJson } from '../../shared/http/json.ts';
import { conflict, errorBody, errorHeaders, HttpError, httpErrorHandler } from '../../shared/http/errors.ts';

export interface FieldError { path: string; th: string; en: string }

/** A failure of the LIFF API: fields carry both languages. */
export type ApiError = HttpError<FieldError>;

export const unauthorized = () => new HttpError(401, 'การยืนยันตัวตนไม่ถูกต้องหรือหมดอายุ กรุณาเปิดหน้านี้ใหม่จาก LINE', 'Missing, invalid or expired LINE ID token. Please reopen this page from LINE.');
export const tooLarge = (th = 'ไฟล์หรือข้อมูลใหญ่เกินกำหนด', en = 'The upload or body is too large.') => new HttpError(413, th, en);
export const unsupportedMedia = () => new HttpError(415,
  'รองรับเฉพาะรูปภาพ JPEG, PNG, WebP หรือ HEIC (ตรวจจากเนื้อไฟล์)', 'Only JPEG, PNG, WebP or HEIC images are accepted (checked by content).');
export const NOT_OPEN = ['เรื่องนี้ปิดแล้ว หรือไม่อยู่ในสถานะที่ทำรายการนี้ได้', 'This case is closed or not in a state that allows this.'] as const;
/** The command refused because of the case's state (closed, or not in a state for this action). */
export const notOpen = () => conflict(...NOT_OPEN);

const VALIDATION_TH = 'ข้อมูลไม่ถูกต้อง กรุณาตรวจสอบช่องที่แจ้ง';
const VALIDATION_EN = 'Some fields are not valid; please check them.';

export function validationError(fields: FieldError[]): ApiError {
  return new HttpError(400, VALIDATION_TH, VALIDATION_EN, { fields });
}

/** A field error in both languages, for checks made after the schema (a district not in the province…). */
export function fieldError(path: string, key: MessageKey): FieldError {
  const [th, en] = MESSAGES[key];
  return { path, th, en };
}

// ------------------------------------------------------------------------------------- messages

const LABELS: Record<string, [string, string]> = {
  category: ['ประเภทเรื่อง', 'Category'],
  problemType: ['ประเภทปัญหา', 'Problem type'],
  description: ['รายละเอียดเหตุการณ์', 'Description'],
  location: ['พื้นที่เกิดเหตุ', 'Location'],
  provinceCode: ['จังหวัด', 'Province'],
  districtCode: ['อำเภอ/เขต', 'District'],
  subdistrictCode: ['ตำบล/แขวง', 'Subdistrict'],
  lat: ['ละติจูด', 'Latitude'],
  lng: ['ลองจิจูด', 'Longitude'],
  address: ['ที่อยู่/จุดสังเกต', 'Address'],
  photoIds: ['รูปภาพ', 'Photos'],
  contact: ['ข้อมูลติดต่อ', 'Contact'],
  name: ['ชื่อ', 'Name'],
  phone: ['เบอร์โทรศัพท์', 'Phone'],
  anonymous: ['ตัวเลือกไม่ประสงค์ออกนาม', 'Anonymous'],
  consent: ['ความยินยอม (PDPA)', 'Consent (PDPA)'],
  version: ['ฉบับของประกาศ', 'Notice version'],
  accepted: ['การยินยอม', 'Consent'],
  clientRequestId: ['รหัสคำขอ', 'Request id'],
  text: ['ข้อความ', 'Text'],
  reason: ['เหตุผล', 'Reason'],
  score: ['คะแนนความพึงพอใจ', 'Score'],
  comment: ['ความคิดเห็น', 'Comment'],
  channel: ['ช่องทางที่รับเรื่อง', 'Channel'],
  receivedAt: ['วันเวลาที่รับเรื่อง', 'Received at'],
  question: ['คำถาม', 'Question'],
  summary: ['ผลการดำเนินการ', 'Result summary'],
  fixed: ['ปัญหาได้รับการแก้ไขแล้วหรือยัง', 'Whether the problem is fixed'],
  unitCode: ['หน่วยงานปลายทาง', 'Unit'],
  officerId: ['เจ้าหน้าที่', 'Officer'],
  status: ['สถานะ', 'Status'],
  kind: ['ประเภทข้อความ', 'Message kind'],
  action: ['การดำเนินการ', 'Action'],
  q: ['คำค้นหา', 'Search'],
};

/** Messages for checks the generic ones cannot word well; schemas refer to them as `k:<key>`. */
const MESSAGES = {
  thai_phone: ['เบอร์โทรศัพท์ไม่ถูกต้อง ใช้เบอร์ไทย เช่น 0812345678 หรือ 021234567', 'Not a Thai phone number; use e.g. 0812345678 or 021234567.'],
  control_chars: ['มีอักขระพิเศษที่ใช้ไม่ได้ (อักขระควบคุม)', 'Contains characters that are not allowed (control characters).'],
  consent_required: ['กรุณาอ่านประกาศคุ้มครองข้อมูลส่วนบุคคล และกดยินยอมก่อนส่งเรื่อง', 'Please read the personal data notice and give your consent before sending.'],
  consent_version: ['ประกาศคุ้มครองข้อมูลส่วนบุคคลมีการปรับปรุง กรุณาอ่านฉบับล่าสุดแล้วยินยอมอีกครั้ง', 'The personal data notice has changed; please read the current one and consent again.'],
  unknown_province: ['ไม่พบจังหวัดนี้', 'Unknown province.'],
  unknown_district: ['ไม่พบอำเภอ/เขตนี้ในจังหวัดที่เลือก', 'This district is not in the chosen province.'],
  unknown_subdistrict: ['ไม่พบตำบล/แขวงนี้ในอำเภอที่เลือก', 'This subdistrict is not in the chosen district.'],
  subdistrict_needs_district: ['กรุณาเลือกอำเภอ/เขตก่อนเลือกตำบล/แขวง', 'Choose the district before the subdistrict.'],
  lat_lng_pair: ['ต้องระบุละติจูดและลองจิจูดคู่กัน', 'Latitude and longitude go together.'],
  unknown_photo: ['ไม่พบรูปนี้ในรูปที่ท่านอัปโหลด กรุณาอัปโหลดใหม่', 'This photo is not one you uploaded; please upload it again.'],
  duplicate_photos: ['มีรูปซ้ำกัน', 'The same photo is listed twice.'],
  channel_line: ['เรื่องทาง LINE ผู้ร้องแจ้งเอง เลือกช่องทางอื่น เช่น สายด่วน 1567 หรือหนังสือ', 'LINE cases are filed by the citizen; choose another channel, e.g. hotline or letter.'],
  received_future: ['วันเวลาที่รับเรื่องต้องไม่เกินเวลาปัจจุบัน', 'The time received cannot be in the future.'],
  received_too_old: ['วันเวลาที่รับเรื่องเก่าเกินไป', 'The time received is too far in the past.'],
  unknown_unit: ['ไม่พบหน่วยงานนี้', 'Unknown unit.'],
  concerned_unit: ['ส่งต่อไปยังหน่วยงานที่ถูกร้องเรียนไม่ได้', 'A case cannot go to the unit it complains about.'],
  same_unit: ['เรื่องนี้อยู่ที่หน่วยงานนี้อยู่แล้ว', 'The case is already with this unit.'],
  body_object: ['ต้องส่งข้อมูลเป็น JSON object', 'The body must be a JSON object.'],
  unknown_officer: ['ไม่พบเจ้าหน้าที่นี้ในหน่วยงานของเรื่องหรือหน่วยงานของท่าน', 'No such officer in the case\'s unit or yours.'],
  supervisors_only: ['ทำรายการนี้ได้เฉพาะหัวหน้าหน่วยงานและผู้บริหาร', 'Only heads and executives can do this.'],
  type_required: ['กรุณาเลือกประเภทปัญหา', 'Choose the kind of problem.'],
  unknown_problem_type: ['ไม่รู้จักประเภทปัญหานี้ กรุณาเลือกจากรายการ', 'Unknown problem type; choose one from the list.'],
  already_yours: ['เรื่องนี้อยู่ที่หน่วยงานของท่านแล้ว ใช้ "รับเรื่อง" หรือ "มอบหมาย" แทน', 'The case is already with your unit; accept or assign it instead.'],
} as const satisfies Record<string, readonly [string, string]>;
export type MessageKey = keyof typeof MESSAGES;

const TYPE_NAMES: Record<string, [string, string]> = {
  string: ['ข้อความ', 'a string'],
  number: ['ตัวเลข', 'a number'],
  int: ['จำนวนเต็ม', 'an integer'],
  boolean: ['true หรือ false', 'true or false'],
  object: ['ชุดข้อมูล (object)', 'an object'],
  array: ['รายการ (array)', 'an array'],
};

function label(path: PropertyKey[]): [string, string] {
  for (let i = path.length - 1; i >= 0; i--) {
    const key = path[i];
    if (typeof key === 'string' && LABELS[key]) return LABELS[key];
  }
  return ['ข้อมูลนี้', 'This field'];
}

function pathText(path: PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}

/** One zod issue in Thai and English, worded for the person filling the form. */
function describe(issue: z.core.$ZodIssue): [string, string] {
  const [lt, le] = label(issue.path);
  const msg = issue.message;
  if (msg.startsWith('k:') && msg.slice(2) in MESSAGES) return [...MESSAGES[msg.slice(2) as MessageKey]];
  switch (issue.code) {
    case 'invalid_type': {
      if ((issue as { input?: unknown }).input === undefined) return [`กรุณากรอก${lt}`, `${le} is required.`];
      const [tt, te] = TYPE_NAMES[issue.expected] ?? [issue.expected, issue.expected];
      return [`${lt}ต้องเป็น${tt}`, `${le} must be ${te}.`];
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? [`กรุณากรอก${lt}`, `${le} is required.`] : [`${lt}ต้องมีอย่างน้อย ${min} ตัวอักษร`, `${le} must be at least ${min} characters.`];
      if (issue.origin === 'array') return [`${lt}ต้องมีอย่างน้อย ${min} รายการ`, `${le} needs at least ${min} item(s).`];
      return [`${lt}ต้องไม่น้อยกว่า ${min}`, `${le} must be at least ${min}.`];
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return [`${lt}ยาวเกิน ${max.toLocaleString('en-US')} ตัวอักษร`, `${le} must be at most ${max.toLocaleString('en-US')} characters.`];
      if (issue.origin === 'array') return [`${lt}ได้ไม่เกิน ${max} รายการ`, `${le} allows at most ${max} item(s).`];
      return [`${lt}ต้องไม่เกิน ${max}`, `${le} must be at most ${max}.`];
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => String(v)).join(', ');
      return [`${lt}ไม่ถูกต้อง เลือกได้จาก: ${values}`, `${le} must be one of: ${values}.`];
    }
    case 'invalid_format':
      return [`${lt}มีรูปแบบไม่ถูกต้อง`, `${le} has the wrong format.`];
    default:
      return [`${lt}ไม่ถูกต้อง`, `${le} is not valid.`];
  }
}

/** zod issues → the contract's per-field messages (unknown keys each get their own entry). */
export function zodFields(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const shown = key.length > 60 ? `${key.slice(0, 60)}…` : key;
        out.push({ path: pathText([...issue.path, key]), th: `ไม่รู้จักช่อง "${shown}" (ส่งเฉพาะช่องที่กำหนด)`, en: `Unknown field "${shown}".` });
      }
      continue;
    }
    if (issue.path.length === 0 && issue.code === 'invalid_type') {
      out.push(fieldError('', 'body_object'));
      continue;
    }
    const [th, en] = describe(issue);
    out.push({ path: pathText(issue.path), th, en });
  }
  return out.slice(0, 50);
}

// ------------------------------------------------------------------------------------- output

export function sendError(res: Response, err: HttpError): void {
  errorHeaders(res, err, 'Bearer realm="liff", error="invalid_token"');
  sendJson(res, err.status, errorBody(err));
}

/** Every failure of the LIFF API as liff/API.md words it (shared/http/errors.ts decides the status). */
export function apiErrorHandler(log: Logger): ErrorRequestHandler {
  return httpErrorHandler(log, 'liff api', {
    tooLarge: () => tooLarge(),
    unsupportedMedia: () => new HttpError(415, 'ชนิดข้อมูลไม่รองรับ', 'Unsupported content encoding or type.'),
    badJson: () => new HttpError(400, 'ข้อมูลที่ส่งมาไม่ใช่ JSON ที่ถูกต้อง', 'The body is not valid JSON.', { fields: [fieldError('', 'body_object')] }),
    badRequest: () => new HttpError(400, 'คำขอไม่ถูกต้อง', 'Bad request.'),
    internal: () => new HttpError(500, 'ระบบขัดข้อง กรุณาลองใหม่อีกครั้ง', 'Something went wrong on our side. Please try again.'),
  }, (_req, res, err) => sendError(res, err));
}
