import type { Lang } from './i18n.ts';
// The same formatting as the bot's messages (Asia/Bangkok; Buddhist era in Thai): one source of truth.
import { formatDate, formatDateTime } from '../../../shared/thaiDate.ts';

export const dateTime = (iso: string, lang: Lang): string => formatDateTime(new Date(iso), lang);
export const dateOnly = (iso: string, lang: Lang): string => formatDate(new Date(iso), lang);

/** Thai phone as the API accepts it: `0` + 8–9 digits, or `+66` + 8–9 digits; spaces and dashes ignored. */
export function normalisePhone(raw: string): string | null {
  const s = raw.replace(/[\s-]/g, '');
  if (/^0\d{8,9}$/.test(s)) return s;
  if (/^\+66\d{8,9}$/.test(s)) return `0${s.slice(3)}`;
  return null;
}

export function bytes(n: number, lang: Lang): string {
  const mb = n / (1024 * 1024);
  return mb >= 1 ? `${mb.toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} ${lang === 'th' ? 'KB' : 'KB'}`;
}

export function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** "ต.ศรีภูมิ อ.เมืองเชียงใหม่ จ.เชียงใหม่" (Bangkok: แขวง/เขต), or "Si Phum, Mueang Chiang Mai, Chiang Mai". */
export function areaText(lang: Lang, provinceCode: string | undefined, names: { sub?: string; district?: string; province?: string }): string {
  if (lang === 'en') return [names.sub, names.district, names.province].filter(Boolean).join(', ');
  const bkk = provinceCode === '10';
  return [
    names.sub && (bkk ? `แขวง${names.sub}` : `ต.${names.sub}`),
    names.district && (bkk ? `เขต${names.district}` : `อ.${names.district}`),
    names.province && (bkk ? names.province : `จ.${names.province}`),
  ].filter(Boolean).join(' ');
}
