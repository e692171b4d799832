/**
 * What a citizen about to file is shown of the open cases that look like the same problem
 * ("มีผู้แจ้งปัญหาคล้ายกันใกล้คุณ"): the public part only — type, area down to the subdistrict, date
 * received, status and how many people reported it. Never the description, a name, a phone, the pin
 * or a photo: those are the first complainant's. One shape for the chat (bot/conversation/
 * offeringRelated.ts) and the LIFF form (liff/api/routes/citizen.ts). See docs/joining.md.
 */
import { STATUS_LABELS, type CaseStatus } from '../categories.ts';
import { district, province, subdistrict } from '../geo/index.ts';
import type { Models } from '../models/index.ts';
import { caseKindLabel } from '../problems/display.ts';
import { findRelated, type RelatedProbe } from '../related/search.ts';
import { formatDate, type Lang } from '../thaiDate.ts';
import { formatArea } from './area.ts';

/** At most this many are offered: one message, three buttons, a choice people can make. */
export const MAX_OFFERS = 3;

export interface RelatedOffer {
  id: string;
  trackingNo: string;
  problemType?: string;
  category: string;
  status: CaseStatus;
  /** ISO time it was received. */
  receivedAt: string;
  provinceCode?: string;
  districtCode?: string;
  subdistrictCode?: string;
  supporters: number;
}

/** The open cases a report like `probe` may be the same problem as, best first, public part only. */
export async function relatedOffers(models: Pick<Models, 'conn' | 'Case'>, probe: RelatedProbe): Promise<RelatedOffer[]> {
  const found = await findRelated(models, probe, { limit: MAX_OFFERS });
  return found.map((r) => ({
    id: r.caseId,
    trackingNo: r.trackingNo,
    ...(r.problemType ? { problemType: r.problemType } : {}),
    category: r.category,
    status: r.status as CaseStatus,
    receivedAt: new Date(r.receivedAt).toISOString(),
    ...(probe.location.provinceCode ? { provinceCode: probe.location.provinceCode } : {}),
    ...(probe.location.districtCode ? { districtCode: probe.location.districtCode } : {}),
    ...(r.subdistrictCode ? { subdistrictCode: r.subdistrictCode } : {}),
    supporters: r.supporterCount,
  }));
}

/** The problem type's name (the category's for cases filed before types existed). */
export function offerType(o: Pick<RelatedOffer, 'problemType' | 'category'>, lang: Lang): string {
  return caseKindLabel(o.problemType, o.category, lang) ?? '-';
}

/** Subdistrict, district, province, named in the reader's language. */
export function offerArea(o: Pick<RelatedOffer, 'provinceCode' | 'districtCode' | 'subdistrictCode'>, lang: Lang): string {
  const en = lang === 'en';
  const p = o.provinceCode ? province(o.provinceCode) : undefined;
  const d = o.districtCode ? district(o.districtCode) : undefined;
  const s = o.subdistrictCode ? subdistrict(o.subdistrictCode) : undefined;
  return formatArea({
    provinceCode: o.provinceCode, provinceName: p && (en ? p.nameEn : p.nameTh),
    districtName: d && (en ? d.nameEn : d.nameTh), subdistrictName: s && (en ? s.nameEn : s.nameTh),
  }, lang);
}

export function offerStatus(o: Pick<RelatedOffer, 'status'>, lang: Lang): string {
  return STATUS_LABELS[o.status]?.[lang] ?? o.status;
}

export function offerDate(o: Pick<RelatedOffer, 'receivedAt'>, lang: Lang): string {
  return formatDate(new Date(o.receivedAt), lang);
}
