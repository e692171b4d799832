/**
 * Which problem type a citizen's own words point to, so the chat and the form can offer it first and
 * say why ("พบคำว่า “ไฟดับ”"). Pure and fast: no database, one pass of Thai word segmentation and a
 * scan of each type's keywords (config/problem-types.json). The citizen still chooses; a wrong guess
 * costs one tap, so the ranking favours saying nothing over saying something from a two-letter hit.
 */
import type { Lang } from '../thaiDate.ts';

/**
 * What the matcher needs of a type. This file reads no files, so the LIFF page bundles it too and
 * suggests as the citizen types, with the lexicon from GET /liff/api/meta.
 */
export interface Lexicon { code: string; keywords: readonly string[] }

export interface TypeSuggestion {
  code: string;
  /** Sum of the weights of the keywords found (longer, more specific keywords weigh more). */
  score: number;
  /** The keywords found, most telling first: the first is the reason shown to the citizen. */
  matched: string[];
}

const segmenter = new Intl.Segmenter('th', { granularity: 'word' });
const THAI = /[\u0E00-\u0E7F]/;
const LATIN_OR_DIGIT = /[a-z0-9]/;
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
/**
 * Thai keywords this short ("งู", "หมา", "กัด") hide inside longer words ("จำกัด"), so they count
 * only where the segmenter puts a word boundary on both sides.
 */
const SHORT = 3;

/**
 * Lower case, Thai digits as 0-9, no zero-width characters, and any character typed three or more
 * times in a row ("ดับบบบ", "มากกก", "soooo") kept once.
 */
export function normaliseText(text: string): string {
  return text.normalize('NFC')
    .replace(ZERO_WIDTH, '')
    .toLowerCase()
    .replace(/[๐-๙]/g, (d) => String(d.charCodeAt(0) - 0x0E50))
    .replace(/(.)\1{2,}/gu, '$1');
}

/**
 * The text with the spaces people put between (or inside) Thai words taken out, so a keyword is found
 * across them; a space is kept only between two Latin letters or digits, where it separates words.
 */
function compact(normalised: string): string {
  return normalised.replace(/\s+/g, (_sp, at: number, s: string) =>
    LATIN_OR_DIGIT.test(s[at - 1] ?? '') && LATIN_OR_DIGIT.test(s[at + _sp.length] ?? '') ? ' ' : '');
}

/**
 * A keyword as written in the file: the word, optionally with "^factor" to say how telling it is
 * ("ฎีกา^2": nothing else means that; "เจ้าหน้าที่^0.5": said in many kinds of complaint).
 */
export function parseKeyword(entry: string): { word: string; factor: number } {
  const m = /^(.*?)\^(\d+(?:\.\d+)?)$/.exec(entry.trim());
  return m ? { word: m[1]!.trim(), factor: Number(m[2]) } : { word: entry.trim(), factor: 1 };
}

interface Keyword { word: string; key: string; weight: number; thai: boolean; short: boolean }

const prepared = new WeakMap<readonly Lexicon[], { code: string; keywords: Keyword[] }[]>();

function lexicon(types: readonly Lexicon[]) {
  let lex = prepared.get(types);
  if (!lex) {
    lex = types.map((t) => ({
      code: t.code,
      keywords: [...new Set(t.keywords)].map((entry) => {
        const { word, factor } = parseKeyword(entry);
        const key = compact(normaliseText(word));
        const length = [...key].length;
        return { word, key, weight: factor * (1 + Math.min(length, 10) / 10), thai: THAI.test(key), short: THAI.test(key) && length <= SHORT };
      }).filter((k) => k.key.length > 0),
    }));
    prepared.set(types, lex);
  }
  return lex;
}

interface Hit { code: string; kw: Keyword; start: number; end: number }

/** Every place a keyword occurs: Thai anywhere (short ones on word boundaries), Latin as whole words. */
function hits(text: string, types: readonly Lexicon[]): Hit[] {
  const bounds = new Set<number>();
  for (const seg of segmenter.segment(text)) { bounds.add(seg.index); bounds.add(seg.index + seg.segment.length); }
  const out: Hit[] = [];
  for (const { code, keywords } of lexicon(types)) {
    for (const kw of keywords) {
      for (let at = text.indexOf(kw.key); at >= 0; at = text.indexOf(kw.key, at + 1)) {
        const end = at + kw.key.length;
        if (kw.short && !(bounds.has(at) && bounds.has(end))) continue;
        if (!kw.thai) {
          const before = text[at - 1] ?? '';
          let after = end;
          if (text[after] === 's') after += 1; // plurals: "dogs", "potholes"
          if (/[a-z]/.test(before) || /[a-z]/.test(text[after] ?? '')) continue;
        }
        out.push({ code, kw, start: at, end });
      }
    }
  }
  // A keyword inside a longer one found at the same place says less: "ไฟฟ้า" inside "ไฟฟ้าดับ",
  // "กัด" inside "จำกัดความเร็ว". Only the longer one counts.
  return out.filter((h) => !out.some((o) => o !== h && o.start <= h.start && h.end <= o.end && o.end - o.start > h.end - h.start));
}

/**
 * The problem types the text points to, best first (ties keep the file's order, most common first).
 * Empty when no keyword is found: the caller then offers the most common types.
 */
export function suggestFrom(types: readonly Lexicon[], text: string, _lang?: Lang): TypeSuggestion[] {
  const t = compact(normaliseText(text));
  if (!t) return [];
  const byType = new Map<string, Map<string, Keyword>>();
  for (const h of hits(t, types)) {
    const found = byType.get(h.code) ?? new Map<string, Keyword>();
    found.set(h.kw.key, h.kw);
    byType.set(h.code, found);
  }
  const order = new Map(types.map((ty, i) => [ty.code, i]));
  return [...byType].map(([code, found]) => {
    const kws = [...found.values()].sort((a, b) => b.weight - a.weight);
    return { code, score: Math.round(kws.reduce((s, k) => s + k.weight, 0) * 100) / 100, matched: kws.map((k) => k.word) };
  }).sort((a, b) => b.score - a.score || order.get(a.code)! - order.get(b.code)!);
}
