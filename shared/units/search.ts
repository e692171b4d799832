/**
 * Where an officer can forward a case (Service Link), by name rather than by code: Thai or English,
 * the centre's own name or the province/district it serves. The case's own district and province
 * centres and the partner agencies come first; the unit holding the case and, for a complaint about
 * officials, the unit complained about are never offered.
 */
import { BANGKOK_PROVINCE_CODE, district, province } from '../geo/index.ts';
import type { UnitLevel } from './catalog.ts';

export interface UnitEntry {
  code: string;
  nameTh: string;
  nameEn: string;
  level: UnitLevel;
  provinceCode?: string | null;
}

export interface ForwardTargetOut {
  code: string;
  nameTh: string;
  nameEn: string;
  level: UnitLevel;
  areaTh?: string;
  areaEn?: string;
  suggested: boolean;
}

export interface ForwardSearch {
  /** Typed by the officer; empty: the suggestions alone. */
  q?: string;
  /** The case's area. */
  provinceCode?: string;
  districtCode?: string;
  /** Never offered: the unit holding the case and the unit complained about. */
  exclude: (string | null | undefined)[];
  limit?: number;
}

const LEVEL_ORDER: Record<UnitLevel, number> = { district: 0, province: 1, partner: 2, ministry: 3 };

/** Lower-case, no spaces or dots: "Hang Dong" = "hangdong", "อ. หางดง" = "อ.หางดง" minus the dot. */
const fold = (s: string) => s.toLowerCase().normalize('NFC').replace(/[\s.\-_,()]+/g, '');

function areaOf(u: UnitEntry): { th: string; en: string } | undefined {
  if (u.level === 'district') {
    const d = district(u.code);
    const p = province(u.provinceCode ?? u.code.slice(0, 2));
    if (d && p) return { th: `อำเภอ${d.nameTh} จังหวัด${p.nameTh}`, en: `${d.nameEn}, ${p.nameEn}` };
  }
  if (u.level === 'province') {
    const p = province(u.provinceCode ?? u.code);
    // Bangkok is not a changwat: no "จังหวัด" in front of it.
    if (p) return { th: p.code === BANGKOK_PROVINCE_CODE ? p.nameTh : `จังหวัด${p.nameTh}`, en: p.nameEn };
  }
  return undefined;
}

export function searchForwardTargets(units: UnitEntry[], s: ForwardSearch): ForwardTargetOut[] {
  const excluded = new Set(s.exclude.filter(Boolean) as string[]);
  const q = fold(s.q ?? '');
  const isSuggested = (u: UnitEntry) => u.level === 'partner' || (u.level === 'district' && u.code === s.districtCode) || (u.level === 'province' && u.code === s.provinceCode);
  const matches = (u: UnitEntry) => {
    if (!q) return isSuggested(u);
    const area = areaOf(u);
    return [u.code, u.nameTh, u.nameEn, area?.th ?? '', area?.en ?? ''].some((x) => fold(x).includes(q));
  };
  const rank = (u: UnitEntry) => (isSuggested(u) ? 0 : 10) + LEVEL_ORDER[u.level];
  const byThai = new Intl.Collator('th');
  return units
    .filter((u) => !excluded.has(u.code) && matches(u))
    .sort((a, b) => rank(a) - rank(b) || byThai.compare(a.nameTh, b.nameTh))
    .slice(0, s.limit ?? 30)
    .map((u) => {
      const area = areaOf(u);
      return {
        code: u.code, nameTh: u.nameTh, nameEn: u.nameEn, level: u.level,
        ...(area ? { areaTh: area.th, areaEn: area.en } : {}),
        suggested: isSuggested(u),
      };
    });
}
