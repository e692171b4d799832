/** The `/liff/api` client, typed from liff/API.md (the contract). */
import type { Lang } from './i18n.ts';

export type CategoryCode = 'help' | 'tipoff' | 'dispute' | 'official' | 'state_project' | 'informal_debt' | 'petition' | 'corruption';
export type ChannelCode = 'line' | 'hotline' | 'letter' | 'website' | 'mobile_app' | 'walk_in' | 'mobile_team';
export type Status = 'received' | 'assigned' | 'in_progress' | 'forwarded' | 'closed' | 'rejected';
export type Role = 'citizen' | 'officer' | 'head' | 'executive' | 'admin';

export interface Me { displayName: string; lang: Lang; role: Role; unit?: { code: string; nameTh: string; nameEn: string } }
export interface Meta {
  categories: { code: CategoryCode; th: string; en: string; hintTh: string; hintEn: string }[];
  problemTypes: { code: string; th: string; en: string; icon: string; hintTh: string; hintEn: string; category: CategoryCode; keywords: string[] }[];
  channels: { code: ChannelCode; th: string; en: string }[];
  pdpa: { version: string; textTh: string; textEn: string };
  limits: { descriptionMin: number; descriptionMax: number; photosMax: number; photoBytesMax: number };
}
export interface Area { code: string; nameTh: string; nameEn: string; postalCode?: string }
export interface LocationIn { provinceCode: string; districtCode?: string; subdistrictCode?: string; lat?: number; lng?: number; address?: string }
export interface TimelineItem { at: string; action: string; actor: 'citizen' | 'officer' | 'system'; actorName?: string; textTh: string; textEn: string; note?: string }
export interface CaseSummary {
  id: string; trackingNo: string; category: CategoryCode; problemType?: string; status: Status; statusTh: string; statusEn: string;
  createdAt: string; updatedAt: string; unitNameTh: string; areaTh: string; canAddInfo: boolean; canWithdraw: boolean; surveyDue: boolean;
  /** A case this person joined ("แจ้งด้วย"), not their own; how many reported it. */
  following?: boolean; supporterCount?: number;
}
/** An open case nearby that may be the same problem: its public part only. */
export interface RelatedOffer {
  id: string; trackingNo: string; typeTh: string; typeEn: string; areaTh: string; areaEn: string;
  receivedAt: string; status: Status; statusTh: string; statusEn: string; supporterCount: number;
}
export interface Joined { id: string; trackingNo: string; status: Status; statusTh: string; statusEn: string; supporterCount: number; already: boolean }
export interface CaseDetail extends CaseSummary {
  description: string; channel: ChannelCode;
  location: { provinceCode: string; provinceNameTh: string; districtCode?: string; districtNameTh?: string; subdistrictCode?: string; subdistrictNameTh?: string; lat?: number; lng?: number; address?: string };
  attachments: { id: string; contentType: string; size: number; url: string; kind?: 'after' }[];
  timeline: TimelineItem[];
  resolution?: { kind: 'resolved' | 'withdrawn' | 'rejected'; text: string; at: string };
  survey?: { score: number; comment?: string; at: string; fixed?: boolean };
  /** Citizen view: "not fixed" may be said now (liff/api views). */
  canReopen?: boolean;
  reopens?: { at: string; reason: string; toParent: boolean }[];
}
export interface OfficerCaseDetail extends CaseDetail {
  complainant: { name?: string; phone?: string; anonymous: boolean; hasLine: boolean };
  assignee?: { name: string };
  supervisor?: { canTakeOver: boolean; canAssign: boolean };
  /** The partner agency routing suggests for this type and place: the page forwards to it in one tap. */
  suggestedAgency?: { code: string; nameTh: string; nameEn: string };
  /** The result may go on the public figures page (place-bound, not anonymous, not about officials, not merged). */
  publishable?: boolean;
  /** The result as published on the public figures page, while it is. */
  publicResult?: { summary: string; approvedAt: string; by: string; photoUrl?: string; pageUrl: string };
}
/** Supervisors: a case of a unit below theirs (หน่วยงานในสังกัด). */
export interface BelowCaseSummary extends CaseSummary { unitCode: string; late: boolean; unowned: boolean; assigneeName?: string }
export interface BelowUnit { code: string; nameTh: string; nameEn: string; staffed: boolean }
export interface OfficerChoice { id: string; name: string; unitCode: string; unitNameTh: string; role: string }
export interface Upload { id: string; contentType: string; size: number }
export interface FieldError { path: string; th: string; en: string }

export class ApiError extends Error {
  status: number;
  code: string;
  th: string;
  en: string;
  fields: FieldError[];
  retryAfter?: number;
  constructor(status: number, code: string, th: string, en: string, fields: FieldError[] = [], retryAfter?: number) {
    super(en);
    this.status = status;
    this.code = code;
    this.th = th;
    this.en = en;
    this.fields = fields;
    this.retryAfter = retryAfter;
  }
  text(lang: Lang): string { return lang === 'th' ? this.th : this.en; }
}

export interface TokenSource {
  token(): Promise<string>;
  /** A fresh token after the server said 401 (expired); may navigate away to log in again. */
  renew(): Promise<string>;
}

const FALLBACK: Record<number, [string, string]> = {
  0: ['เชื่อมต่อไม่ได้ โปรดตรวจสอบอินเทอร์เน็ตแล้วลองอีกครั้ง', 'Could not connect. Check your internet connection and try again.'],
  401: ['การยืนยันตัวตนหมดอายุ โปรดเปิดหน้านี้ใหม่จาก LINE', 'Your sign-in has expired. Please reopen this page from LINE.'],
  404: ['ไม่พบข้อมูลนี้', 'Not found.'],
  413: ['ไฟล์ใหญ่เกินไป', 'The file is too large.'],
  415: ['ไฟล์นี้ไม่ใช่รูปภาพที่รองรับ', 'This file is not a supported image.'],
  429: ['ส่งข้อมูลถี่เกินไป โปรดรอสักครู่แล้วลองใหม่', 'Too many requests. Please wait a moment and try again.'],
  500: ['ระบบขัดข้อง โปรดลองใหม่อีกครั้ง', 'Something went wrong on our side. Please try again.'],
};

export class Api {
  private auth: TokenSource;
  private base: string;
  constructor(auth: TokenSource, base = '/liff/api') {
    this.auth = auth;
    this.base = base;
  }

  async request<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const res = await this.raw(method, path, body, contentType);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  /** The authorised response, errors turned into ApiError. Retries once with a fresh token after 401. */
  async raw(method: string, path: string, body?: unknown, contentType?: string): Promise<Response> {
    let token = await this.auth.token();
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
      let payload: BodyInit | undefined;
      if (body instanceof Blob) {
        payload = body;
        headers['content-type'] = contentType ?? body.type;
      } else if (body !== undefined) {
        payload = JSON.stringify(body);
        headers['content-type'] = 'application/json';
      }
      let res: Response;
      try {
        res = await fetch(this.base + path, { method, headers, body: payload, credentials: 'same-origin' });
      } catch {
        throw new ApiError(0, 'network', ...FALLBACK[0]);
      }
      if (res.status === 401 && attempt === 0) {
        token = await this.auth.renew();
        continue;
      }
      if (res.ok) return res;
      throw await toError(res);
    }
  }

  get<T>(path: string): Promise<T> { return this.request<T>('GET', path); }
  post<T>(path: string, body: unknown = {}): Promise<T> { return this.request<T>('POST', path, body); }
  upload(blob: Blob, contentType: string, path = '/uploads'): Promise<Upload> { return this.request<Upload>('POST', path, blob, contentType); }

  /** An authorised image as an object URL (an <img src> cannot carry the bearer token). */
  async imageUrl(path: string): Promise<string> {
    const res = await this.raw('GET', path.replace(/^\/liff\/api/, ''));
    return URL.createObjectURL(await res.blob());
  }
}

async function toError(res: Response): Promise<ApiError> {
  let data: any;
  try { data = await res.json(); } catch { data = undefined; }
  const e = data && typeof data === 'object' ? data.error : undefined;
  const fb = FALLBACK[res.status] ?? FALLBACK[res.status >= 500 ? 500 : 0];
  const retry = Number(res.headers.get('retry-after')) || undefined;
  const fields: FieldError[] = Array.isArray(e?.fields)
    ? e.fields.filter((f: any) => f && typeof f.path === 'string').map((f: any) => ({ path: f.path, th: String(f.th ?? ''), en: String(f.en ?? '') }))
    : [];
  return new ApiError(res.status, typeof e?.code === 'string' ? e.code : 'http_' + res.status,
    typeof e?.message?.th === 'string' ? e.message.th : fb[0],
    typeof e?.message?.en === 'string' ? e.message.en : fb[1], fields, retry);
}
