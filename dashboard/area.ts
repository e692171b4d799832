import { district as geoDistrict, province as geoProvince } from '../shared/geo/index.ts';

/** "อ.เมืองเชียงใหม่ จ.เชียงใหม่": stored names, else the DOPA names of the stored codes (cases recorded or imported with codes only). */
export function areaOf(loc: { provinceCode?: string | null; provinceName?: string | null; districtCode?: string | null; districtName?: string | null }): string {
  const d = loc.districtName ?? (loc.districtCode ? geoDistrict(loc.districtCode)?.nameTh : undefined);
  const p = loc.provinceName ?? (loc.provinceCode ? geoProvince(loc.provinceCode)?.nameTh : undefined);
  return [d, p].filter(Boolean).join(', ');
}
