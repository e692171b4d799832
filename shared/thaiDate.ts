/** Dates shown to people: Asia/Bangkok, Buddhist era for Thai, Gregorian for English. */
export type Lang = 'th' | 'en';

const fmtTh = new Intl.DateTimeFormat('th-TH-u-ca-buddhist', { timeZone: 'Asia/Bangkok', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const fmtThDate = new Intl.DateTimeFormat('th-TH-u-ca-buddhist', { timeZone: 'Asia/Bangkok', day: 'numeric', month: 'short', year: 'numeric' });
const fmtEn = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Bangkok', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const fmtEnDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Bangkok', day: 'numeric', month: 'short', year: 'numeric' });
const yearInBangkok = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Bangkok', year: 'numeric' });

/** e.g. "22 พ.ย. 2569 14:05" or "22 Nov 2026, 14:05". */
export function formatDateTime(d: Date, lang: Lang = 'th'): string {
  return (lang === 'th' ? fmtTh : fmtEn).format(d).replace(' เวลา', '');
}

export function formatDate(d: Date, lang: Lang = 'th'): string {
  return (lang === 'th' ? fmtThDate : fmtEnDate).format(d);
}

/** Buddhist-era year of the date as seen in Bangkok (2026-12-31T20:00Z is already 2570). */
export function buddhistYear(d: Date): number {
  return Number(yearInBangkok.format(d)) + 543;
}

const THAI_DIGITS = '๐๑๒๓๔๕๖๗๘๙';
/** 2569 → ๒๕๖๙: the digits official documents are printed in. */
export function toThaiDigits(s: string | number): string {
  return String(s).replace(/[0-9]/g, (d) => THAI_DIGITS[Number(d)]!);
}

const THAI_MONTHS = ['มกราคม', 'กุมภาพันธ์', 'มีนาคม', 'เมษายน', 'พฤษภาคม', 'มิถุนายน', 'กรกฎาคม', 'สิงหาคม', 'กันยายน', 'ตุลาคม', 'พฤศจิกายน', 'ธันวาคม'];
const THAI_MONTHS_SHORT = ['ม.ค.', 'ก.พ.', 'มี.ค.', 'เม.ย.', 'พ.ค.', 'มิ.ย.', 'ก.ค.', 'ส.ค.', 'ก.ย.', 'ต.ค.', 'พ.ย.', 'ธ.ค.'];
/** Month 1–12 by its Thai name, in full (official letters) or short (charts). */
export function thaiMonth(m1: number, short = false): string {
  return (short ? THAI_MONTHS_SHORT : THAI_MONTHS)[m1 - 1]!;
}
