/**
 * Where an OPEN case can be found by place, as top-level scalar keys: FerretDB answers only equalities
 * on top-level fields from an index (tests/hotpath.test.ts), so "cases near this pin" becomes a few
 * equality queries on a grid cell instead of a range or geo query. Only open cases carry the keys
 * (writeCaseChange drops them when a case closes and puts them back when it reopens), so a query
 * reads the open cases of one small area, however many closed cases the area has had.
 */
import { isOpenStatus } from '../categories.ts';

/**
 * Cell size in degrees: 0.005° is about 555 m of latitude and 530 m (Chiang Mai, 18.8°N) to 545 m
 * (Bangkok, 13.7°N) of longitude in Thailand. A probe's own cell and its 8 neighbours hold every pin
 * within one cell width of it, so a radius up to 500 m is always covered.
 */
export const CELL_DEG = 0.005;

export function cellOf(lat: number, lng: number): string {
  return `${Math.floor(lat / CELL_DEG)}:${Math.floor(lng / CELL_DEG)}`;
}

/** The probe's cell and the 8 around it. */
export function neighbourCells(lat: number, lng: number): string[] {
  const y = Math.floor(lat / CELL_DEG), x = Math.floor(lng / CELL_DEG);
  const out: string[] = [];
  for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) out.push(`${y + dy}:${x + dx}`);
  return out;
}

const validPin = (lat: unknown, lng: unknown): lat is number => typeof lat === 'number' && typeof lng === 'number'
  && Number.isFinite(lat) && Number.isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180;

export interface RelatedKeys {
  /** Grid cell of the pin (cellOf), or `s:<subdistrict>` without a pin; while the case is open. */
  relCell?: string;
  /** Subdistrict code, while the case is open. */
  relSub?: string;
}

/** The keys a case should carry given its status and location (empty for a closed one). */
export function relatedKeysFor(c: { status: string; location?: { subdistrictCode?: string | null; lat?: number | null; lng?: number | null } | null }): RelatedKeys {
  if (!isOpenStatus(c.status)) return {};
  const loc = c.location ?? {};
  const out: RelatedKeys = {};
  if (validPin(loc.lat, loc.lng)) out.relCell = cellOf(loc.lat, loc.lng as number);
  // Pinless cases sit in a cell of their own per subdistrict, which a probe with a pin also reads.
  else if (loc.subdistrictCode) out.relCell = `s:${loc.subdistrictCode}`;
  if (loc.subdistrictCode) out.relSub = loc.subdistrictCode;
  return out;
}

/**
 * The `$set`/`$unset` that bring a case's keys in line with a change of status (what writeCaseChange
 * adds to any change that sets `status`).
 */
export function relatedKeysChange(c: { location?: { subdistrictCode?: string | null; lat?: number | null; lng?: number | null } | null }, status: string): { set: RelatedKeys; unset: (keyof RelatedKeys)[] } {
  const keys = relatedKeysFor({ status, location: c.location });
  const unset = (['relCell', 'relSub'] as const).filter((k) => keys[k] === undefined);
  return { set: keys, unset: [...unset] };
}
