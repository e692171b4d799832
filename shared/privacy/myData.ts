/**
 * "ข้อมูลของฉัน / My data": everything held about one LINE user, for them to see and download
 * (LIFF #/me/data, liff/api/routes/myData.ts). Only what identifies or concerns them: their cases
 * as they hold their data, the chat's record of them, the draft in progress, link attempts.
 */
import { STATUS_LABELS, type CaseStatus } from '../categories.ts';
import { citizenCases, followedCases } from '../cases/citizenCases.ts';
import type { CaseDoc, Models } from '../models/index.ts';
import { formatDateTime, type Lang } from '../thaiDate.ts';
import { caseKindLabel } from '../problems/display.ts';
import { draftPhotoIds } from './anonymise.ts';

export interface MyData {
  generatedAt: string;
  lineUserId: string;
  profile: { displayName: string | null; language: string | null } | null;
  draft: { state: string; category: string | null; problemType: string | null; description: string | null; address: string | null; photos: number; lastActivity: string | null } | null;
  linkAttempts: { failures: number; since: string | null } | null;
  cases: {
    trackingNo: string; category: string; problemType: string | null; status: string; filedAt: string | null;
    name: string | null; phone: string | null; anonymous: boolean; language: string | null;
    description: string;
    area: { province: string | null; district: string | null; subdistrict: string | null };
    address: string | null; lat: number | null; lng: number | null;
    photos: number;
    consent: { version: string | null; at: string | null };
    surveyComment: string | null;
  }[];
  /** Cases they joined ("แจ้งด้วย"): only their LINE id, language and when are kept on them. */
  following: { trackingNo: string; status: string; since: string | null; via: string | null; language: string | null }[];
}

const iso = (d: unknown) => (d ? new Date(d as Date).toISOString() : null);

export async function collectMyData(models: Models, lineUserId: string, now: Date): Promise<MyData> {
  const conv = await models.Conversation.findById(lineUserId, { draft: 1, state: 1, lang: 1, displayName: 1, linkFailures: 1, updatedAt: 1 }).lean();
  const cases = await citizenCases<CaseDoc & { createdAt?: Date }>(models, lineUserId, { timeline: 0, pendingEvents: 0, slaSent: 0 }, 10_000);
  const draft = (conv?.draft ?? {}) as { category?: string; problemType?: string; description?: string; location?: { address?: string } };
  const lf = conv?.linkFailures as { count?: number; since?: Date } | null | undefined;
  return {
    generatedAt: now.toISOString(),
    lineUserId,
    profile: conv ? { displayName: conv.displayName ?? null, language: conv.lang ?? null } : null,
    draft: conv && conv.state !== 'idle' ? {
      state: conv.state, category: draft.category ?? null, problemType: draft.problemType ?? null, description: draft.description ?? null,
      address: draft.location?.address ?? null, photos: draftPhotoIds(conv.draft).length, lastActivity: iso((conv as { updatedAt?: Date }).updatedAt),
    } : null,
    linkAttempts: lf?.count ? { failures: lf.count, since: iso(lf.since) } : null,
    cases: cases.map((c) => ({
      trackingNo: c.trackingNo, category: c.category, problemType: c.problemType ?? null, status: c.status, filedAt: iso(c.receivedAt ?? c.createdAt),
      name: c.complainant?.name ?? null, phone: c.complainant?.phone ?? null, anonymous: !!c.complainant?.anonymous, language: c.complainant?.lang ?? null,
      description: c.description,
      area: { province: c.location?.provinceName ?? null, district: c.location?.districtName ?? null, subdistrict: c.location?.subdistrictName ?? null },
      address: c.location?.address ?? null, lat: c.location?.lat ?? null, lng: c.location?.lng ?? null,
      photos: (c.attachments ?? []).filter((a) => a.kind !== 'after').length,
      consent: { version: c.consent?.version ?? null, at: iso(c.consent?.at) },
      surveyComment: c.survey?.comment ?? null,
    })),
    following: (await followedCases<CaseDoc>(models, lineUserId, { trackingNo: 1, status: 1, followers: 1 }, 10_000)).map((c) => {
      const f = (c.followers ?? []).find((x) => x.lineUserId === lineUserId);
      return { trackingNo: c.trackingNo, status: c.status, since: iso(f?.at), via: f?.via ?? null, language: f?.lang ?? null };
    }),
  };
}

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const L = {
  th: {
    title: 'ข้อมูลของฉัน', intro: 'ข้อมูลทั้งหมดที่ระบบรับเรื่องร้องเรียนเก็บเกี่ยวกับคุณ ณ', profile: 'ข้อมูลจาก LINE', displayName: 'ชื่อที่แสดง', language: 'ภาษา',
    draft: 'ร่างเรื่องที่ยังไม่ได้ส่ง', noDraft: 'ไม่มี', cases: 'เรื่องร้องเรียนของฉัน', noCases: 'ยังไม่มีเรื่อง', category: 'ประเภท',
    status: 'สถานะ', filedAt: 'วันที่แจ้ง', name: 'ชื่อ', phone: 'เบอร์โทร', address: 'ที่อยู่', area: 'พื้นที่', coords: 'พิกัด', photos: 'รูปภาพ', consent: 'ความยินยอม',
    description: 'รายละเอียด', survey: 'ความเห็นในแบบประเมิน', link: 'ความพยายามเชื่อมเรื่องที่ไม่สำเร็จ', none: '—', anonymous: 'ไม่ประสงค์ออกนาม', lineId: 'LINE user id',
    following: 'เรื่องที่ฉันแจ้งด้วย (ติดตาม)', noFollowing: 'ไม่มี', since: 'ตั้งแต่',
  },
  en: {
    title: 'My data', intro: 'Everything the complaint desk holds about you, as of', profile: 'From LINE', displayName: 'Display name', language: 'Language',
    draft: 'Draft not yet sent', noDraft: 'None', cases: 'My cases', noCases: 'No cases yet', category: 'Category',
    status: 'Status', filedAt: 'Filed', name: 'Name', phone: 'Phone', address: 'Address', area: 'Area', coords: 'Coordinates', photos: 'Photos', consent: 'Consent',
    description: 'Description', survey: 'Survey comment', link: 'Failed case-link attempts', none: '—', anonymous: 'Anonymous', lineId: 'LINE user id',
    following: 'Cases I joined (following)', noFollowing: 'None', since: 'Since',
  },
} as const;

/** A self-contained, printable page of `MyData` (Thai, or English). */
export function renderMyDataHtml(d: MyData, lang: Lang): string {
  const t = L[lang];
  const when = (s: string | null) => (s ? formatDateTime(new Date(s), lang) : t.none);
  const row = (k: string, v: unknown) => `<tr><th>${esc(k)}</th><td>${v === null || v === undefined || v === '' ? t.none : esc(v)}</td></tr>`;
  const cases = d.cases.map((c) => `<section class="case"><h3>${esc(c.trackingNo)}</h3><table>
${row(t.category, caseKindLabel(c.problemType, c.category, lang) ?? c.category)}
${row(t.status, STATUS_LABELS[c.status as CaseStatus]?.[lang] ?? c.status)}
${row(t.filedAt, when(c.filedAt))}
${row(t.name, c.anonymous ? t.anonymous : c.name)}
${row(t.phone, c.phone)}
${row(t.area, [c.area.subdistrict, c.area.district, c.area.province].filter(Boolean).join(', '))}
${row(t.address, c.address)}
${row(t.coords, c.lat !== null && c.lng !== null ? `${c.lat}, ${c.lng}` : null)}
${row(t.photos, c.photos)}
${row(t.consent, c.consent.version ? `${c.consent.version} (${when(c.consent.at)})` : null)}
${row(t.description, c.description)}
${row(t.survey, c.surveyComment)}
</table></section>`).join('\n');
  const draft = d.draft
    ? `<table>${row(t.category, caseKindLabel(d.draft.problemType, d.draft.category, lang) ?? d.draft.category ?? null)}${row(t.description, d.draft.description)}${row(t.address, d.draft.address)}${row(t.photos, d.draft.photos)}${row(t.filedAt, when(d.draft.lastActivity))}</table>`
    : `<p>${t.noDraft}</p>`;
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title}</title>
<style>body{font-family:system-ui,'Noto Sans Thai',sans-serif;max-width:46rem;margin:1rem auto;padding:0 1rem;color:#1a1a1a}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border-bottom:1px solid #ddd;padding:.35rem;text-align:left;vertical-align:top}th{width:11rem;color:#555;font-weight:600}
section.case{border:1px solid #ccc;border-radius:8px;padding:.25rem .75rem;margin:.75rem 0}</style></head>
<body><h1>${t.title}</h1><p>${t.intro} ${esc(when(d.generatedAt))}</p>
<h2>${t.profile}</h2><table>${row(t.lineId, d.lineUserId)}${row(t.displayName, d.profile?.displayName)}${row(t.language, d.profile?.language)}</table>
<h2>${t.draft}</h2>${draft}
<h2>${t.link}</h2><p>${d.linkAttempts ? `${d.linkAttempts.failures} (${when(d.linkAttempts.since)})` : t.none}</p>
<h2>${t.cases} (${d.cases.length})</h2>${cases || `<p>${t.noCases}</p>`}
<h2>${t.following} (${d.following.length})</h2>${d.following.length
    ? `<table>${d.following.map((f) => row(f.trackingNo, `${STATUS_LABELS[f.status as CaseStatus]?.[lang] ?? f.status} · ${t.since} ${when(f.since)}`)).join('')}</table>`
    : `<p>${t.noFollowing}</p>`}
</body></html>`;
}
