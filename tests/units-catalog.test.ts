import { describe, expect, it } from 'vitest';
import { buildUnitCatalog, MINISTRY_UNIT_CODE } from '../shared/units/catalog.ts';
import type { UnitSeed } from '../shared/units/catalog.ts';

describe('buildUnitCatalog', () => {
  const units = buildUnitCatalog();
  const byCode = new Map(units.map((u) => [u.code, u]));
  const level = (l: UnitSeed['level']) => units.filter((u) => u.level === l);

  it('has 1 ministry + 77 provincial + 878 district centres', () => {
    expect(level('ministry')).toHaveLength(1);
    expect(level('province')).toHaveLength(77);
    expect(level('district')).toHaveLength(878);
    expect(level('partner')).toHaveLength(0);
    expect(units).toHaveLength(956);
  });

  it('has unique codes shaped like their area codes', () => {
    expect(byCode.size).toBe(units.length);
    for (const u of level('province')) expect(u.code).toMatch(/^\d{2}$/);
    for (const u of level('district')) expect(u.code).toMatch(/^\d{4}$/);
  });

  it('links every unit to an existing parent one level up, listed before it', () => {
    const seen = new Set<string>();
    for (const u of units) {
      if (u.level === 'ministry') expect(u.parentCode).toBeNull();
      else {
        const parent = byCode.get(u.parentCode ?? '');
        expect(parent, u.code).toBeDefined();
        expect(seen.has(parent!.code), `${u.code} after its parent`).toBe(true);
        expect(parent!.level).toBe(u.level === 'province' ? 'ministry' : 'province');
      }
      seen.add(u.code);
    }
    for (const u of level('district')) {
      expect(u.code.startsWith(u.parentCode!)).toBe(true);
      expect(u.provinceCode).toBe(u.parentCode);
    }
    for (const u of level('province')) expect(u.provinceCode).toBe(u.code);
    expect(byCode.get(MINISTRY_UNIT_CODE)?.provinceCode).toBeUndefined();
  });

  it('gives Bangkok one centre and its 50 khet none', () => {
    expect(units.filter((u) => u.code.startsWith('10') && u.code.length === 4)).toEqual([]);
    expect(units.filter((u) => u.parentCode === '10')).toEqual([]);
  });

  it('names the centres as the ministry does', () => {
    expect(byCode.get('MOI')).toEqual({
      code: 'MOI', nameTh: 'ศูนย์ดำรงธรรมกระทรวงมหาดไทย', nameEn: 'Damrongdhama Centre, Ministry of Interior', level: 'ministry', parentCode: null,
    });
    expect(byCode.get('50')).toEqual({
      code: '50', nameTh: 'ศูนย์ดำรงธรรมจังหวัดเชียงใหม่', nameEn: 'Damrongdhama Centre, Chiang Mai Province',
      level: 'province', parentCode: 'MOI', provinceCode: '50',
    });
    expect(byCode.get('10')).toMatchObject({ nameTh: 'ศูนย์ดำรงธรรมกรุงเทพมหานคร', nameEn: 'Damrongdhama Centre, Bangkok' });
    expect(byCode.get('5001')).toEqual({
      code: '5001', nameTh: 'ศูนย์ดำรงธรรมอำเภอเมืองเชียงใหม่', nameEn: 'Damrongdhama Centre, Mueang Chiang Mai District',
      level: 'district', parentCode: '50', provinceCode: '50',
    });
    expect(byCode.get('9011')).toMatchObject({ nameTh: 'ศูนย์ดำรงธรรมอำเภอหาดใหญ่', nameEn: 'Damrongdhama Centre, Hat Yai District', parentCode: '90' });
    expect(byCode.get('16')?.nameEn).toBe('Damrongdhama Centre, Lop Buri Province');
    expect(byCode.get('5402')?.nameEn).toBe('Damrongdhama Centre, Rong Kwang District');
  });

  it('is deterministic', () => {
    expect(buildUnitCatalog()).toEqual(units);
  });
});
