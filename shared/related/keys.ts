/**
 * Where an OPEN case can be found by place and problem, as index keys: FerretDB answers only
 * equalities on top-level fields from an index (tests/hotpath.test.ts), so "open cases of this or a
 * related problem near this pin" becomes ONE equality on `relKeys`, an array of strings each open
 * case's entry in the search's index carries (openIndex.ts; FerretDB/PostgreSQL pushes
 * `{ relKeys: "x" }` down as `_jsonb -> 'relKeys' @> '"x"'`, which its GIN index answers; MongoDB's
 * multikey index likewise). Only open cases have an entry (the case write drops it when a case closes
 * and writes it again when it reopens), so a query reads the open cases of one small area, however
 * many closed cases the area has had.
 *
 * A key is `<place>|<tag>`:
 * - place: `g:<cell>` for each of the 9 grid cells around the case's pin (so a probe queries only its
 *   own cell), `sp:<subdistrict>` for a pinned case and `s:<subdistrict>` for a pinless one;
 * - tag: the problem a probe asks with. A case of type T is tagged T and every type related to T
 *   (types.ts), so a probe of type P finds the same and the related problems with the one tag P;
 *   `c:<category>` for probes without a type; a case without a type (from before the types) is tagged
 *   with every type of its category.
 */
import { isOpenStatus } from '../categories.ts';
import { PROBLEM_TYPES } from '../problems/types.ts';
import { relatedTypesOf } from './types.ts';

/**
 * Cell size in degrees: 0.005° is about 555 m of latitude and 530 m (Chiang Mai, 18.8°N) to 545 m
 * (Bangkok, 13.7°N) of longitude in Thailand. A probe's own cell and its 8 neighbours hold every pin
 * within one cell width of it, so a radius up to 500 m is always covered.
 */
export const CELL_DEG = 0.005;

export function cellOf(lat: number, lng: number): string {
  return `${Math.floor(lat / CELL_DEG)}:${Math.floor(lng / CELL_DEG)}`;
}

/** The cell and the 8 around it. */
export function neighbourCells(lat: number, lng: number): string[] {
  const y = Math.floor(lat / CELL_DEG), x = Math.floor(lng / CELL_DEG);
  const out: string[] = [];
  for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) out.push(`${y + dy}:${x + dx}`);
  return out;
}

const validPin = (lat: unknown, lng: unknown): lat is number => typeof lat === 'number' && typeof lng === 'number'
  && Number.isFinite(lat) && Number.isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180;

export interface KeyedCase {
  status: string;
  problemType?: string | null;
  category?: string | null;
  location?: { subdistrictCode?: string | null; lat?: number | null; lng?: number | null } | null;
}

/** The tag a probe asks with: its type, or its category when it has none. */
export function probeTag(p: { problemType?: string | null; category: string }): string {
  return p.problemType || `c:${p.category}`;
}

/** The tags a case answers to (see the module comment). */
function caseTags(c: KeyedCase): string[] {
  const tags = new Set<string>();
  if (c.category) tags.add(`c:${c.category}`);
  if (c.problemType) {
    tags.add(c.problemType);
    for (const r of relatedTypesOf(c.problemType)) tags.add(r);
  } else if (c.category) {
    for (const t of PROBLEM_TYPES) if (t.category === c.category) tags.add(t.code);
  }
  return [...tags];
}

/** The keys a case's entry carries given its status, type and place (none for a closed one). */
export function relatedKeysFor(c: KeyedCase): string[] {
  if (!isOpenStatus(c.status)) return [];
  const loc = c.location ?? {};
  const tags = caseTags(c);
  const places: string[] = [];
  if (validPin(loc.lat, loc.lng)) {
    for (const cell of neighbourCells(loc.lat, loc.lng as number)) places.push(`g:${cell}`);
    if (loc.subdistrictCode) places.push(`sp:${loc.subdistrictCode}`);
  } else if (loc.subdistrictCode) {
    places.push(`s:${loc.subdistrictCode}`);
  }
  if (!places.length || !tags.length) return [];
  return places.flatMap((p) => tags.map((t) => `${p}|${t}`));
}

/** The keys a probe queries, one equality each: with a pin its cell and the pinless cases of its subdistrict; without, its subdistrict. */
export function probeKeys(p: { problemType?: string | null; category: string; location: { subdistrictCode?: string | null; lat?: number | null; lng?: number | null } }): string[] {
  const tag = probeTag(p);
  const loc = p.location;
  const out: string[] = [];
  if (validPin(loc.lat, loc.lng)) out.push(`g:${cellOf(loc.lat, loc.lng as number)}|${tag}`);
  if (loc.subdistrictCode) {
    out.push(`s:${loc.subdistrictCode}|${tag}`);
    if (!validPin(loc.lat, loc.lng)) out.push(`sp:${loc.subdistrictCode}|${tag}`);
  }
  return out;
}

