/**
 * Every body, parameter and answer of the LIFF API as zod schemas: the router validates with them
 * and the OpenAPI document (`GET /liff/api/openapi.json`) is generated from them, so the two cannot
 * drift. Bodies are `.strict()`: unknown keys (`__proto__`, `$gt`, a spoofed `userId`…) are refused.
 */
import { z } from 'zod';
import { CASE_STATUSES, CHANNEL_CODES, SUBJECT_CATEGORY_CODES } from '../../shared/categories.ts';
import { provinces } from '../../shared/geo/index.ts';
import { normaliseThaiPhone } from '../../shared/phone.ts';
import { PDPA_NOTICE_VERSION } from '../../shared/pdpa.ts';
import { RESOLUTION_KINDS } from '../../shared/models/index.ts';
import { PROBLEM_TYPE_CODES } from '../../shared/problems/types.ts';

export const LIMITS = { descriptionMin: 20, descriptionMax: 5000, photosMax: 5, photoBytesMax: 10 * 1024 * 1024 } as const;

/** No C0 control characters but tab/newline/CR, no DEL: NUL in particular is refused by FerretDB. */
const NO_CONTROL = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;
const OBJECT_ID = /^[0-9a-f]{24}$/;
const PROVINCE_CODES = provinces().map((p) => p.code).sort() as [string, ...string[]];

/** Free text as typed: trimmed, length-checked, no control characters or broken UTF-16. Stored as text, never interpreted. */
export function text(min: number, max: number) {
  return z.string()
    .trim()
    .min(min)
    .max(max)
    .regex(NO_CONTROL, { error: 'k:control_chars' })
    .refine((s) => s.isWellFormed(), { error: 'k:control_chars' });
}

const isoDate = z.iso.datetime({ offset: true });

export const CategoryCode = z.enum(SUBJECT_CATEGORY_CODES);
export const ChannelCode = z.enum(CHANNEL_CODES);
/** A problem type (config/problem-types.json); the case records the type's category, whatever else is sent. */
export const ProblemTypeCode = z.enum(PROBLEM_TYPE_CODES as [string, ...string[]], { error: 'k:unknown_problem_type' });
/** A citizen names the problem type; a category alone is still taken (a form opened before types existed). */
const typeOrCategory = { error: 'k:type_required', path: ['problemType'], when: () => true };
const hasTypeOrCategory = (b: { problemType?: unknown; category?: unknown }) => Boolean(b?.problemType || b?.category);
export const OfficerChannelCode = z.enum(CHANNEL_CODES.filter((c) => c !== 'line') as [string, ...string[]], { error: 'k:channel_line' });
export const Status = z.enum(CASE_STATUSES);

export const LocationIn = z.object({
  provinceCode: z.enum(PROVINCE_CODES, { error: 'k:unknown_province' }).describe('2-digit DOPA province code'),
  districtCode: z.string().regex(/^\d{4}$/, { error: 'k:unknown_district' }).optional().describe('4-digit DOPA district code'),
  subdistrictCode: z.string().regex(/^\d{6}$/, { error: 'k:unknown_subdistrict' }).optional().describe('6-digit DOPA subdistrict code'),
  lat: z.number().min(-90).max(90).optional(),
  lng: z.number().min(-180).max(180).optional(),
  address: text(0, 300).optional().describe('Landmark or address as typed'),
}).strict();

const PhotoIds = z.array(z.string().regex(OBJECT_ID, { error: 'k:unknown_photo' }))
  .max(LIMITS.photosMax)
  .refine((ids) => new Set(ids).size === ids.length, { error: 'k:duplicate_photos' })
  .describe('Ids from POST /liff/api/uploads, by the same user');

const Phone = z.string().trim().max(20)
  .regex(/^[0-9+ -]*$/, { error: 'k:thai_phone' })
  .refine((v) => v === '' || normaliseThaiPhone(v) !== undefined, { error: 'k:thai_phone' })
  .describe('Thai phone: 0 + 8–9 digits or +66 form; spaces and dashes allowed');

export const Contact = z.object({
  name: text(0, 100).optional(),
  phone: Phone.optional(),
}).strict();

export const Consent = z.object({
  version: z.literal(PDPA_NOTICE_VERSION, { error: 'k:consent_version' }).describe('pdpa.version from GET /liff/api/meta'),
  accepted: z.literal(true, { error: 'k:consent_required' }),
}).strict();

export const CreateCaseBody = z.object({
  problemType: ProblemTypeCode.optional(),
  category: CategoryCode.optional().describe('Ignored when problemType is given (the type fixes the category)'),
  description: text(LIMITS.descriptionMin, LIMITS.descriptionMax),
  location: LocationIn,
  photoIds: PhotoIds.optional(),
  contact: Contact.optional(),
  anonymous: z.boolean(),
  consent: Consent,
  clientRequestId: z.uuid().describe('Generated once per form submission: a retry with the same id returns the same case'),
}).strict().refine(hasTypeOrCategory, typeOrCategory);

export const OfficerCreateCaseBody = z.object({
  channel: OfficerChannelCode,
  problemType: ProblemTypeCode.optional(),
  category: CategoryCode.optional().describe('Ignored when problemType is given (the type fixes the category)'),
  description: text(LIMITS.descriptionMin, LIMITS.descriptionMax),
  location: LocationIn,
  contact: Contact.optional(),
  anonymous: z.boolean(),
  consent: Consent.optional(),
  receivedAt: isoDate.optional().describe('When the complaint came in (not in the future); default now'),
  clientRequestId: z.uuid(),
}).strict().refine(hasTypeOrCategory, typeOrCategory);

export const InfoBody = z.object({ text: text(1, 2000), photoIds: PhotoIds.optional() }).strict();
export const WithdrawBody = z.object({ reason: text(5, 500) }).strict();
export const SurveyBody = z.object({
  score: z.number().int().min(1).max(5), comment: text(0, 1000).optional(),
  fixed: z.boolean().optional().describe('ปัญหาได้รับการแก้ไขแล้วหรือยัง: true = fixed, false = not yet'),
}).strict();
export const EmptyBody = z.object({}).strict();
export const NoteBody = z.object({ text: text(1, 2000) }).strict();
export const AskBody = z.object({ question: text(5, 1000) }).strict();
export const ForwardBody = z.object({
  unitCode: z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9_-]+$/, { error: 'k:unknown_unit' }).describe('Unit (centre or partner agency) code'),
  reason: text(5, 1000),
}).strict();
export const CloseBody = z.object({
  summary: text(5, 2000),
  photoIds: PhotoIds.optional().describe('"After" photos of the result, from POST /liff/api/officer/cases/{id}/uploads by the same officer for this case'),
  publish: z.boolean().optional().describe('เผยแพร่ผลการแก้ไขต่อสาธารณะ: approve the result and the first JPEG/PNG after photo for the public figures page (place-bound, non-sensitive cases only)'),
  publicSummary: text(5, 2000).optional().describe('The text published (default: summary); ID numbers, phones, e-mails, LINE ids and bank accounts are replaced by markers'),
}).strict();
export const PublishResultBody = z.object({ summary: text(5, 2000).describe('The public result text; personal data is replaced by markers') }).strict();
export const ReopenBody = z.object({ reason: text(5, 1000).describe('Why the problem is not fixed, in the complainant\'s words') }).strict();
export const RejectBody = z.object({ reason: text(5, 1000) }).strict();

export const IdParams = z.object({ id: z.string().regex(OBJECT_ID).describe('Case or file id (24 hex)') });
export const ProvinceParams = z.object({ code: z.string().regex(/^\d{2}$/).describe('Province code') });
export const DistrictParams = z.object({ code: z.string().regex(/^\d{4}$/).describe('District code') });
export const OfficerListQuery = z.object({ status: z.enum(['open', 'closed', 'all']).optional() });

// ------------------------------------------------------------------------------------- answers

export const Lang = z.enum(['th', 'en']);
export const Me = z.object({
  displayName: z.string(),
  lang: Lang,
  role: z.enum(['citizen', 'officer', 'head', 'executive', 'admin']),
  unit: z.object({ code: z.string(), nameTh: z.string(), nameEn: z.string() }).optional(),
});
export const Meta = z.object({
  categories: z.array(z.object({ code: CategoryCode, th: z.string(), en: z.string(), hintTh: z.string(), hintEn: z.string() })),
  /** Most common first; keywords feed the suggestion the form makes as the citizen types (shared/problems/match.ts). */
  problemTypes: z.array(z.object({
    code: z.string(), th: z.string(), en: z.string(), icon: z.string(), hintTh: z.string(), hintEn: z.string(),
    category: CategoryCode, keywords: z.array(z.string()),
  })),
  channels: z.array(z.object({ code: ChannelCode, th: z.string(), en: z.string() })),
  pdpa: z.object({ version: z.string(), textTh: z.string(), textEn: z.string() }),
  limits: z.object({ descriptionMin: z.number(), descriptionMax: z.number(), photosMax: z.number(), photoBytesMax: z.number() }),
});
export const AreaList = z.array(z.object({ code: z.string(), nameTh: z.string(), nameEn: z.string(), postalCode: z.string().optional() }));
export const Upload = z.object({ id: z.string(), contentType: z.string(), size: z.number().int() });
export const Created = z.object({
  id: z.string(), trackingNo: z.string(),
  /** Recorded by an officer: the one-time code the complainant links the case to LINE with, shown once. */
  claimCode: z.string().optional(), claimCodeExpiresAt: isoDate.optional(),
});
export const ClaimCodeIssued = z.object({ claimCode: z.string(), claimCodeExpiresAt: isoDate });

export const TimelineItem = z.object({
  at: isoDate,
  action: z.string(),
  actor: z.enum(['citizen', 'officer', 'system']),
  actorName: z.string().optional(),
  textTh: z.string(),
  textEn: z.string(),
  note: z.string().optional(),
});
export const CaseSummary = z.object({
  id: z.string(),
  trackingNo: z.string(),
  category: CategoryCode,
  /** Absent on cases filed before problem types: they show their category. */
  problemType: z.string().optional(),
  status: Status,
  statusTh: z.string(),
  statusEn: z.string(),
  createdAt: isoDate,
  updatedAt: isoDate,
  unitNameTh: z.string(),
  areaTh: z.string(),
  canAddInfo: z.boolean(),
  canWithdraw: z.boolean(),
  surveyDue: z.boolean(),
  following: z.boolean().optional().describe('A case this person joined ("แจ้งด้วย"), not their own: its public part only'),
  supporterCount: z.number().int().optional().describe('How many people reported this problem (the complainant and everyone who joined)'),
});
export const CaseDetail = CaseSummary.extend({
  description: z.string(),
  channel: ChannelCode,
  location: z.object({
    provinceCode: z.string(), provinceNameTh: z.string(),
    districtCode: z.string().optional(), districtNameTh: z.string().optional(),
    subdistrictCode: z.string().optional(), subdistrictNameTh: z.string().optional(),
    lat: z.number().optional(), lng: z.number().optional(), address: z.string().optional(),
  }),
  attachments: z.array(z.object({ id: z.string(), contentType: z.string(), size: z.number(), url: z.string(), kind: z.enum(['after']).optional().describe('after: a photo of the result, taken by the officer who closed the case') })),
  timeline: z.array(TimelineItem),
  resolution: z.object({ kind: z.enum(RESOLUTION_KINDS), text: z.string(), at: isoDate }).optional(),
  survey: z.object({ score: z.number().int(), comment: z.string().optional(), at: isoDate, fixed: z.boolean().optional() }).optional(),
  /** Whether the complainant may say "not fixed" now (closed as resolved, not yet reopened from this closure, not rated as fixed). */
  canReopen: z.boolean().optional(),
  reopens: z.array(z.object({ at: isoDate, reason: z.string(), toParent: z.boolean() })).optional(),
});
export const OfficerCaseDetail = CaseDetail.extend({
  complainant: z.object({ name: z.string().optional(), phone: z.string().optional(), anonymous: z.boolean(), hasLine: z.boolean() }),
  assignee: z.object({ name: z.string() }).optional(),
  /** For a supervisor: what they may do beyond an officer's actions (a case of a unit below: take over; any case in scope: assign). */
  supervisor: z.object({ canTakeOver: z.boolean(), canAssign: z.boolean() }).optional(),
  /** A partner agency that fixes this type of problem at this place (routing `suggest`): forwarded to in one tap. */
  suggestedAgency: z.object({ code: z.string(), nameTh: z.string(), nameEn: z.string() }).optional(),
  /** Whether the result may go on the public figures page (a place-bound problem, not anonymous, not about officials, not merged). */
  publishable: z.boolean().optional(),
  /** The result as published on the public figures page, while it is. */
  publicResult: z.object({ summary: z.string(), approvedAt: isoDate, by: z.string(), photoUrl: z.string().optional(), pageUrl: z.string() }).optional(),
});
export const ErrorBody = z.object({
  error: z.object({
    code: z.enum(['validation_failed', 'unauthorized', 'not_found', 'rate_limited', 'payload_too_large', 'unsupported_media_type', 'conflict', 'internal']),
    message: z.object({ th: z.string(), en: z.string() }),
    fields: z.array(z.object({ path: z.string(), th: z.string(), en: z.string() })).optional(),
  }),
});

// ------------------------------------------------------------------ officer actions: notes, previews, templates, forward picker

export const CitizenMessageKind = z.enum(['update', 'ask', 'close', 'reject']).describe('update = progress to the citizen, ask = question, close = result, reject = reason');
export const PreviewBody = z.object({ kind: CitizenMessageKind, text: text(1, 2000) }).strict();
export const MessagePreview = z.object({
  kind: CitizenMessageKind,
  /** The complainant's language: the message is in it. */
  lang: Lang,
  text: z.string().describe('Exactly the LINE text the complainant would receive'),
  toLine: z.boolean().describe('false: the complainant is not on LINE and only sees it on their case page'),
});
export const TemplateQuery = z.object({ action: CitizenMessageKind.optional(), category: CategoryCode.optional() });
export const CaseTemplateQuery = z.object({ action: CitizenMessageKind });
export const TemplateItem = z.object({
  id: z.string(), action: CitizenMessageKind, categories: z.array(CategoryCode),
  titleTh: z.string(), titleEn: z.string(), th: z.string(), en: z.string(),
});
export const CaseTemplates = z.object({
  lang: Lang.describe('The complainant\'s language: fill the box with this one'),
  templates: z.array(TemplateItem.describe('Placeholders filled for this case')),
});
export const ForwardTargetsQuery = z.object({ q: z.string().trim().max(60).regex(NO_CONTROL, { error: 'k:control_chars' }).optional() });
export const ForwardTarget = z.object({
  code: z.string(), nameTh: z.string(), nameEn: z.string(), level: z.enum(['ministry', 'province', 'district', 'partner']),
  areaTh: z.string().optional(), areaEn: z.string().optional(),
  suggested: z.boolean().describe('The case\'s district or province centre, or a partner agency'),
});
export const ForwardTargets = z.array(ForwardTarget);

// Supervisors: the units below theirs (หน่วยงานในสังกัด), taking over and assigning their cases
export const BelowCasesQuery = z.object({
  filter: z.enum(['all', 'late', 'unowned']).optional().describe('late: past a deadline; unowned: held by a unit with no registered officer'),
  unit: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, { error: 'k:unknown_unit' }).optional().describe('Only this unit below'),
}).strict();
export const BelowUnit = z.object({ code: z.string(), nameTh: z.string(), nameEn: z.string(), staffed: z.boolean() });
export const BelowCaseSummary = CaseSummary.extend({
  unitCode: z.string(),
  late: z.boolean(),
  unowned: z.boolean(),
  assigneeName: z.string().optional(),
});
export const OfficerChoice = z.object({ id: z.string(), name: z.string(), unitCode: z.string(), unitNameTh: z.string(), role: z.string() });
export const TakeOverBody = z.object({ reason: text(5, 1000) }).strict();
export const AssignBody = z.object({ officerId: z.string().regex(OBJECT_ID, { error: 'k:unknown_officer' }).describe('An officer of the case\'s unit or of yours') }).strict();

export type CaseDetailOut = z.infer<typeof CaseDetail>;
export type CaseSummaryOut = z.infer<typeof CaseSummary>;
export type OfficerCaseDetailOut = z.infer<typeof OfficerCaseDetail>;

// "แจ้งด้วย": the open cases a report may be the same problem as, and joining one (docs/joining.md)
export const RelatedBody = z.object({
  category: CategoryCode.optional(),
  problemType: ProblemTypeCode.optional(),
  description: text(1, LIMITS.descriptionMax),
  location: LocationIn,
}).strict().refine(hasTypeOrCategory, typeOrCategory);
/** The public part of a related case: no description, name, phone, pin or photo. */
export const RelatedOfferOut = z.object({
  id: z.string(),
  trackingNo: z.string(),
  typeTh: z.string(), typeEn: z.string(),
  areaTh: z.string(), areaEn: z.string(),
  receivedAt: isoDate,
  status: Status, statusTh: z.string(), statusEn: z.string(),
  supporterCount: z.number().int(),
});
export const JoinedOut = z.object({
  id: z.string(),
  trackingNo: z.string(),
  status: Status, statusTh: z.string(), statusEn: z.string(),
  supporterCount: z.number().int(),
  already: z.boolean().describe('They already followed it: nothing changed'),
});
