/**
 * Text similarity of two complaints: TF-IDF cosine over Thai words. Citizens type without spaces,
 * with slang and typos; `Intl.Segmenter` (Node's ICU dictionary) cuts the words, stop words (particles,
 * pronouns, "please help", "complain") are dropped so that what is left is what the problem is about.
 * The IDF comes from a sample of recent cases (cached, refreshed in the background), so words every
 * complaint uses ("ถนน" in a road-heavy area) weigh less than the rare, telling ones ("ฝาท่อ").
 */
import type { Models } from '../models/index.ts';
import { bangkokDay } from '../cases/listing.ts';

const segmenter = new Intl.Segmenter('th', { granularity: 'word' });

/**
 * Words that say nothing about which problem it is: particles, pronouns, politeness, the words of
 * complaining itself, time words every report has.
 */
export const THAI_STOP_WORDS: ReadonlySet<string> = new Set([
  'ที่', 'ของ', 'และ', 'ก็', 'มี', 'ไม่', 'ได้', 'ให้', 'ใน', 'การ', 'เป็น', 'จะ', 'แล้ว', 'อยู่', 'มา', 'ไป', 'กับ', 'ว่า', 'นี้', 'นั้น',
  'ครับ', 'ค่ะ', 'คะ', 'นะ', 'นะคะ', 'นะครับ', 'จ้า', 'จ้ะ', 'คับ', 'ครับผม', 'อะ', 'อ่ะ', 'ฮะ', 'เลย', 'ด้วย', 'ยัง', 'มาก', 'แต่', 'ซึ่ง',
  'โดย', 'จาก', 'ถึง', 'เพราะ', 'ทำ', 'หรือ', 'คือ', 'อย่าง', 'เขา', 'เรา', 'ผม', 'ฉัน', 'หนู', 'ดิฉัน', 'กระผม', 'พวก', 'คน', 'ช่วย',
  'แจ้ง', 'ร้องเรียน', 'เรื่อง', 'ปัญหา', 'กรุณา', 'ด่วน', 'หน่อย', 'ขอ', 'ความ', 'ช่วยเหลือ', 'ดำเนินการ', 'แก้ไข', 'เจ้าหน้าที่',
  // Where-words: the place is compared by pin and subdistrict, not by how people name it.
  'หน้า', 'แถว', 'ตรง', 'ข้าง', 'ใกล้', 'ซอย', 'บริเวณ', 'ย่าน',
  'ตรวจสอบ', 'หลาย', 'วัน', 'แล้ว', 'ตอน', 'นี้', 'ทุก', 'กัน', 'เวลา', 'อีก', 'ถ้า', 'ยังไง', 'อะไร', 'ไหม', 'มั้ย', 'บ้าง', 'เอง', 'ๆ',
  'the', 'a', 'an', 'is', 'are', 'and', 'or', 'of', 'to', 'in', 'on', 'at', 'for', 'it', 'this', 'that', 'please', 'help', 'pls', 'plz',
  'there', 'my', 'our', 'we', 'i', 'no', 'not', 'very', 'since', 'days', 'day', 'still',
]);

/** The problem words of a text, in order, repeats kept (lower case, stop words and lone characters out). */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const s of segmenter.segment(text.toLowerCase())) {
    if (!s.isWordLike) continue;
    const w = s.segment;
    if (w.length < 2 && !/\d/.test(w)) continue;
    if (THAI_STOP_WORDS.has(w)) continue;
    out.push(w);
  }
  return out;
}

/** Document frequencies of a sample: what `vector` weighs words by. */
export class Idf {
  private readonly df = new Map<string, number>();
  private n = 0;

  add(text: string): void {
    this.n++;
    for (const w of new Set(terms(text))) this.df.set(w, (this.df.get(w) ?? 0) + 1);
  }

  get size(): number { return this.n; }

  /** Smoothed: a word never seen weighs most, one in every document least (never 0). */
  weight(w: string): number {
    return Math.log((this.n + 1) / ((this.df.get(w) ?? 0) + 1)) + 1;
  }
}

export type Vector = Map<string, number>;

function countTerms(text: string): Map<string, number> {
  const tf = new Map<string, number>();
  for (const w of terms(text)) tf.set(w, (tf.get(w) ?? 0) + 1);
  return tf;
}

/**
 * Word counts of case descriptions, by case: cutting Thai words is most of a search's own CPU, and a
 * case's description does not change (the key includes its length, for an anonymised one). Oldest out first.
 */
const COUNTS_MAX = 50_000;
const countsByCase = new Map<string, Map<string, number>>();

function countsOf(key: string, text: string): Map<string, number> {
  const k = `${key}:${text.length}`;
  let tf = countsByCase.get(k);
  if (!tf) {
    tf = countTerms(text);
    if (countsByCase.size >= COUNTS_MAX) countsByCase.delete(countsByCase.keys().next().value!);
    countsByCase.set(k, tf);
  }
  return tf;
}

/** TF-IDF vector of a text, unit length (sub-linear term frequency: repeating a word is not shouting it louder). `cacheKey`: the case's id, to reuse its word counts. */
export function vector(text: string, idf: Idf, cacheKey?: string): Vector {
  const tf = cacheKey ? countsOf(cacheKey, text) : countTerms(text);
  const v: Vector = new Map();
  let norm = 0;
  for (const [w, n] of tf) {
    const x = (1 + Math.log(n)) * idf.weight(w);
    v.set(w, x);
    norm += x * x;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [w, x] of v) v.set(w, x / norm);
  return v;
}

export function cosine(a: Vector, b: Vector): number {
  if (!a.size || !b.size) return 0;
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [w, x] of small) { const y = big.get(w); if (y) dot += x * y; }
  return Math.min(1, dot);
}

// ------------------------------------------------------------------ the sample, cached per process

/** How many recent days the sample reads (one indexed `listDay` equality each), and at most how many cases. */
const SAMPLE_DAYS = 14;
const SAMPLE_MAX = 5_000;
const REFRESH_MS = 60 * 60_000;

let cached: { idf: Idf; at: number } | undefined;
let building: Promise<Idf> | undefined;

/** Reads the sample: the descriptions of the cases received in the last SAMPLE_DAYS days. */
export async function buildIdf(models: Pick<Models, 'Case'>, now: Date, extra: string[] = []): Promise<Idf> {
  const idf = new Idf();
  for (const t of extra) idf.add(t);
  const days = Array.from({ length: SAMPLE_DAYS }, (_, i) => bangkokDay(new Date(now.getTime() - i * 86_400_000)));
  for (const day of days) {
    if (idf.size >= SAMPLE_MAX) break;
    const docs = await models.Case.find({ listDay: day }, { description: 1 }).lean<{ description?: string }[]>();
    for (const d of docs.slice(0, SAMPLE_MAX - idf.size)) if (d.description) idf.add(d.description);
  }
  return idf;
}

/** How long the very first search waits for the sample before ranking with uniform weights instead. */
const FIRST_WAIT_MS = 300;

/**
 * The cached IDF: built on first use, then refreshed in the background once an hour. The first
 * search waits for it at most FIRST_WAIT_MS (reading the sample takes seconds at 100,000 cases), then
 * ranks with uniform weights (stop words still removed) until it is there. A small sample (a new
 * deployment) still ranks: unseen words simply weigh the most.
 */
export async function currentIdf(models: Pick<Models, 'Case'>, now: Date): Promise<Idf> {
  const fresh = cached && Date.now() - cached.at < REFRESH_MS;
  if (cached && fresh) return cached.idf;
  if (!building) {
    building = buildIdf(models, now)
      .then((idf) => { cached = { idf, at: Date.now() }; return idf; })
      .finally(() => { building = undefined; });
  }
  building.catch(() => undefined);
  if (cached) return cached.idf;
  return Promise.race([building, new Promise<Idf>((r) => setTimeout(() => r(new Idf()), FIRST_WAIT_MS).unref())]);
}

/** Drops the cached sample (tests that load a new set of cases, or after a bulk import). */
export function resetIdf(idf?: Idf): void {
  cached = idf ? { idf, at: Date.now() } : undefined;
}
