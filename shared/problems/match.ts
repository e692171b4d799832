/**
 * Which problem type a citizen's own words point to, so the chat and the form can offer it first and
 * say why ("พบคำว่า “ไฟดับ”"). Pure and fast: no database, one pass of Thai word segmentation and a
 * scan of each type's keywords (config/problem-types.json). The citizen still chooses; a wrong guess
 * costs one tap, so the ranking favours saying nothing over saying something from a two-letter hit.
 */

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

interface Keyword { word: string; key: string; skel: string; weight: number; thai: boolean; short: boolean }

/**
 * Thai as people actually type it in a hurry: tone marks and ็ ์ dropped ("เปน", "เกบ", "เหมน"),
 * ร said and typed as ล ("แร้ว", "ทุจลิต"), and letters that sound alike swapped ("ใหย่", "สาลา").
 * Keywords and text are both reduced to this skeleton, so a misspelt keyword is still found; a
 * hit that is only equal in the skeleton weighs less than one spelt as in the lexicon.
 */
const SOUND_ALIKE: Record<string, string> = {
  'ใ': 'ไ', 'ร': 'ล', 'ฬ': 'ล', 'ศ': 'ส', 'ษ': 'ส', 'ณ': 'น', 'ญ': 'ย', 'ฏ': 'ต', 'ฎ': 'ด', 'ธ': 'ท', 'ฑ': 'ท',
  'ฒ': 'ท', 'ภ': 'พ', 'ฆ': 'ค', 'ฌ': 'ช', 'ฐ': 'ถ', 'ฤ': 'ล',
};
const DROPPED = /[\u0E47-\u0E4C]/;
const MISSPELT = 0.7;

/** The skeleton of a compact text, and for each of its characters where it came from in the text. */
function skeleton(text: string): { skel: string; from: number[] } {
  let skel = '';
  const from: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (DROPPED.test(c)) continue;
    skel += SOUND_ALIKE[c] ?? c;
    from.push(i);
  }
  from.push(text.length);
  return { skel, from };
}

/**
 * English endings a keyword may carry: "flood" finds "floods", "flooded", "flooding"; "scam" finds
 * "scammed" and "scammer". Anything longer is another word ("road" is not "roadmap").
 */
const LATIN_ENDING = /^(?:s|es|d|ed|ing|er|ers|y|ly)?$/;

const prepared = new WeakMap<readonly Lexicon[], { code: string; keywords: Keyword[]; against: Keyword[] }[]>();

function prepare(entry: string): Keyword {
  const { word, factor } = parseKeyword(entry);
  const key = compact(normaliseText(word));
  const length = [...key].length;
  const thai = THAI.test(key);
  return { word, key, skel: skeleton(key).skel, weight: factor * (1 + Math.min(length, 10) / 10), thai, short: thai && length <= SHORT };
}

/**
 * A keyword written "-word" is a cue against the type: "-ไฟถนน" on the power cut means a text about
 * a street light that says "ไฟดับ" is not about the electricity supply.
 */
function lexicon(types: readonly Lexicon[]) {
  let lex = prepared.get(types);
  if (!lex) {
    lex = types.map((t) => {
      const entries = [...new Set(t.keywords)];
      return {
        code: t.code,
        keywords: entries.filter((e) => !e.startsWith('-')).map(prepare).filter((k) => k.key.length > 0),
        against: entries.filter((e) => e.startsWith('-')).map((e) => prepare(e.slice(1))).filter((k) => k.key.length > 0),
      };
    });
    prepared.set(types, lex);
  }
  return lex;
}

interface Hit { code: string; kw: Keyword; start: number; end: number; exact: boolean }

interface Scanned { text: string; skel: string; from: number[]; bounds: Set<number> }

function scan(text: string): Scanned {
  const bounds = new Set<number>();
  for (const seg of segmenter.segment(text)) { bounds.add(seg.index); bounds.add(seg.index + seg.segment.length); }
  return { text, bounds, ...skeleton(text) };
}

/** Where a keyword occurs: Thai anywhere (short ones on word boundaries), Latin as words with an ending. */
function occurrences(s: Scanned, kw: Keyword): { start: number; end: number; exact: boolean }[] {
  const out: { start: number; end: number; exact: boolean }[] = [];
  for (let at = s.skel.indexOf(kw.skel); at >= 0; at = s.skel.indexOf(kw.skel, at + 1)) {
    const start = s.from[at]!;
    const end = s.from[at + kw.skel.length]!;
    if (kw.short && !(s.bounds.has(start) && s.bounds.has(end))) continue;
    if (!kw.thai) {
      if (/[a-z]/.test(s.text[start - 1] ?? '')) continue;
      const rest = /^[a-z]*/.exec(s.text.slice(end))![0];
      const doubled = rest.length > 1 && rest[0] === kw.key.at(-1) ? rest.slice(1) : rest;
      if (!LATIN_ENDING.test(rest) && !(doubled !== rest && LATIN_ENDING.test(doubled))) continue;
    }
    out.push({ start, end, exact: s.text.slice(start, end) === kw.key });
  }
  return out;
}

function hits(s: Scanned, types: readonly Lexicon[]): Hit[] {
  const out: Hit[] = [];
  for (const { code, keywords } of lexicon(types)) {
    for (const kw of keywords) for (const o of occurrences(s, kw)) out.push({ code, kw, ...o });
  }
  // A keyword inside a longer one found at the same place says less: "ไฟฟ้า" inside "ไฟฟ้าดับ",
  // "กัด" inside "จำกัดความเร็ว". Only the longer one counts.
  return out.filter((h) => !out.some((o) => o !== h && o.start <= h.start && h.end <= o.end && o.end - o.start > h.end - h.start));
}

/**
 * The problem types the text points to, best first (ties keep the file's order, most common first).
 * Empty when no keyword is found: the caller then offers the most common types.
 */
export function suggestFrom(types: readonly Lexicon[], text: string): TypeSuggestion[] {
  const t = compact(normaliseText(text));
  if (!t) return [];
  const s = scan(t);
  const byType = new Map<string, Map<string, { kw: Keyword; weight: number }>>();
  for (const h of hits(s, types)) {
    const found = byType.get(h.code) ?? new Map<string, { kw: Keyword; weight: number }>();
    const weight = h.exact ? h.kw.weight : h.kw.weight * MISSPELT;
    if ((found.get(h.kw.key)?.weight ?? 0) < weight) found.set(h.kw.key, { kw: h.kw, weight });
    byType.set(h.code, found);
  }
  const against = new Map(lexicon(types).map((l) => [l.code, l.against]));
  const order = new Map(types.map((ty, i) => [ty.code, i]));
  return [...byType].map(([code, found]) => {
    const kws = [...found.values()].sort((a, b) => b.weight - a.weight);
    const contra = against.get(code)!.some((kw) => occurrences(s, kw).length > 0);
    const score = kws.reduce((sum, k) => sum + k.weight, 0) * (contra ? 0.25 : 1);
    return { code, score: Math.round(score * 100) / 100, matched: kws.map((k) => k.kw.word) };
  }).sort((a, b) => b.score - a.score || order.get(a.code)! - order.get(b.code)!);
}
