/**
 * Personal data in free text (complaint descriptions, notes, officers' messages), replaced by a
 * marker before the text leaves the unit holding the case: the dashboard's masked view, the partner
 * API and its webhooks, exports and logs. The unit's own officers read the text as written.
 *
 * Rules are tuned on tests/fixtures/pii-th.tsv (tests/unit/redact.test.ts prints precision and
 * recall); docs/privacy.md says what is and is not caught, and why.
 */

export type PiiKind = 'national_id' | 'phone' | 'email' | 'line_id' | 'bank_account';

export const PII_MARKERS: Record<PiiKind, string> = {
  national_id: '[เลขบัตรประชาชน]',
  phone: '[เบอร์โทร]',
  email: '[อีเมล]',
  line_id: '[LINE ID]',
  bank_account: '[เลขบัญชี]',
};

export interface PiiSpan { kind: PiiKind; start: number; end: number }
export interface Redacted { text: string; found: { kind: PiiKind; count: number }[] }

/** Thai digits ๐–๙ are one UTF-16 unit each, as ASCII digits: offsets stay the same after this. */
const asciiDigits = (s: string) => s.replace(/[๐-๙]/g, (d) => String(d.charCodeAt(0) - 0x0e50))
  // The letter O typed for a zero at the start of a number ("O81-…"), never inside a word (CO2).
  .replace(/(?<![A-Za-z])[Oo](?=\d)/g, '0');

/** Thai national ID check digit (the 13th): 11 − (Σ dᵢ·(13 − i) mod 11), mod 10. */
export function validThaiId(digits: string): boolean {
  if (!/^\d{13}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(digits[i]) * (13 - i);
  return (11 - (sum % 11)) % 10 === Number(digits[12]);
}

// A gap people leave inside a number: a space, dash or dot, possibly " - ".
const G = '(?:[ \\u00a0]?[.\\-–][ \\u00a0]?|[ \\u00a0])?';
// Not glued to a number before or after (so a part of a longer number never matches).
const START = '(?<![\\d])(?<!\\d[.\\-–])';
const END = '(?![\\d])(?![.\\-–]\\d)';

const EMAIL = /[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/** The 1-4-5-2-1 grouping of the card, or 13 digits in a row. */
const NATIONAL_ID = new RegExp(`${START}\\d${G}\\d{4}${G}\\d{5}${G}\\d{2}${G}\\d${END}`, 'g');
/** Just before a number that is said to be the card's number, a wrong check digit is a typo, not another number. */
const ID_WORDS = /(?:บัตรประชาชน|บัตรประจำตัวประชาชน|บัตร\s*ปชช|เลขบัตร|เลขประจำตัว|citizen\s*id|id\s*card|national\s*id|เลข\s*ปชช)[^\n]{0,25}$/i;

/** 10 digits (3-1-5-1, 3-3-4 or in a row) or 12 (4-4-4, 3-1-5-3 or in a row). */
const BANK_ACCOUNT = new RegExp(
  `${START}(?:\\d{3}${G}\\d${G}\\d{5}${G}\\d|\\d{3}${G}\\d{3}${G}\\d{4}|\\d{10}|\\d{4}${G}\\d{4}${G}\\d{4}|\\d{3}${G}\\d${G}\\d{5}${G}\\d{3}|\\d{12})${END}`, 'g');
/** A bank word shortly before the number: without one, 10 digits are more likely a phone. */
const BANK_WORDS = /(?:บัญชี|บช\.|ธนาคาร|ธ\.\s?\S|กสิกร|ไทยพาณิชย์|กรุงไทย|กรุงศรี|ออมสิน|ธ\.?ก\.?ส|ทหารไทย|ทีทีบี|ยูโอบี|ซีไอเอ็มบี|เกียรตินาคิน|แลนด์\s*แอนด์\s*เฮ้าส์|(?<![A-Za-z])(?:kbank|scb|ktb|bbl|bay|gsb|baac|ttb|uob|cimb|acct|account|a\/c|bank)(?![A-Za-z]))[^\n]{0,30}$/i;

/**
 * Thai phones: mobile 06/08/09 + 8 digits, Bangkok 02 + 7, provincial 03–07 + 7; written with 0
 * or as +66 / 66 (with or without "(0)"), the area code sometimes in brackets. Service numbers
 * (1111, 1567) are public and left alone.
 */
const GP = `(?:\\)?${G})`;
const PHONE = new RegExp(
  `${START}(?:(?:\\+[ \\u00a0]?|(?<![\\w+]))66${G}(?:\\(0\\)${G})?|\\(?0${G})` +
  `(?:[689]${GP}\\d(?:${GP}\\d){7}|[2-7](?:${GP}\\d){7})${END}`, 'g');
/** A number named as something else just before it (a meter, a bill, a parcel) is not a phone, unless a phone word is there too. */
const NOT_PHONE_WORDS = /(?:รหัส|ผู้ใช้ไฟ|ผู้ใช้น้ำ|มิเตอร์|ใบเสร็จ|ใบแจ้งหนี้|ใบสั่ง|พัสดุ|ออเดอร์|สัญญา|(?<![A-Za-z])(?:order|invoice|ref|meter))[^\n]{0,20}$/i;
const PHONE_WORDS = /(?:โทร|เบอร์|มือถือ|ติดต่อ|(?<![A-Za-z])(?:tel|phone|mobile|call))/i;
/** At most this many gaps in one phone number (081-234-5678 has two): more is a list of numbers. */
const PHONE_MAX_GAPS = 3;

// LINE ids are typed after a LINE word: "ไลน์ไอดี: somchai_99", "line id @abc", "ID line: …", "แอดไลน์ somchai".
const LINE_VALUE = '(?!(?:line|id)(?![A-Za-z0-9._-]))(@?[A-Za-z0-9][A-Za-z0-9._-]{1,29}|@[A-Za-z0-9._-]{2,30})';
const LINE_WORD = '(?:(?<![A-Za-z])line(?=id(?![A-Za-z])|(?![A-Za-z]))|ไลน์|ไลน)';
const ID_WORD = '(?:(?:(?<=line)|(?<![A-Za-z]))id(?![A-Za-z])|ไอดี)';
const SP = '[ \\u00a0]*';
/** What people put between the word and the id: "ไลน์ไอดี: x", "ไอดีไลน์คือ x", "แอดไลน์มาที่ @x". */
const SAY = `(?:(?:[:：=\\-]|คือ|ชื่อ|มาที่|ที่)${SP})?`;
const LINE_IDS = [
  // "line id", "ไลน์ไอดี", "id line", "ไอดีไลน์": any value.
  new RegExp(`(?:${LINE_WORD}${SP}${ID_WORD}|${ID_WORD}${SP}${LINE_WORD})${SP}${SAY}${LINE_VALUE}(?![A-Za-z0-9._-])`, 'gi'),
  // "LINE: somchai", "line @abc": a colon or an @ after the bare word.
  new RegExp(`${LINE_WORD}${SP}(?:[:：=]${SP}${LINE_VALUE}|${SAY}(@[A-Za-z0-9._-]{2,30}))(?![A-Za-z0-9._-])`, 'gi'),
  // "แอดไลน์ somchai99": the Thai word followed by a Latin id.
  new RegExp(`(?:ไลน์|ไลน)${SP}${SAY}([A-Za-z][A-Za-z0-9._-]{2,29})(?![A-Za-z0-9._-])`, 'g'),
];
/** The LINE platform's own user id, should one be pasted into a note. */
const LINE_USER_ID = /(?<![A-Za-z0-9])U[0-9a-f]{32}(?![A-Za-z0-9])/g;

/** Where the personal data in `text` is, in text order. */
export function findPii(text: string): PiiSpan[] {
  // Matching runs on a copy where found spans are blanked, so a later rule never re-reads them.
  let work = asciiDigits(text);
  const spans: PiiSpan[] = [];
  const take = (kind: PiiKind, start: number, end: number) => {
    spans.push({ kind, start, end });
    work = work.slice(0, start) + '¤'.repeat(end - start) + work.slice(end);
  };
  const each = (re: RegExp, f: (m: RegExpExecArray) => void) => { for (const m of [...work.matchAll(re)]) f(m); };

  each(EMAIL, (m) => take('email', m.index, m.index + m[0].length));
  each(LINE_USER_ID, (m) => take('line_id', m.index, m.index + m[0].length));
  each(NATIONAL_ID, (m) => {
    if (validThaiId(m[0].replace(/\D/g, '')) || ID_WORDS.test(work.slice(Math.max(0, m.index - 40), m.index))) take('national_id', m.index, m.index + m[0].length);
  });
  each(BANK_ACCOUNT, (m) => {
    if (BANK_WORDS.test(work.slice(Math.max(0, m.index - 60), m.index))) take('bank_account', m.index, m.index + m[0].length);
  });
  each(PHONE, (m) => {
    let s = m.index, e = s + m[0].length;
    // "(081) …" and "081)" : the bracket belongs to the number only when both are there.
    if (work[s] === '(' && !m[0].includes(')')) s++;
    const before = work.slice(Math.max(0, s - 30), s);
    if (NOT_PHONE_WORDS.test(before) && !PHONE_WORDS.test(before)) return;
    const groups = m[0].split(/[ \u00a0.\-–]+/);
    // Read out digit by digit or in pairs ("0 8 1 2 …", "08-12-34-56-78") is one number too.
    if (groups.length - 1 <= PHONE_MAX_GAPS || groups.every((g) => g.replace(/\D/g, '').length <= 2)) take('phone', s, e);
  });
  for (const re of LINE_IDS) {
    each(re, (m) => {
      const value = m[1] ?? m[2];
      if (!value) return;
      const s = m.index + m[0].lastIndexOf(value);
      take('line_id', s, s + value.length);
    });
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** `text` with each piece of personal data replaced by its marker, and what was found. */
export function redactPii(text: string): Redacted {
  const spans = findPii(text);
  let out = '', at = 0;
  const counts = new Map<PiiKind, number>();
  for (const sp of spans) {
    out += text.slice(at, sp.start) + PII_MARKERS[sp.kind];
    at = sp.end;
    counts.set(sp.kind, (counts.get(sp.kind) ?? 0) + 1);
  }
  out += text.slice(at);
  return { text: out, found: [...counts].map(([kind, count]) => ({ kind, count })) };
}

/** Just the redacted text, for views; null and undefined pass through. */
export function redactText<T extends string | null | undefined>(text: T): T {
  return (typeof text === 'string' ? redactPii(text).text : text) as T;
}
