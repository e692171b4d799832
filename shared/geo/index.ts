/**
 * Thai administrative areas (DOPA codes) for the complaint form, routing and LINE location messages.
 *
 * Data: ./data/*.json, copied unchanged from thailand-geography-json (MIT, see ./data/LICENSE).
 * The JSON is read from disk on first use rather than imported, so that a process which never
 * looks at subdistricts never pays for parsing 1.6 MB of them.
 */
import { readFileSync } from 'node:fs';

export interface Province { code: string; nameTh: string; nameEn: string }
export interface District { code: string; provinceCode: string; nameTh: string; nameEn: string; postalCode: string }
export interface Subdistrict { code: string; districtCode: string; provinceCode: string; nameTh: string; nameEn: string; postalCode: string }
export interface ResolvedAddress { province?: Province; district?: District; subdistrict?: Subdistrict }

export const BANGKOK_PROVINCE_CODE = '10';

interface RawProvince { provinceCode: number; provinceNameTh: string; provinceNameEn: string }
interface RawDistrict { provinceCode: number; districtCode: number; districtNameTh: string; districtNameEn: string; postalCode: number }
interface RawSubdistrict {
  provinceCode: number; districtCode: number; subdistrictCode: number;
  subdistrictNameTh: string; subdistrictNameEn: string; postalCode: number;
}

/**
 * English names that are wrong in the upstream data (checked against the Thai name and the
 * RTGS romanisation). Some districts carry a neighbour's name (5402 ร้องกวาง is listed as
 * "Mueang Phrae", which would put two "Mueang Phrae" in one province), and Bueng Kan's tambon
 * names are shifted between rows. Fixed here, by code, so the shipped JSON stays byte-identical
 * to upstream and can be refreshed.
 */
const EN_FIXES: Readonly<Record<string, string>> = {
  16: 'Lop Buri',
  1027: 'Bueng Kum', 1029: 'Bang Sue', 1049: 'Thung Khru',
  2409: 'Plaeng Yao', 3117: 'Non Suwan', 3801: 'Mueang Bueng Kan', 4106: 'Nong Han', 4705: 'Phang Khon',
  4904: 'Dong Luang', 5402: 'Rong Kwang', 7201: 'Mueang Suphan Buri', 8419: 'Wiphawadi', 8503: 'Kapoe',
  9001: 'Mueang Songkhla', 9603: 'Bacho',
  380101: 'Bueng Kan', 380102: 'Non Sombun', 380103: 'Non Sawang', 380104: 'Ho Kham', 380105: 'Nong Loeng',
  380106: 'Khok Kong', 380107: 'Na Sawan', 380108: 'Khai Si', 380109: 'Chai Phon',
  380401: 'Seka', 380402: 'Sang', 380403: 'Tha Kok Daeng', 380404: 'Ban Tong', 380405: 'Pong Hai', 380406: 'Nam Chan',
  380501: 'Pak Khat', 380502: 'Nong Yong', 380503: 'Na Kang', 380504: 'Non Sila',
  441106: 'Sang Saeng', 501805: 'Mae Long', 540204: 'Rong Khem', 540207: 'Thung Si', 840603: 'Lamet',
};

/** What people (and map services) actually write, beyond the official names. Search only. */
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  10: ['กทม', 'กทม.', 'กรุงเทพ', 'Krung Thep', 'Krung Thep Maha Nakhon', 'Krungthep Mahanakhon', 'BKK'],
  14: ['อยุธยา', 'Ayutthaya', 'Ayuthaya'],
  16: ['Loburi'],
  30: ['โคราช', 'Korat', 'Khorat'],
  1401: ['เมืองพระนครศรีอยุธยา', 'เมืองอยุธยา', 'Mueang Ayutthaya', 'Mueang Phra Nakhon Si Ayutthaya'],
  // upstream spellings we corrected that people may still type
  1029: ['Bang Su'], 1049: ['Thung Khu'], 2409: ['Pleang Yao'], 4705: ['Phanh Khon'],
  6014: ['Mae Poen'], 7201: ['Mueang Saphan Buri'], 9001: ['Muaeng Songkhla'],
};

const MUEANG_KEYS = new Set(['เมือง', 'mueang', 'muang', 'meuang', 'muaeng', 'mueng']);

const collator = new Intl.Collator('th');
const byThaiName = (a: { nameTh: string; code: string }, b: { nameTh: string; code: string }) =>
  collator.compare(a.nameTh, b.nameTh) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

function readData<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(`./data/${file}`, import.meta.url), 'utf8')) as T;
}

/** Thai text from phones sometimes has the decomposed sara am (nikhahit + sara aa) and zero-width spaces. */
function cleanThai(s: string): string {
  return s.normalize('NFC').replace(/\u0E4D\u0E32/g, '\u0E33').replace(/[\u200B-\u200D\uFEFF]/g, ' ');
}

/** Comparison key: case, spaces, punctuation and ฯ do not matter ("Lop Buri" = "lopburi"). */
function key(s: string): string {
  return cleanThai(s).toLowerCase().replace(/\u0E2F/g, '').replace(/[^\p{L}\p{M}\p{N}]/gu, '');
}

/** Looser Latin key for romanisation variants: Bueng/Bung, Phuket/Puket, Sue/Su, Muang/Mueang, Koh/Ko. */
function looseKey(k: string): string {
  return k.replace(/([kpt])h/g, '$1').replace(/oh(?![aeiou])/g, 'o').replace(/ue|eu/g, 'u').replace(/oo/g, 'u').replace(/ee/g, 'i').replace(/(.)\1+/g, '$1');
}

const isLatin = (k: string) => /[a-z]/.test(k);

// ---------------------------------------------------------------------------------------------
// Provinces and districts (small, loaded together on first use)

interface Searchable<T> { item: T; keys: string[]; aliasKeys: string[]; looseKeys: string[] }

interface Core {
  provinces: Province[];
  provinceByCode: Map<string, Province>;
  districtByCode: Map<string, District>;
  districtsByProvince: Map<string, District[]>;
  provinceSearch: Searchable<Province>[];
  districtSearchByProvince: Map<string, Searchable<District>[]>;
}

function searchable<T extends { code: string; nameTh: string; nameEn: string }>(item: T): Searchable<T> {
  const keys = [key(item.nameTh), key(item.nameEn)];
  const aliasKeys = (ALIASES[item.code] ?? []).map(key);
  const looseKeys = [keys[1], ...aliasKeys.filter(isLatin)].map(looseKey);
  return { item, keys, aliasKeys, looseKeys };
}

let coreData: Core | undefined;

function core(): Core {
  if (coreData) return coreData;
  const rawProvinces = readData<RawProvince[]>('provinces.json');
  const rawDistricts = readData<RawDistrict[]>('districts.json');

  const provinceByCode = new Map<string, Province>();
  const provinceSearch: Searchable<Province>[] = [];
  for (const r of rawProvinces) {
    const code = String(r.provinceCode);
    const p: Province = Object.freeze({ code, nameTh: r.provinceNameTh.trim(), nameEn: EN_FIXES[code] ?? r.provinceNameEn.trim() });
    provinceByCode.set(code, p);
    provinceSearch.push(searchable(p));
  }
  const districtByCode = new Map<string, District>();
  const districtsByProvince = new Map<string, District[]>();
  const districtSearchByProvince = new Map<string, Searchable<District>[]>();
  for (const r of rawDistricts) {
    const code = String(r.districtCode);
    const provinceCode = String(r.provinceCode);
    const d: District = Object.freeze({
      code, provinceCode, nameTh: r.districtNameTh.trim(), nameEn: EN_FIXES[code] ?? r.districtNameEn.trim(), postalCode: String(r.postalCode),
    });
    districtByCode.set(code, d);
    push(districtsByProvince, provinceCode, d);
    push(districtSearchByProvince, provinceCode, searchable(d));
  }
  for (const list of districtsByProvince.values()) list.sort(byThaiName);
  const provinces = [...provinceByCode.values()].sort(byThaiName);
  coreData = { provinces, provinceByCode, districtByCode, districtsByProvince, provinceSearch, districtSearchByProvince };
  return coreData;
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v); else map.set(k, [v]);
}

export function provinces(): Province[] {
  return core().provinces.slice();
}

export function province(code: string): Province | undefined {
  return core().provinceByCode.get(String(code).trim());
}

export function districtsOf(provinceCode: string): District[] {
  return (core().districtsByProvince.get(String(provinceCode).trim()) ?? []).slice();
}

export function district(code: string): District | undefined {
  return core().districtByCode.get(String(code).trim());
}

/**
 * The capital district (อำเภอเมือง). Its DOPA code is always the province code + "01"; the name
 * does not always say เมือง (Ayutthaya's is อำเภอพระนครศรีอยุธยา). Bangkok has none: 1001 is a khet.
 */
export function mueangDistrictOf(provinceCode: string): District | undefined {
  if (provinceCode === BANGKOK_PROVINCE_CODE) return undefined;
  return core().districtByCode.get(`${provinceCode}01`);
}

// ---------------------------------------------------------------------------------------------
// Subdistricts (1.6 MB, loaded only when something asks for them)

interface SubData {
  byCode: Map<string, Subdistrict>;
  byDistrict: Map<string, Subdistrict[]>;
  searchByDistrict: Map<string, Searchable<Subdistrict>[]>;
}

let subData: SubData | undefined;

function subs(): SubData {
  if (subData) return subData;
  const raw = readData<RawSubdistrict[]>('subdistricts.json');
  const byCode = new Map<string, Subdistrict>();
  const byDistrict = new Map<string, Subdistrict[]>();
  const searchByDistrict = new Map<string, Searchable<Subdistrict>[]>();
  for (const r of raw) {
    const code = String(r.subdistrictCode);
    const s: Subdistrict = Object.freeze({
      code, districtCode: String(r.districtCode), provinceCode: String(r.provinceCode),
      nameTh: r.subdistrictNameTh.trim(), nameEn: EN_FIXES[code] ?? r.subdistrictNameEn.trim(), postalCode: String(r.postalCode),
    });
    byCode.set(code, s);
    push(byDistrict, s.districtCode, s);
    push(searchByDistrict, s.districtCode, searchable(s));
  }
  for (const list of byDistrict.values()) list.sort(byThaiName);
  subData = { byCode, byDistrict, searchByDistrict };
  return subData;
}

/** True once subdistricts.json has been parsed (for tests and start-up diagnostics). */
export function isSubdistrictDataLoaded(): boolean {
  return subData !== undefined;
}

export function subdistrictsOf(districtCode: string): Subdistrict[] {
  return (subs().byDistrict.get(String(districtCode).trim()) ?? []).slice();
}

export function subdistrict(code: string): Subdistrict | undefined {
  return subs().byCode.get(String(code).trim());
}

// ---------------------------------------------------------------------------------------------
// Search boxes

function stripAffixes(query: string, affixes: readonly RegExp[]): string {
  let q = cleanThai(query).trim();
  for (let changed = true; changed;) {
    changed = false;
    for (const re of affixes) {
      const next = q.replace(re, '').trim();
      if (next !== q && next !== '') { q = next; changed = true; }
    }
  }
  return q;
}

// "จ" alone is only a prefix with a dot or space after it: จันทบุรี starts with จ.
const PROVINCE_AFFIXES = [/^จังหวัด/, /^จ\.\s*/, /^จ\s+/, /^chang\s*wat\s+/i, /^province\s+of\s+/i, /\s+province$/i];
const DISTRICT_AFFIXES = [/^กิ่งอำเภอ/, /^อำเภอ/, /^อ\.\s*/, /^อ\s+/, /^เขต/, /^king\s+amphoe\s+/i, /^amphoe\s*/i, /^khet\s+/i, /^district\s+(of\s+)?/i, /\s+district$/i];
const SUBDISTRICT_AFFIXES = [/^ตำบล/, /^ต\.\s*/, /^ต\s+/, /^แขวง/, /^tambon\s+/i, /^khwaeng\s+/i, /\s+sub-?\s?district$/i];

/** Exact first, then prefix, then contains; Thai order within each group. */
function rank<T extends { code: string; nameTh: string }>(entries: readonly Searchable<T>[], k: string, exact: readonly T[] = []): T[] {
  if (!k) return exact.slice();
  const lk = isLatin(k) ? looseKey(k) : undefined;
  const scored: { item: T; r: number }[] = exact.map((item) => ({ item, r: -1 }));
  const seen = new Set(exact.map((e) => e.code));
  for (const e of entries) {
    if (seen.has(e.item.code)) continue;
    let r = -1;
    if (e.keys.includes(k) || e.aliasKeys.includes(k) || (lk !== undefined && e.looseKeys.includes(lk))) r = 0;
    else if (e.keys.some((x) => x.startsWith(k)) || e.aliasKeys.some((x) => x.startsWith(k))) r = 1;
    else if (k.length >= 2 && e.keys.some((x) => x.includes(k))) r = 2;
    if (r >= 0) scored.push({ item: e.item, r });
  }
  return scored.sort((a, b) => a.r - b.r || byThaiName(a.item, b.item)).map((s) => s.item);
}

export function findProvinces(query: string): Province[] {
  return rank(core().provinceSearch, key(stripAffixes(query ?? '', PROVINCE_AFFIXES)));
}

export function findDistricts(provinceCode: string, query: string): District[] {
  const pc = String(provinceCode).trim();
  const entries = core().districtSearchByProvince.get(pc);
  if (!entries) return [];
  const k = key(stripAffixes(query ?? '', DISTRICT_AFFIXES));
  if (!k) return [];
  const mueang = MUEANG_KEYS.has(k) ? mueangDistrictOf(pc) : undefined;
  return rank(entries, k, mueang ? [mueang] : []);
}

export function findSubdistricts(districtCode: string, query: string): Subdistrict[] {
  const entries = subs().searchByDistrict.get(String(districtCode).trim());
  if (!entries) return [];
  return rank(entries, key(stripAffixes(query ?? '', SUBDISTRICT_AFFIXES)));
}

// ---------------------------------------------------------------------------------------------
// Free-text addresses (LINE location messages, typed addresses)
//
// The text is cut into mentions: a known name, with the level its marker says (ตำบล/อำเภอ/จังหวัด,
// "District", ...) and how sure we are it is a name at all (marked > a whole token/segment >
// a few words inside a longer segment). Names repeat across the country (เฉลิมพระเกียรติ is in
// five provinces; เชียงใหม่ is also a tambon in Roi Et), so nothing is decided per mention: the
// province is chosen by all evidence together, then the district only among that province's
// districts, then the subdistrict only within that district. The postcode only adds weight to
// candidates that names already support; it never creates one, because postcodes cross
// province lines (10270 is Samut Prakan, not Bangkok).

type Level = 'province' | 'district' | 'subdistrict';
type Strength = 1 | 2 | 3;

interface Place { level: Level; code: string; provinceCode: string; districtCode?: string }

interface Mention {
  pos: number;
  strength: Strength;
  /** The level a marker asked for; null when the text only had the name. */
  hint: Level | null;
  places: Place[];
  /** "เมือง" / "Mueang" on its own: the capital district of whatever province wins. */
  mueang: boolean;
}

interface AddressIndex {
  thai: Map<string, Place[]>;
  thaiMaxLen: number;
  latin: Map<string, Place[]>;
  latinLoose: Map<string, Place[]>;
  postal: Map<string, string[]>;
}

let addressIndex: AddressIndex | undefined;

function buildAddressIndex(): AddressIndex {
  const { provinceByCode, districtByCode } = core();
  const { byCode } = subs();
  const thai = new Map<string, Place[]>();
  const latin = new Map<string, Place[]>();
  const latinLoose = new Map<string, Place[]>();
  const postal = new Map<string, string[]>();
  const add = (place: Place, names: string[]) => {
    for (const name of names) {
      const t = cleanThai(name).replace(/\u0E2F/g, '').trim();
      if (/[\u0E00-\u0E7F]/.test(t)) push(thai, t, place);
      else {
        const k = key(name);
        if (!k) continue;
        push(latin, k, place);
        push(latinLoose, looseKey(k), place);
      }
    }
  };
  for (const p of provinceByCode.values()) {
    add({ level: 'province', code: p.code, provinceCode: p.code }, [p.nameTh, p.nameEn, ...(ALIASES[p.code] ?? [])]);
  }
  for (const d of districtByCode.values()) {
    add({ level: 'district', code: d.code, provinceCode: d.provinceCode }, [d.nameTh, d.nameEn, ...(ALIASES[d.code] ?? [])]);
  }
  for (const s of byCode.values()) {
    add({ level: 'subdistrict', code: s.code, provinceCode: s.provinceCode, districtCode: s.districtCode }, [s.nameTh, s.nameEn]);
    push(postal, s.postalCode, s.code);
  }
  let thaiMaxLen = 0;
  for (const k of thai.keys()) thaiMaxLen = Math.max(thaiMaxLen, k.length);
  return { thai, thaiMaxLen, latin, latinLoose, postal };
}

type MarkerKind = Level | 'skip';

/** Longest first. 'skip' markers introduce roads, sois and villages, whose names are not areas. */
const THAI_MARKERS: readonly (readonly [string, MarkerKind])[] = [
  ['กิ่งอำเภอ', 'district'], ['อำเภอ', 'district'], ['จังหวัด', 'province'], ['ตำบล', 'subdistrict'],
  ['แขวง', 'subdistrict'], ['เขต', 'district'], ['ต.', 'subdistrict'], ['อ.', 'district'], ['จ.', 'province'],
  ['บ้านเลขที่', 'skip'], ['หมู่บ้าน', 'skip'], ['หมู่ที่', 'skip'], ['เลขที่', 'skip'], ['ถนน', 'skip'], ['ซอย', 'skip'],
  ['ตรอก', 'skip'], ['หมู่', 'skip'], ['ถ.', 'skip'], ['ซ.', 'skip'], ['ม.', 'skip'],
];
const ADMIN_MARKERS = THAI_MARKERS.filter(([, kind]) => kind !== 'skip');

function markerAt(t: string, i: number, markers = THAI_MARKERS): readonly [string, MarkerKind] | undefined {
  return markers.find(([m]) => t.startsWith(m, i));
}

function nextAdminMarker(t: string, from: number): number {
  let best = -1;
  for (const [m] of ADMIN_MARKERS) {
    const j = t.indexOf(m, from);
    if (j >= 0 && (best < 0 || j < best)) best = j;
  }
  return best;
}

function scanThai(text: string, idx: AddressIndex): Mention[] {
  const mentions: Mention[] = [];
  const tokenRe = /[^\s,;:()[\]{}"'“”‘’<>|]+/g;
  let carried: MarkerKind | null = null;
  for (let m = tokenRe.exec(text); m; m = tokenRe.exec(text)) {
    const t = m[0];
    if (!/[\u0E00-\u0E7F]/.test(t)) { carried = null; continue; }
    if (carried === 'skip') { carried = null; continue; }
    // A name may end the token or run straight into the next marker ("ต.ช้างเผือกอ.เมือง...").
    const endsWell = (j: number) => j === t.length || markerAt(t, j) !== undefined;
    const nameAt = (i: number, level: Level | null, whole: boolean): { end: number; places: Place[] } | undefined => {
      for (let len = Math.min(idx.thaiMaxLen, t.length - i); len > 0; len--) {
        const end = i + len;
        if (whole ? end !== t.length : !endsWell(end)) continue;
        const places = (idx.thai.get(t.slice(i, end)) ?? []).filter((p) => level === null || p.level === level);
        if (places.length) return { end, places };
      }
      return undefined;
    };
    let hint: MarkerKind | null = carried;
    carried = null;
    let i = 0;
    let atBoundary = true;
    while (i < t.length) {
      if (hint !== null && hint !== 'skip') {
        const found = nameAt(i, hint, false);
        if (found) {
          mentions.push({ pos: m.index + i, strength: 3, hint, places: found.places, mueang: false });
          i = found.end; hint = null; atBoundary = true;
          continue;
        }
        if (hint === 'district' && t.startsWith('เมือง', i) && endsWell(i + 5)) {
          mentions.push({ pos: m.index + i, strength: 3, hint, places: [], mueang: true });
          i += 5; hint = null; atBoundary = true;
          continue;
        }
      }
      const marker = markerAt(t, i);
      if (marker) { hint = marker[1]; i += marker[0].length; atBoundary = true; continue; }
      if (hint === 'skip') break;
      if (hint === null && atBoundary) {
        const found = nameAt(i, null, true);
        if (found) { mentions.push({ pos: m.index + i, strength: 2, hint: null, places: found.places, mueang: false }); break; }
        if (t.slice(i) === 'เมือง') { mentions.push({ pos: m.index + i, strength: 2, hint: null, places: [], mueang: true }); break; }
      }
      // Unknown text (a place name such as ศาลากลาง): resume at the next marker inside the token.
      const j = nextAdminMarker(t, i + 1);
      if (j < 0) break;
      i = j; hint = null; atBoundary = true;
    }
    if (i >= t.length && hint !== null) carried = hint; // the marker stood alone: "อ. เมือง"
  }
  return mentions;
}

const LATIN_PREFIXES: readonly (readonly [RegExp, Level])[] = [
  [/^(tambon|khwaeng)\s+/i, 'subdistrict'],
  [/^(king\s+amphoe|amphoe|khet)\s+/i, 'district'],
  [/^(changwat|chang\s+wat)\s+/i, 'province'],
];
const LATIN_SUFFIXES: readonly (readonly [RegExp, Level])[] = [
  [/\s+sub-?\s?district$/i, 'subdistrict'],
  [/\s+district$/i, 'district'],
  [/\s+province$/i, 'province'],
];
const MAX_NAME_WORDS = 6;

function scanLatin(text: string, idx: AddressIndex): Mention[] {
  const mentions: Mention[] = [];
  const segRe = /[^,;\n]+/g;
  for (let m = segRe.exec(text); m; m = segRe.exec(text)) {
    let seg = m[0].replace(/[\u0E00-\u0E7F]+/g, ' ').replace(/\d+/g, ' ').replace(/\s+/g, ' ').trim();
    if (!/[a-z]/i.test(seg)) continue;
    let hint: Level | null = null;
    for (const [re, level] of [...LATIN_PREFIXES, ...LATIN_SUFFIXES]) {
      if (re.test(seg)) { hint = level; seg = seg.replace(re, '').trim(); break; }
    }
    const words = seg.split(' ').map(key).filter(Boolean);
    const wholeKey = words.join('');
    if (MUEANG_KEYS.has(wholeKey) && hint !== 'province' && hint !== 'subdistrict') {
      mentions.push({ pos: m.index, strength: hint ? 3 : 2, hint, places: [], mueang: true });
      continue;
    }
    // Longest run of words that is a name; a match spanning the whole segment is much stronger.
    for (let i = 0; i < words.length;) {
      let hit: { j: number; places: Place[] } | undefined;
      for (let j = Math.min(words.length, i + MAX_NAME_WORDS); j > i && !hit; j--) {
        const k = words.slice(i, j).join('');
        const places = idx.latin.get(k) ?? idx.latinLoose.get(looseKey(k));
        if (places) hit = { j, places };
      }
      if (!hit) { i++; continue; }
      const whole = i === 0 && hit.j === words.length;
      const places = whole && hint ? hit.places.filter((p) => p.level === hint) : hit.places;
      if (places.length) {
        mentions.push({ pos: m.index + i, strength: whole ? (hint ? 3 : 2) : 1, hint: whole ? hint : null, places, mueang: false });
      }
      i = hit.j;
    }
  }
  return mentions;
}

/** Weight of a mention, by the level it is used at (rows) and how sure the mention is (index = strength). */
const WEIGHT_FOR_PROVINCE: Readonly<Record<Level, readonly number[]>> = {
  province: [0, 2, 6, 10], district: [0, 1, 3, 4], subdistrict: [0, 0.5, 1, 2],
};
const WEIGHT_FOR_DISTRICT: Readonly<Record<'district' | 'subdistrict', readonly number[]>> = {
  district: [0, 1, 3, 4], subdistrict: [0, 0.5, 1, 2],
};
const WEIGHT_FOR_SUBDISTRICT = [0, 1, 3, 4];

/** The single best candidate, or none when two candidates are equally good or the best is too weak. */
function winner(scores: Map<string, number>, min: number): string | undefined {
  let best: string | undefined;
  let bestScore = -Infinity;
  let second = -Infinity;
  for (const [code, s] of scores) {
    if (s > bestScore) { second = bestScore; bestScore = s; best = code; } else if (s > second) second = s;
  }
  return best !== undefined && bestScore >= min && bestScore > second ? best : undefined;
}

/**
 * Mentions used up by the chosen area, so "Chai Nat" or "Hang Dong" is not read again as the
 * tambon of the same name. Everything marked for that level goes; of the unmarked ones only the
 * last, and only if it is not before the marked ones: addresses run tambon → amphoe → province,
 * so an earlier unmarked repeat ("Hang Dong, Hang Dong District") is the tambon.
 */
function consume(mentions: Mention[], level: Level, matches: (m: Mention) => boolean): Set<Mention> {
  const marked = mentions.filter((m) => m.hint === level && matches(m));
  const unmarked = mentions.filter((m) => m.hint === null && matches(m));
  const used = new Set(marked);
  const last = unmarked.at(-1);
  if (last && (marked.length === 0 || last.pos > Math.min(...marked.map((m) => m.pos)))) used.add(last);
  return used;
}

function postalCodes(text: string, idx: AddressIndex): string[] {
  return [...text.matchAll(/(?<!\d)\d{5}(?!\d)/g)].map((m) => m[0]).filter((c) => idx.postal.has(c));
}

function postalIn(codes: string[], areaCode: string, idx: AddressIndex): boolean {
  return codes.some((c) => idx.postal.get(c)!.some((s) => s.startsWith(areaCode)));
}

export function resolveAddress(address: string): ResolvedAddress {
  if (typeof address !== 'string') return {};
  // Addresses are short; the cap only keeps a pasted essay from costing real time.
  const text = cleanThai(address.slice(0, 2000))
    .replace(/[๐-๙]/g, (d) => String(d.charCodeAt(0) - 0x0E50))
    .replace(/\u0E2F/g, '')
    .replace(/ประเทศไทย|\bthailand\b/gi, ' ');
  if (!text.trim()) return {};
  addressIndex ??= buildAddressIndex();
  const idx = addressIndex;
  const mentions = [...scanThai(text, idx), ...scanLatin(text, idx)].sort((x, y) => x.pos - y.pos);
  if (mentions.length === 0) return {};
  const postals = postalCodes(text, idx);
  const { provinceByCode, districtByCode } = core();

  // 1. Province: all evidence, from every level.
  const provinceScores = new Map<string, number>();
  for (const m of mentions) {
    const best = new Map<string, number>();
    for (const p of m.places) {
      const w = WEIGHT_FOR_PROVINCE[p.level][m.strength];
      if (w > (best.get(p.provinceCode) ?? 0)) best.set(p.provinceCode, w);
    }
    for (const [pc, w] of best) provinceScores.set(pc, (provinceScores.get(pc) ?? 0) + w);
  }
  for (const [pc, s] of provinceScores) if (postalIn(postals, pc, idx)) provinceScores.set(pc, s + 3);
  const pc = winner(provinceScores, 3);
  if (!pc) return {};
  const result: ResolvedAddress = { province: provinceByCode.get(pc) };

  // 2. District, only among that province's districts.
  const isProvinceP = (m: Mention) => m.places.some((p) => p.level === 'province' && p.code === pc);
  const usedByProvince = consume(mentions, 'province', isProvinceP);
  const left = mentions.filter((m) => !usedByProvince.has(m));
  const mueang = mueangDistrictOf(pc);
  const districtOf = (p: Place): string | undefined =>
    p.provinceCode !== pc ? undefined : p.level === 'district' ? p.code : p.level === 'subdistrict' ? p.districtCode : undefined;
  const districtScores = new Map<string, number>();
  for (const m of left) {
    if (m.hint === 'province') continue;
    const best = new Map<string, number>();
    if (m.mueang && mueang && m.hint !== 'subdistrict') best.set(mueang.code, WEIGHT_FOR_DISTRICT.district[m.strength]);
    for (const p of m.places) {
      const dc = districtOf(p);
      if (!dc || p.level === 'province') continue;
      const w = WEIGHT_FOR_DISTRICT[p.level][m.strength];
      if (w > (best.get(dc) ?? 0)) best.set(dc, w);
    }
    for (const [dc, w] of best) districtScores.set(dc, (districtScores.get(dc) ?? 0) + w);
  }
  for (const [dc, s] of districtScores) if (postalIn(postals, dc, idx)) districtScores.set(dc, s + 2);
  const dc = winner(districtScores, 2);
  if (!dc) return result;
  result.district = districtByCode.get(dc);

  // 3. Subdistrict, only within that district.
  const isDistrictD = (m: Mention) =>
    (m.mueang && mueang?.code === dc) || m.places.some((p) => p.level === 'district' && p.code === dc);
  const usedByDistrict = consume(left, 'district', isDistrictD);
  const subScores = new Map<string, number>();
  for (const m of left) {
    if (usedByDistrict.has(m) || (m.hint !== null && m.hint !== 'subdistrict')) continue;
    for (const p of m.places) {
      if (p.level !== 'subdistrict' || p.districtCode !== dc) continue;
      subScores.set(p.code, (subScores.get(p.code) ?? 0) + WEIGHT_FOR_SUBDISTRICT[m.strength]);
    }
  }
  const { byCode } = subs();
  for (const [sc, s] of subScores) if (postals.includes(byCode.get(sc)!.postalCode)) subScores.set(sc, s + 2);
  const sc = winner(subScores, 3);
  if (sc) result.subdistrict = byCode.get(sc);
  return result;
}
