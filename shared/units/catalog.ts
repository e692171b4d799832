/**
 * The fixed part of the unit tree, derived from the administrative areas so that a unit's code
 * IS its area code: routing by province/district needs no lookup table, and a case's area and
 * its unit can never disagree. Partner agencies are not here; admins add them.
 */
import { BANGKOK_PROVINCE_CODE, districtsOf, provinces } from '../geo/index.ts';

export type UnitLevel = 'ministry' | 'province' | 'district' | 'partner';

export interface UnitSeed {
  code: string;
  nameTh: string;
  nameEn: string;
  level: UnitLevel;
  parentCode: string | null;
  provinceCode?: string;
}

export const MINISTRY_UNIT_CODE = 'MOI';

const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/** Ministry, then provinces, then districts, each in code order: parents always come before children. */
export function buildUnitCatalog(): UnitSeed[] {
  const units: UnitSeed[] = [{
    code: MINISTRY_UNIT_CODE,
    nameTh: 'ศูนย์ดำรงธรรมกระทรวงมหาดไทย',
    nameEn: 'Damrongdhama Centre, Ministry of Interior',
    level: 'ministry',
    parentCode: null,
  }];
  const allProvinces = provinces().sort(byCode);
  for (const p of allProvinces) {
    // Bangkok is a special administrative area, not a changwat: "จังหวัดกรุงเทพมหานคร" is wrong.
    const bangkok = p.code === BANGKOK_PROVINCE_CODE;
    units.push({
      code: p.code,
      nameTh: bangkok ? `ศูนย์ดำรงธรรม${p.nameTh}` : `ศูนย์ดำรงธรรมจังหวัด${p.nameTh}`,
      nameEn: bangkok ? `Damrongdhama Centre, ${p.nameEn}` : `Damrongdhama Centre, ${p.nameEn} Province`,
      level: 'province',
      parentCode: MINISTRY_UNIT_CODE,
      provinceCode: p.code,
    });
  }
  for (const p of allProvinces) {
    // Bangkok's khet are run by the Bangkok administration and report through the Bangkok centre.
    if (p.code === BANGKOK_PROVINCE_CODE) continue;
    for (const d of districtsOf(p.code).sort(byCode)) {
      units.push({
        code: d.code,
        nameTh: `ศูนย์ดำรงธรรมอำเภอ${d.nameTh}`,
        nameEn: `Damrongdhama Centre, ${d.nameEn} District`,
        level: 'district',
        parentCode: p.code,
        provinceCode: p.code,
      });
    }
  }
  return units;
}
