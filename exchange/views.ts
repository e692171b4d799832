/**
 * Cases as partners see them: what was reported, where (the area, not the typed address), its
 * status and history. Never the complainant: no name, phone, LINE id, consent, survey comment,
 * officer names or free-text notes (an officer's note may quote the person); the description is
 * given with its personal data (ID, phone, e-mail, LINE id, bank account) replaced by markers, and
 * with the pin, only where exchange/minimise.ts allows it for the reader.
 */
import { z } from 'zod';
import { INTERNAL_NOTE_ACTION } from '../shared/cases/commands/addInternalNote.ts';
import { CASE_STATUSES, CHANNEL_CODES, isOpenStatus, STATUS_LABELS, SUBJECT_CATEGORY_CODES, subjectCategory, type CaseStatus } from '../shared/categories.ts';
import { formatArea } from '../shared/cases/area.ts';
import type { CaseDoc } from '../shared/models/index.ts';
import type { UnitNames } from '../shared/units/names.ts';
import { redactText } from '../shared/privacy/redact.ts';
import { areaFor, disclosureFor } from './minimise.ts';

/** Who reads: a partner key, or null for a keyless GeoReport reader (the public view). */
export type Reader = { apiKeyId: string; unitCode: string } | null;

const iso = (d: unknown): string => (d instanceof Date ? d : new Date(String(d ?? 0))).toISOString();

/** GeoReport v2: open or closed, plus why. Rejected (ไม่รับเรื่อง) is closed too; the notes tell which. */
export function open311Status(c: Pick<CaseDoc, 'status' | 'resolution'>): { status: 'open' | 'closed'; status_notes: string } {
  const s = c.status as CaseStatus;
  const label = STATUS_LABELS[s] ?? { th: s, en: s };
  const kind = c.resolution?.kind;
  const why = kind === 'withdrawn' ? ' (ผู้ร้องถอนเรื่อง / withdrawn by the complainant)' : '';
  return { status: isOpenStatus(s) ? 'open' : 'closed', status_notes: `${label.th} / ${label.en}${why}` };
}

export const Open311Request = z.object({
  service_request_id: z.string().describe('Our tracking number (เลขรับเรื่อง), e.g. 2569-000042'),
  status: z.enum(['open', 'closed']),
  status_notes: z.string(),
  service_name: z.string(),
  service_code: z.enum(SUBJECT_CATEGORY_CODES),
  description: z.string().optional().describe('The complaint in its own words, personal data replaced by markers. Only for a place-bound problem (config/partner-disclosure.json), only to the key of the unit holding the case or the key that filed it, never for anonymous complaints, complaints about officials, disputes or debts, never without a key.'),
  agency_responsible: z.string(),
  service_notice: z.string().optional(),
  requested_datetime: z.string(),
  updated_datetime: z.string(),
  expected_datetime: z.string().optional(),
  address: z.string().describe('The area, not the typed address: down to the district (อำเภอ/เขต) without a key and for sensitive cases, down to the subdistrict (ตำบล/แขวง) otherwise.'),
  lat: z.number().optional().describe('The pin: same rule as description.'),
  long: z.number().optional().describe('The pin: same rule as description.'),
});

export function toOpen311(c: CaseDoc, units: UnitNames, reader: Reader): z.output<typeof Open311Request> {
  const cat = subjectCategory(c.category);
  const { status, status_notes } = open311Status(c);
  const d = disclosureFor(c, reader);
  const loc = areaFor(c.location, d);
  return {
    service_request_id: c.trackingNo,
    status,
    status_notes,
    service_name: cat ? `${cat.th} (${cat.en})` : c.category,
    service_code: c.category as z.output<typeof Open311Request>['service_code'],
    ...(d === 'detail' ? { description: redactText(c.description) } : {}),
    agency_responsible: units.get(c.unitCode)?.nameTh ?? c.unitCode,
    requested_datetime: iso(c.receivedAt ?? c.createdAt),
    updated_datetime: iso(c.updatedAt),
    ...(reader && c.resolveDueAt && status === 'open' ? { expected_datetime: iso(c.resolveDueAt) } : {}),
    address: formatArea(loc, 'th'),
    ...(loc.lat !== undefined && loc.lng !== undefined ? { lat: loc.lat, long: loc.lng } : {}),
  };
}

export const TimelineItem = z.object({
  at: z.string(),
  action: z.string().describe('opened, assigned, note, asked, forwarded, closed, rejected, withdrawn, info_added, survey, …'),
  by: z.enum(['citizen', 'officer', 'system']),
  fromStatus: z.enum(CASE_STATUSES).optional(),
  toStatus: z.enum(CASE_STATUSES).optional(),
  unitCode: z.string().optional(),
  fromUnitCode: z.string().optional(),
});

export const PartnerCase = z.object({
  trackingNo: z.string(),
  category: z.enum(SUBJECT_CATEGORY_CODES),
  categoryTh: z.string(),
  categoryEn: z.string(),
  channel: z.enum(CHANNEL_CODES),
  status: z.enum(CASE_STATUSES),
  statusTh: z.string(),
  statusEn: z.string(),
  open: z.boolean(),
  description: z.string().optional().describe('Personal data replaced by markers. Only for a place-bound problem (config/partner-disclosure.json), only to the key of the unit holding the case (or the unit it was forwarded to) or the key that filed it; never for anonymous complaints, complaints about officials, disputes or debts.'),
  unitCode: z.string(),
  unitNameTh: z.string(),
  area: z.object({
    provinceCode: z.string().optional(), districtCode: z.string().optional(), subdistrictCode: z.string().optional(),
    th: z.string(), en: z.string(),
    lat: z.number().optional().describe('The pin: same rule as description.'), lng: z.number().optional().describe('The pin: same rule as description.'),
  }).describe('Down to the subdistrict; down to the district only (no subdistrictCode) for anonymous complaints, complaints about officials, disputes and debts.'),
  receivedAt: z.string(),
  updatedAt: z.string(),
  ackDueAt: z.string().optional(),
  answerDueAt: z.string().optional(),
  resolveDueAt: z.string().optional(),
  escalationLevel: z.number().int(),
  resolution: z.object({ kind: z.enum(['resolved', 'withdrawn', 'rejected']), at: z.string().optional() }).optional(),
});

export const PartnerCaseDetail = PartnerCase.extend({ timeline: z.array(TimelineItem) });

export function toPartnerCase(c: CaseDoc, units: UnitNames, reader: NonNullable<Reader>): z.output<typeof PartnerCase> {
  const s = c.status as CaseStatus;
  const cat = subjectCategory(c.category);
  const d = disclosureFor(c, reader);
  const loc = areaFor(c.location, d);
  const opt = (d: unknown) => (d ? iso(d) : undefined);
  return {
    trackingNo: c.trackingNo,
    category: c.category as z.output<typeof PartnerCase>['category'],
    categoryTh: cat?.th ?? c.category,
    categoryEn: cat?.en ?? c.category,
    channel: c.channel as z.output<typeof PartnerCase>['channel'],
    status: s,
    statusTh: STATUS_LABELS[s].th,
    statusEn: STATUS_LABELS[s].en,
    open: isOpenStatus(s),
    ...(d === 'detail' ? { description: redactText(c.description) } : {}),
    unitCode: c.unitCode,
    unitNameTh: units.get(c.unitCode)?.nameTh ?? c.unitCode,
    area: {
      ...(loc.provinceCode ? { provinceCode: loc.provinceCode } : {}),
      ...(loc.districtCode ? { districtCode: loc.districtCode } : {}),
      ...(loc.subdistrictCode ? { subdistrictCode: loc.subdistrictCode } : {}),
      th: formatArea(loc, 'th'), en: formatArea(loc, 'en'),
      ...(loc.lat !== undefined && loc.lng !== undefined ? { lat: loc.lat, lng: loc.lng } : {}),
    },
    receivedAt: iso(c.receivedAt ?? c.createdAt),
    updatedAt: iso(c.updatedAt),
    ...(opt(c.ackDueAt) ? { ackDueAt: opt(c.ackDueAt) } : {}),
    ...(opt(c.answerDueAt) ? { answerDueAt: opt(c.answerDueAt) } : {}),
    ...(opt(c.resolveDueAt) ? { resolveDueAt: opt(c.resolveDueAt) } : {}),
    escalationLevel: c.escalationLevel ?? 0,
    ...(c.resolution?.kind ? { resolution: { kind: c.resolution.kind, ...(c.resolution.at ? { at: iso(c.resolution.at) } : {}) } } : {}),
  };
}

const statusOrUndefined = (s: unknown) => ((CASE_STATUSES as readonly unknown[]).includes(s) ? (s as CaseStatus) : undefined);

export function toPartnerCaseDetail(c: CaseDoc, units: UnitNames, reader: NonNullable<Reader>): z.output<typeof PartnerCaseDetail> {
  return {
    ...toPartnerCase(c, units, reader),
    // Partners get what their task needs: the unit's internal notes are not part of it.
    timeline: (c.timeline ?? []).filter((e) => e.action !== INTERNAL_NOTE_ACTION).map((e) => {
      const from = statusOrUndefined(e.fromStatus);
      const to = statusOrUndefined(e.toStatus);
      return {
        at: iso(e.at), action: e.action, by: e.by?.kind ?? 'system',
        ...(from ? { fromStatus: from } : {}), ...(to ? { toStatus: to } : {}),
        ...(e.unitCode ? { unitCode: e.unitCode } : {}), ...(e.fromUnitCode ? { fromUnitCode: e.fromUnitCode } : {}),
      };
    }),
  };
}
