import type { Agency } from '../agencies/directory.ts';
import { subjectCategory } from '../categories.ts';
import { problemType } from '../problems/types.ts';
import { MINISTRY_UNIT_CODE } from '../units/catalog.ts';

export interface CaseArea {
  provinceCode?: string;
  districtCode?: string;
  subdistrictCode?: string;
}

/** The unit one level up in the fixed tree: district centre → provincial centre → ministry centre (agencies: see unitLadder). */
export function parentUnitCode(code: string): string {
  if (/^\d{4}$/.test(code)) return code.slice(0, 2);
  return MINISTRY_UNIT_CODE;
}

/** The centre of the area: its district centre, or the provincial centre (Bangkok's khet have no centre of their own). */
export function areaUnitCode(area: CaseArea): string {
  if (area.districtCode && /^\d{4}$/.test(area.districtCode) && !area.districtCode.startsWith('10')) return area.districtCode;
  if (area.provinceCode && /^\d{2}$/.test(area.provinceCode)) return area.provinceCode;
  return MINISTRY_UNIT_CODE;
}

/**
 * How closely an agency's service area fits the place: 3 for a listed subdistrict, 2 a district, 1 a
 * province, 0 not served. An agency's area is its most specific list (a municipality listing three
 * tambon serves those three, not the whole amphoe its district list names).
 */
export function areaFit(agency: Pick<Agency, 'provinceCodes' | 'districtCodes' | 'subdistrictCodes'>, area: CaseArea): number {
  if (agency.subdistrictCodes.length) return area.subdistrictCode && agency.subdistrictCodes.includes(String(area.subdistrictCode)) ? 3 : 0;
  if (agency.districtCodes.length) return area.districtCode && agency.districtCodes.includes(String(area.districtCode)) ? 2 : 0;
  return area.provinceCode && agency.provinceCodes.includes(String(area.provinceCode)) ? 1 : 0;
}

/** The agency that fixes this type of problem at this place: the most specific area wins; ties go to the lowest code. */
export function responsibleAgency(agencies: readonly Agency[], type: string, area: CaseArea): Agency | undefined {
  let best: Agency | undefined;
  let bestFit = 0;
  for (const a of agencies) {
    if (!a.problemTypes.includes(type)) continue;
    const fit = areaFit(a, area);
    if (fit > bestFit || (fit === bestFit && fit > 0 && best && a.code < best.code)) { best = a; bestFit = fit; }
  }
  return best;
}

export interface Route {
  unitCode: string;
  concernedUnitCode?: string;
  /** `suggest` types: the agency the centre is offered as a one-tap forward. */
  suggestedUnitCode?: string;
}

/**
 * Where a new case goes. Complaints against officials go to the parent of the unit concerned,
 * never to that unit (nobody investigates a complaint about themselves), and never to an agency.
 * Otherwise, when a partner agency serves the place and fixes the problem type: a `direct` type
 * opens at the agency (its supervising centre is copied and keeps watching), a `suggest` type at
 * the centre with the agency offered. With no agency, the centre of the area.
 */
export function routeCase(input: { category: string; problemType?: string | null; area: CaseArea }, agencies: readonly Agency[] = []): Route {
  const local = areaUnitCode(input.area);
  const type = problemType(input.problemType);
  if (subjectCategory(input.category)?.againstOfficials || (type && subjectCategory(type.category)?.againstOfficials)) {
    return { unitCode: local === MINISTRY_UNIT_CODE ? MINISTRY_UNIT_CODE : parentUnitCode(local), concernedUnitCode: local };
  }
  const agency = type && agencies.length ? responsibleAgency(agencies, type.code, input.area) : undefined;
  if (!type || !agency) return { unitCode: local };
  return type.routing === 'direct' ? { unitCode: agency.code } : { unitCode: local, suggestedUnitCode: agency.code };
}
