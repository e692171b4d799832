/**
 * The partner agencies routing chooses from: every unit of level 'partner' with the fields the CSV
 * import stores. There are a few dozen per province at most, so intake reads them all by one indexed
 * equality (`level`) and keeps them for a short while rather than asking the database on every case.
 */
import type { Models } from '../models/index.ts';

export const AGENCY_TYPES = ['local_admin', 'utility', 'police', 'provincial_office', 'other'] as const;
export type AgencyType = typeof AGENCY_TYPES[number];
export const AGENCY_RECEIVES = ['line', 'api'] as const;
export type AgencyReceives = typeof AGENCY_RECEIVES[number];

export interface Agency {
  code: string;
  nameTh: string;
  nameEn: string;
  agencyType: AgencyType;
  /** The Damrongdhama centre that supervises the hand-off (the unit's parentCode). */
  supervisorCode: string;
  provinceCodes: string[];
  districtCodes: string[];
  subdistrictCodes: string[];
  problemTypes: string[];
  receives: AgencyReceives;
}

/** How long a process trusts its copy: an import elsewhere is seen within this time. */
const TTL_MS = 30_000;
const cache = new WeakMap<object, { at: number; agencies: Promise<Agency[]> }>();

type UnitLike = {
  _id: unknown; nameTh: string; nameEn: string; parentCode?: string | null; agencyType?: string | null; receives?: string | null;
  serviceArea?: { provinceCodes?: string[] | null; districtCodes?: string[] | null; subdistrictCodes?: string[] | null } | null;
  problemTypes?: string[] | null;
};

export function agencyOf(u: UnitLike): Agency {
  return {
    code: String(u._id),
    nameTh: u.nameTh,
    nameEn: u.nameEn,
    agencyType: (u.agencyType ?? 'other') as AgencyType,
    supervisorCode: u.parentCode ?? '',
    provinceCodes: [...(u.serviceArea?.provinceCodes ?? [])],
    districtCodes: [...(u.serviceArea?.districtCodes ?? [])],
    subdistrictCodes: [...(u.serviceArea?.subdistrictCodes ?? [])],
    problemTypes: [...(u.problemTypes ?? [])],
    receives: (u.receives ?? 'line') as AgencyReceives,
  };
}

/** Every partner agency, in code order (the routing tie-break), from a copy at most TTL_MS old. */
export function partnerAgencies(models: Pick<Models, 'Unit'>, now = Date.now()): Promise<Agency[]> {
  const hit = cache.get(models.Unit);
  if (hit && now - hit.at < TTL_MS) return hit.agencies;
  const agencies = models.Unit.find({ level: 'partner' }).lean<UnitLike[]>()
    .then((rows) => rows.map(agencyOf).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)));
  // A failed read is not remembered: the next case asks again.
  agencies.catch(() => cache.delete(models.Unit));
  cache.set(models.Unit, { at: now, agencies });
  return agencies;
}

/** After an import in this process: the next case sees the new agencies at once. */
export function forgetAgencies(models: Pick<Models, 'Unit'>): void {
  cache.delete(models.Unit);
}
