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
