/**
 * Partner agencies without services: the CSV checks (every reason a line is refused) and the routing
 * table (problem type × place → unit). The database side: tests/agencies.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateAgencies } from '../../shared/agencies/importCsv.ts';
import { routeCase } from '../../shared/cases/routing.ts';

const DEMO = readFileSync(new URL('../../config/agencies-demo.csv', import.meta.url), 'utf8');
const HEADER = 'code,nameTh,nameEn,type,supervisorCode,provinceCodes,districtCodes,subdistrictCodes,problemTypes,receives';

describe('agencies CSV', () => {
  it('accepts the demo file: five agencies of the Hang Dong area, no contact data', () => {
    const { agencies, errors } = validateAgencies(DEMO);
    expect(errors).toEqual([]);
    expect(agencies.map((a) => a.code)).toEqual(['AG-CM-HANGDONG-MUN', 'AG-CM-BANWAEN-SAO', 'AG-CM-HANGDONG-POWER', 'AG-CM-HANGDONG-WATER', 'AG-CM-HANGDONG-POLICE']);
    expect(agencies[0]).toMatchObject({ agencyType: 'local_admin', supervisorCode: '5015', subdistrictCodes: ['501501', '501502', '501503'], receives: 'line' });
    expect(DEMO).not.toMatch(/@|\b0\d{8,9}\b|https?:/);
  });

  it('refuses a file with any bad line, naming each line and reason in Thai and English', () => {
    const csv = [
      HEADER,
      'AG-OK,ดี,Good,utility,5015,50,5015,,electricity,line',
      'ag-bad,ชื่อ,Name,utility,5015,50,5015,,electricity,line',
      'AG-X1,ชื่อ,Name,bank,5015,50,5015,,electricity,fax',
      'AG-X2,ชื่อ,Name,utility,5001,50,5015,,electricity,line',
      'AG-X3,ชื่อ,Name,utility,5015,50,5015,500101,electricity,line',
      'AG-X4,ชื่อ,Name,utility,5015,50,5015,501599,teleport,line',
      'AG-X5,ชื่อ,Name,police,5015,50,5015,,corruption,line',
      'AG-X6,ชื่อ,Name,utility,AG-OK,50,5015,,road,line',
      'AG-OK,ซ้ำ,Again,utility,5015,50,5015,,road,line',
      'AG-X7,ชื่อ,Name,utility,50,51,,,road,api',
      'AG-X8,"ชื่อ, มีจุลภาค",Name,utility,5015,50',
    ].join('\n');
    const { agencies, errors } = validateAgencies(csv);
    expect(agencies).toEqual([]);
    const at = (line: number) => errors.filter((e) => e.line === line).map((e) => `${e.th} / ${e.en}`).join(' | ');
    expect(at(2)).toBe('');
    expect(at(3)).toContain('must be AG- followed by capitals');
    expect(at(4)).toMatch(/type "bank"/);
    expect(at(4)).toMatch(/receives "fax" must be line or api/);
    expect(at(5)).toContain('centre 5001 supervises its own district only');
    expect(at(6)).toContain('subdistrict 500101 is not in the listed districts');
    expect(at(6)).toContain('ตำบล 500101 ไม่อยู่ในอำเภอที่ระบุ');
    expect(at(7)).toContain('unknown subdistrict code 501599');
    expect(at(7)).toContain('unknown problem type teleport');
    expect(at(8)).toContain('complaint about officials');
    expect(at(9)).toContain('is not a Damrongdhama centre');
    expect(at(10)).toContain('code AG-OK repeats line 2');
    expect(at(11)).toContain('centre 50 supervises its own province only');
    expect(at(12)).toContain('fields, expected 10');
  });

  it('refuses a wrong header and an empty file', () => {
    expect(validateAgencies('code,name\nAG-A,x').errors[0]).toMatchObject({ line: 1, en: expect.stringContaining('missing nameTh') });
    expect(validateAgencies('').errors[0]!.en).toContain('empty file');
    expect(validateAgencies(HEADER).errors[0]!.en).toContain('no agency lines');
  });
});

describe('routing: problem type × place → unit', () => {
  const { agencies } = validateAgencies(DEMO);
  const hangDong = { provinceCode: '50', districtCode: '5015', subdistrictCode: '501501' };
  const banWaen = { provinceCode: '50', districtCode: '5015', subdistrictCode: '501507' };
  const nongKhwai = { provinceCode: '50', districtCode: '5015', subdistrictCode: '501509' };
  const mueang = { provinceCode: '50', districtCode: '5001', subdistrictCode: '500101' };
  const route = (problemType: string, area: object, category = 'help') => routeCase({ category, problemType, area }, agencies);

  it('a direct type opens at the agency serving the most specific area', () => {
    expect(route('street_light', hangDong)).toEqual({ unitCode: 'AG-CM-HANGDONG-MUN' });
    expect(route('street_light', banWaen)).toEqual({ unitCode: 'AG-CM-BANWAEN-SAO' });
    expect(route('electricity', banWaen)).toEqual({ unitCode: 'AG-CM-HANGDONG-POWER' });
    expect(route('water_supply', hangDong)).toEqual({ unitCode: 'AG-CM-HANGDONG-WATER' });
  });

  it('a subdistrict agency beats a district one; ties go to the lowest code', () => {
    const wide = { ...agencies[2]!, code: 'AG-A-WIDE', problemTypes: ['street_light'] };
    expect(routeCase({ category: 'help', problemType: 'street_light', area: hangDong }, [wide, ...agencies])).toEqual({ unitCode: 'AG-CM-HANGDONG-MUN' });
    // Nong Khwai has no municipality in the file: the district-wide one takes it.
    expect(routeCase({ category: 'help', problemType: 'street_light', area: nongKhwai }, [wide, ...agencies])).toEqual({ unitCode: 'AG-A-WIDE' });
    const twin = { ...wide, code: 'AG-B-WIDE' };
    expect(routeCase({ category: 'help', problemType: 'street_light', area: nongKhwai }, [twin, wide])).toEqual({ unitCode: 'AG-A-WIDE' });
  });

  it('a suggest type opens at the centre with the agency offered', () => {
    expect(route('stray_animals', hangDong)).toEqual({ unitCode: '5015', suggestedUnitCode: 'AG-CM-HANGDONG-MUN' });
    expect(route('safety_drugs', nongKhwai, 'tipoff')).toEqual({ unitCode: '5015', suggestedUnitCode: 'AG-CM-HANGDONG-POLICE' });
  });

  it('no agency for the place or the type: the centre of the area, as before', () => {
    expect(route('street_light', mueang)).toEqual({ unitCode: '5001' });
    expect(route('street_light', nongKhwai)).toEqual({ unitCode: '5015' });
    expect(route('land', hangDong, 'dispute')).toEqual({ unitCode: '5015' });
    expect(routeCase({ category: 'help', area: hangDong }, agencies)).toEqual({ unitCode: '5015' });
  });

  it('complaints about officials never go to an agency', () => {
    expect(route('official', hangDong, 'official')).toEqual({ unitCode: '50', concernedUnitCode: '5015' });
    expect(route('corruption', hangDong, 'corruption')).toEqual({ unitCode: '50', concernedUnitCode: '5015' });
    // Even when the type says street light, an againstOfficials category keeps it with the centres.
    expect(route('street_light', hangDong, 'official')).toEqual({ unitCode: '50', concernedUnitCode: '5015' });
  });
});
