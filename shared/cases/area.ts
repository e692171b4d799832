import type { Lang } from '../thaiDate.ts';

export interface AreaNames {
  provinceCode?: string | null; provinceName?: string | null;
  districtName?: string | null; subdistrictName?: string | null;
}

/**
 * "ต.ช้างเผือก อ.เมืองเชียงใหม่ จ.เชียงใหม่" — or แขวง/เขต for Bangkok, which has no จังหวัด prefix;
 * "Chang Phueak, Mueang Chiang Mai, Chiang Mai" in English.
 */
export function formatArea(loc: AreaNames | null | undefined, lang: Lang = 'th'): string {
  if (!loc?.provinceName) return '-';
  if (lang === 'en') return [loc.subdistrictName, loc.districtName, loc.provinceName].filter(Boolean).join(', ');
  const bkk = loc.provinceCode === '10';
  return [
    loc.subdistrictName && `${bkk ? 'แขวง' : 'ต.'}${loc.subdistrictName}`,
    loc.districtName && `${bkk ? 'เขต' : 'อ.'}${loc.districtName}`,
    bkk ? loc.provinceName : `จ.${loc.provinceName}`,
  ].filter(Boolean).join(' ');
}
