import { z } from 'zod';
import { CASE_STATUSES, CHANNEL_CODES, SUBJECT_CATEGORY_CODES } from '../shared/categories.ts';
import { normaliseThaiPhone } from '../shared/phone.ts';
import { buddhistYear } from '../shared/thaiDate.ts';

/** No C0 control characters but tab/newline/CR, no DEL (FerretDB refuses NUL), well-formed UTF-16. */
const NO_CONTROL = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;

export function text(min: number, max: number) {
  return z.string().trim().min(min).max(max)
    .regex(NO_CONTROL, 'control characters are not allowed (มีอักขระควบคุม)')
    .refine((s) => s.isWellFormed(), 'malformed text (ข้อความไม่ถูกต้อง)');
}

/** A number, also as the string a form post carries ("18.79"); nothing else is coerced. */
function formNumber(min: number, max: number) {
  return z.preprocess((v) => (typeof v === 'string' && /^-?\d{1,3}(\.\d{1,12})?$/.test(v.trim()) ? Number(v) : v), z.number().min(min).max(max));
}

/** A positive integer from a query string. */
function queryInt(min: number, max: number, def: number) {
  return z.preprocess((v) => (typeof v === 'string' && /^\d{1,6}$/.test(v) ? Number(v) : v), z.number().int().min(min).max(max)).default(def);
}

export const TRACKING_NO = /^\d{4}-\d{6,8}$/;
/** This Buddhist-era year's first tracking number: the document's example (a fresh deployment's first case). */
const EXAMPLE_TRACKING_NO = `${buddhistYear(new Date())}-000001`;
export const TrackingNo = z.string().regex(TRACKING_NO, 'not a tracking number, e.g. 2569-000042 (เลขรับเรื่องไม่ถูกต้อง)').meta({ examples: [EXAMPLE_TRACKING_NO] });

const ApiKeyField = z.string().max(200).optional().describe('API key (GeoReport v2 style); a header key wins');
const Jurisdiction = z.string().max(100).regex(/^[A-Za-z0-9._-]*$/).optional().describe('Ignored: one jurisdiction per deployment');
const IsoDate = z.iso.datetime({ offset: true });

/** Comma-separated list of values from a fixed set (GeoReport v2 lets service_code repeat this way). */
function commaList<T extends string>(values: readonly [T, ...T[]], max: number) {
  const one = `(${values.join('|')})`;
  return z.string().max(1000).regex(new RegExp(`^${one}(,${one}){0,${max - 1}}$`), `comma-separated, each one of: ${values.join(', ')}`).transform((s, ctx) => {
    const items = s.split(',').map((x) => x.trim()).filter(Boolean);
    const bad = items.filter((x) => !(values as readonly string[]).includes(x));
    if (bad.length || !items.length || items.length > max) {
      ctx.addIssue({ code: 'custom', message: `each must be one of: ${values.join(', ')}` });
      return z.NEVER;
    }
    return items as T[];
  });
}

const trackingList = z.string().max(1000).regex(/^\d{4}-\d{6,8}(,\d{4}-\d{6,8}){0,49}$/, 'comma-separated tracking numbers (at most 50), e.g. 2569-000042,2569-000043').transform((s, ctx) => {
  const items = s.split(',').map((x) => x.trim()).filter(Boolean);
  if (!items.length || items.length > 50 || items.some((x) => !TRACKING_NO.test(x))) {
    ctx.addIssue({ code: 'custom', message: 'comma-separated tracking numbers (at most 50), e.g. 2569-000042,2569-000043' });
    return z.NEVER;
  }
  return items;
});

export const Open311ListQuery = z.object({
  api_key: ApiKeyField,
  jurisdiction_id: Jurisdiction,
  service_request_id: trackingList.optional().describe('Comma-separated tracking numbers; other filters are then ignored'),
  service_code: commaList(SUBJECT_CATEGORY_CODES, 20).optional().describe('Comma-separated service codes'),
  status: commaList(['open', 'closed'] as const, 2).optional().describe('open, closed or open,closed'),
  start_date: IsoDate.optional().describe('Requested at or after (ISO 8601 with offset); default: 90 days before end_date'),
  end_date: IsoDate.optional().describe('Requested before (ISO 8601 with offset); default: now'),
  page: queryInt(1, 100_000, 1).describe('Page number, from 1 (extension)'),
  page_size: queryInt(1, 200, 50).describe('Requests per page, at most 200 (extension)'),
}).strict();

export const Open311GetQuery = z.object({ api_key: ApiKeyField, jurisdiction_id: Jurisdiction }).strict();
export const PublicQuery = z.object({ jurisdiction_id: Jurisdiction, api_key: ApiKeyField }).strict();

export const IdParams = z.object({ id: TrackingNo });
export const TrackingNoParams = z.object({ trackingNo: TrackingNo });

export const PARTNER_CHANNELS = CHANNEL_CODES.filter((c) => c !== 'line') as [Exclude<(typeof CHANNEL_CODES)[number], 'line'>, ...Exclude<(typeof CHANNEL_CODES)[number], 'line'>[]];

const Phone = z.string().trim().max(20)
  .regex(/^[0-9+ -]*$/, 'not a Thai phone number, e.g. 0812345678 (เบอร์โทรไม่ถูกต้อง)')
  .refine((v) => v === '' || normaliseThaiPhone(v) !== undefined, 'not a Thai phone number, e.g. 0812345678 (เบอร์โทรไม่ถูกต้อง)');

export const PARTNER_REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export const Open311CreateBody = z.object({
  api_key: ApiKeyField,
  jurisdiction_id: Jurisdiction,
  service_code: z.enum(SUBJECT_CATEGORY_CODES).describe('From services.json'),
  description: text(3, 5000).describe('What happened (up to 5,000 characters)'),
  lat: formNumber(-90, 90).optional().describe('WGS84 latitude; with long'),
  long: formNumber(-180, 180).optional().describe('WGS84 longitude; with lat'),
  address_string: text(1, 300).optional().describe('Address as written; the province/district is read from it (Thai or English)'),
  first_name: text(0, 100).optional(),
  last_name: text(0, 100).optional(),
  phone: Phone.optional(),
  email: z.email().max(200).optional().describe('Accepted for compatibility and not stored (least data, PDPA)'),
  device_id: z.string().max(100).regex(/^[A-Za-z0-9._:-]*$/).optional().describe('Ignored'),
  account_id: z.string().max(100).regex(/^[A-Za-z0-9._:-]*$/).optional().describe('Ignored'),
  partner_request_id: z.string().regex(PARTNER_REQUEST_ID).optional().describe('Your id for this request (extension): a retry with the same id returns the same case. Or send an Idempotency-Key header'),
  channel: z.enum(PARTNER_CHANNELS).optional().describe('Where the complaint reached you (extension); default website'),
}).strict().meta({
  // The same rules as the check below, for the document: a location is lat+long or an address.
  dependentRequired: { lat: ['long'], long: ['lat'] },
  anyOf: [{ required: ['lat', 'long'] }, { required: ['address_string'] }],
}).superRefine((b, ctx) => {
  if ((b.lat === undefined) !== (b.long === undefined)) ctx.addIssue({ code: 'custom', path: [b.lat === undefined ? 'lat' : 'long'], message: 'lat and long go together (ต้องระบุคู่กัน)' });
  if (b.lat === undefined && !b.address_string) ctx.addIssue({ code: 'custom', path: ['address_string'], message: 'a location is required: lat+long or address_string (ต้องระบุตำแหน่ง)' });
});

export const Open311Created = z.array(z.object({
  service_request_id: z.string(),
  service_notice: z.string(),
  account_id: z.string().optional(),
}));

export const Service = z.object({
  service_code: z.string(),
  service_name: z.string(),
  service_name_en: z.string(),
  description: z.string(),
  metadata: z.boolean(),
  type: z.literal('realtime'),
  keywords: z.string(),
  group: z.string(),
});

export const Discovery = z.object({
  changeset: z.string(),
  contact: z.string(),
  key_service: z.string(),
  endpoints: z.array(z.object({ specification: z.string(), url: z.string(), changeset: z.string(), type: z.string(), formats: z.array(z.string()) })),
});

export const CaseListQuery = z.object({
  api_key: ApiKeyField,
  status: z.enum(CASE_STATUSES).optional(),
  open: z.enum(['true', 'false']).optional().describe('Only open (true) or only closed/rejected (false) cases'),
  category: z.enum(SUBJECT_CATEGORY_CODES).optional(),
  unitCode: z.string().max(40).regex(/^[A-Za-z0-9_-]+$/).optional().describe('One unit within the key\'s scope'),
  from: IsoDate.optional().describe('Received at or after'),
  to: IsoDate.optional().describe('Received before'),
  page: queryInt(1, 100_000, 1),
  pageSize: queryInt(1, 200, 50),
}).strict();

export const ApiKeyOnlyQuery = z.object({ api_key: ApiKeyField }).strict();

/** An agency reporting back on a case it holds: progress, or the result that closes it. */
export const PartnerUpdateBody = z.object({
  api_key: ApiKeyField,
  kind: z.enum(['progress', 'result']).describe('progress: what is being done (the case stays open); result: what was done (the case is closed, ยุติเรื่อง)'),
  text: text(3, 2000).describe('Told to the complainant as written, in Thai (up to 2,000 characters); no personal data of others'),
  update_id: z.string().regex(PARTNER_REQUEST_ID).optional().describe('Your id for this update: a retry with the same id writes nothing twice'),
}).strict();
