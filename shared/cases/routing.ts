import { subjectCategory } from '../categories.ts';
import { MINISTRY_UNIT_CODE } from '../units/catalog.ts';

export interface CaseArea {
  provinceCode?: string;
  districtCode?: string;
}

/** The unit one level up: district centre → provincial centre → ministry centre. */
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
 * Where a new case goes. Complaints against officials go to the parent of the unit concerned,
 * never to that unit: nobody investigates a complaint about themselves.
 */
export function routeCase(input: { category: string; area: CaseArea }): { unitCode: string; concernedUnitCode?: string } {
  const local = areaUnitCode(input.area);
  if (subjectCategory(input.category)?.againstOfficials) {
    return { unitCode: local === MINISTRY_UNIT_CODE ? MINISTRY_UNIT_CODE : parentUnitCode(local), concernedUnitCode: local };
  }
  return { unitCode: local };
}
