import { describe, expect, it, vi } from 'vitest';
import {
  district, districtsOf, findDistricts, findProvinces, findSubdistricts, mueangDistrictOf, province, provinces,
  resolveAddress, subdistrict, subdistrictsOf,
} from '../shared/geo/index.ts';

const names = <T extends { nameEn: string }>(list: T[]) => list.map((x) => x.nameEn);

describe('lazy loading', () => {
  it('does not parse subdistricts.json until a subdistrict is asked for', async () => {
    vi.resetModules();
    const geo = await import('../shared/geo/index.ts');
    expect(geo.isSubdistrictDataLoaded()).toBe(false);
    geo.provinces();
    geo.districtsOf('50');
    geo.findProvinces('เชียงใหม่');
    geo.findDistricts('50', 'เมือง');
    expect(geo.isSubdistrictDataLoaded()).toBe(false);
    expect(geo.subdistrictsOf('5001')).toHaveLength(16);
    expect(geo.isSubdistrictDataLoaded()).toBe(true);
  });
});

describe('data', () => {
  it('has 77 provinces, 928 districts and 7,436 subdistricts with nested string codes', () => {
    const ps = provinces();
    expect(ps).toHaveLength(77);
    const ds = ps.flatMap((p) => districtsOf(p.code));
    expect(ds).toHaveLength(928);
    expect(ds.filter((d) => d.provinceCode === '10')).toHaveLength(50);
    const ss = ds.flatMap((d) => subdistrictsOf(d.code));
    expect(ss).toHaveLength(7436);
    for (const p of ps) expect(p.code).toMatch(/^\d{2}$/);
    for (const d of ds) {
      expect(d.code).toMatch(/^\d{4}$/);
      expect(d.code.startsWith(d.provinceCode)).toBe(true);
      expect(d.postalCode).toMatch(/^\d{5}$/);
    }
    for (const s of ss) {
      expect(s.code).toMatch(/^\d{6}$/);
      expect(s.code.startsWith(s.districtCode)).toBe(true);
      expect(s.districtCode.startsWith(s.provinceCode)).toBe(true);
      expect(s.postalCode).toMatch(/^\d{5}$/);
      expect(s.nameEn).toBe(s.nameEn.trim());
    }
  });

  it('sorts by Thai collation', () => {
    const collator = new Intl.Collator('th');
    const ps = provinces().map((p) => p.nameTh);
    expect(ps).toEqual([...ps].sort(collator.compare));
    expect(ps[0]).toBe('กระบี่');
    const ds = districtsOf('50').map((d) => d.nameTh);
    expect(ds).toEqual([...ds].sort(collator.compare));
    const ss = subdistrictsOf('5001').map((s) => s.nameTh);
    expect(ss).toEqual([...ss].sort(collator.compare));
  });

  it('looks areas up by code', () => {
    expect(province('50')).toEqual({ code: '50', nameTh: 'เชียงใหม่', nameEn: 'Chiang Mai' });
    expect(district('5001')).toEqual({ code: '5001', provinceCode: '50', nameTh: 'เมืองเชียงใหม่', nameEn: 'Mueang Chiang Mai', postalCode: '50200' });
    expect(subdistrict('500107')).toEqual({
      code: '500107', districtCode: '5001', provinceCode: '50', nameTh: 'ช้างเผือก', nameEn: 'Chang Phueak', postalCode: '50300',
    });
    expect(district('1039')?.nameTh).toBe('วัฒนา');
    expect(province('99')).toBeUndefined();
    expect(district('5099')).toBeUndefined();
    expect(subdistrict('nope')).toBeUndefined();
    expect(districtsOf('99')).toEqual([]);
    expect(subdistrictsOf('9999')).toEqual([]);
  });

  it('returns copies, so callers cannot reorder or edit the shared data', () => {
    const ps = provinces();
    ps.reverse();
    expect(provinces()[0].nameTh).toBe('กระบี่');
    expect(() => { (province('50') as { nameEn: string }).nameEn = 'x'; }).toThrow();
  });

  it('corrects wrong English names from upstream', () => {
    expect(province('16')?.nameEn).toBe('Lop Buri');
    expect(district('5402')?.nameEn).toBe('Rong Kwang'); // upstream: "Mueang Phrae"
    expect(district('9603')?.nameEn).toBe('Bacho'); // upstream: "Tak Bai"
    expect(subdistrict('380101')?.nameEn).toBe('Bueng Kan'); // upstream: "Seka"
    // Ayutthaya's บางไทร (1404) and บางซ้าย (1413) really are both "Bang Sai" in RTGS.
    for (const p of provinces()) {
      const en = districtsOf(p.code).map((d) => d.nameEn.toLowerCase());
      expect(new Set(en).size, p.nameEn).toBe(p.code === '14' ? en.length - 1 : en.length);
    }
  });

  it('knows each capital district', () => {
    expect(mueangDistrictOf('50')?.nameTh).toBe('เมืองเชียงใหม่');
    expect(mueangDistrictOf('14')?.nameTh).toBe('พระนครศรีอยุธยา');
    expect(mueangDistrictOf('10')).toBeUndefined();
    for (const p of provinces()) if (p.code !== '10') expect(mueangDistrictOf(p.code), p.nameEn).toBeDefined();
  });
});

describe('findProvinces', () => {
  it.each([
    ['เชียงใหม่', 'Chiang Mai'],
    ['จังหวัดเชียงใหม่', 'Chiang Mai'],
    ['จ.เชียงใหม่', 'Chiang Mai'],
    ['จ. เชียงใหม่', 'Chiang Mai'],
    ['  chiang MAI ', 'Chiang Mai'],
    ['ChiangMai', 'Chiang Mai'],
    ['Chiang Mai Province', 'Chiang Mai'],
    ['Changwat Chiang Mai', 'Chiang Mai'],
    ['กทม', 'Bangkok'],
    ['กทม.', 'Bangkok'],
    ['กรุงเทพ', 'Bangkok'],
    ['กรุงเทพฯ', 'Bangkok'],
    ['กรุงเทพมหานคร', 'Bangkok'],
    ['Bangkok', 'Bangkok'],
    ['bangkok', 'Bangkok'],
    ['Krung Thep Maha Nakhon', 'Bangkok'],
    ['จันทบุรี', 'Chanthaburi'], // "จ" without a dot is part of the name
    ['Lopburi', 'Lop Buri'],
    ['Buriram', 'Buri Ram'],
    ['Sisaket', 'Si Sa Ket'],
    ['อยุธยา', 'Phra Nakhon Si Ayutthaya'],
    ['Korat', 'Nakhon Ratchasima'],
    ['Phuket', 'Phuket'],
  ])('%s → %s first', (query, expected) => {
    expect(findProvinces(query)[0]?.nameEn).toBe(expected);
  });

  it('puts the exact match before prefix and contains matches', () => {
    expect(names(findProvinces('เชียง'))).toEqual(['Chiang Rai', 'Chiang Mai']); // Thai order: เชียงราย < เชียงใหม่
    expect(names(findProvinces('Chiang'))).toEqual(['Chiang Rai', 'Chiang Mai']);
    const nakhon = findProvinces('นคร').map((p) => p.nameTh);
    expect(nakhon.slice(0, 6)).toEqual(['นครนายก', 'นครปฐม', 'นครพนม', 'นครราชสีมา', 'นครศรีธรรมราช', 'นครสวรรค์']);
    expect(nakhon).toContain('สกลนคร');
    expect(nakhon.indexOf('สกลนคร')).toBeGreaterThan(5);
    expect(names(findProvinces('Nan'))[0]).toBe('Nan');
    expect(names(findProvinces('ตาก'))[0]).toBe('Tak');
  });

  it('finds nothing for empty or unknown input', () => {
    expect(findProvinces('')).toEqual([]);
    expect(findProvinces('   ')).toEqual([]);
    expect(findProvinces('จังหวัด')).toEqual([]);
    expect(findProvinces('Atlantis')).toEqual([]);
    expect(findProvinces(undefined as unknown as string)).toEqual([]);
  });
});

describe('findDistricts', () => {
  it.each([
    ['50', 'เมือง', 'Mueang Chiang Mai'],
    ['50', 'อ.เมือง', 'Mueang Chiang Mai'],
    ['50', 'อำเภอเมือง', 'Mueang Chiang Mai'],
    ['50', 'Mueang', 'Mueang Chiang Mai'],
    ['50', 'Amphoe Mueang', 'Mueang Chiang Mai'],
    ['50', 'muang', 'Mueang Chiang Mai'],
    ['50', 'เมืองเชียงใหม่', 'Mueang Chiang Mai'],
    ['50', 'Mueang Chiang Mai District', 'Mueang Chiang Mai'],
    ['50', 'อ.แม่ริม', 'Mae Rim'],
    ['50', 'Mae Rim', 'Mae Rim'],
    ['50', 'maerim', 'Mae Rim'],
    ['50', 'จอมทอง', 'Chom Thong'],
    ['14', 'เมือง', 'Phra Nakhon Si Ayutthaya'],
    ['30', 'อ.เมือง', 'Mueang Nakhon Ratchasima'],
    ['10', 'เขตวัฒนา', 'Watthana'],
    ['10', 'Khet Watthana', 'Watthana'],
    ['10', 'Watthana District', 'Watthana'],
    ['10', 'จอมทอง', 'Chom Thong'],
    ['10', 'Bang Sue', 'Bang Sue'],
    ['10', 'Bang Su', 'Bang Sue'],
    ['84', 'Koh Samui', 'Ko Samui'],
  ])('%s: %s → %s first', (pc, query, expected) => {
    expect(findDistricts(pc, query)[0]?.nameEn).toBe(expected);
  });

  it('searches only inside the province', () => {
    expect(findDistricts('50', 'จอมทอง').map((d) => d.code)).toEqual(['5002']);
    expect(findDistricts('10', 'จอมทอง').map((d) => d.code)).toEqual(['1035']);
    expect(findDistricts('50', 'หาดใหญ่')).toEqual([]);
    for (const pc of ['50', '10', '30']) for (const d of findDistricts(pc, 'a')) expect(d.provinceCode).toBe(pc);
  });

  it('lists the capital first for "เมือง", then other names that start with or contain it', () => {
    expect(findDistricts('30', 'เมือง').map((d) => d.nameTh)).toEqual(['เมืองนครราชสีมา', 'เมืองยาง']);
    expect(findDistricts('10', 'เมือง').map((d) => d.nameTh)).toEqual(['ดอนเมือง']); // Bangkok has no อำเภอเมือง
  });

  it('finds nothing for empty input or an unknown province', () => {
    expect(findDistricts('50', '')).toEqual([]);
    expect(findDistricts('50', 'อำเภอ')).toEqual([]);
    expect(findDistricts('99', 'เมือง')).toEqual([]);
  });
});

describe('findSubdistricts', () => {
  it('matches within the district, with or without ตำบล/แขวง', () => {
    expect(names(findSubdistricts('5001', 'ต.ช้างเผือก'))).toEqual(['Chang Phueak']);
    expect(names(findSubdistricts('5001', 'chang phueak'))).toEqual(['Chang Phueak']);
    expect(names(findSubdistricts('1039', 'แขวงคลองเตยเหนือ'))).toEqual(['Khlong Toei Nuea']);
    expect(names(findSubdistricts('5001', 'ช้าง'))).toEqual(['Chang Khlan', 'Chang Phueak', 'Chang Moi']);
    expect(findSubdistricts('5002', 'ช้างเผือก')).toEqual([]);
  });
});

describe('resolveAddress', () => {
  const cases: [string, string?, string?, string?][] = [
    // LINE location messages (Google-style), Thai
    ['ศาลากลางจังหวัดเชียงใหม่ ถนนโชตนา ตำบลช้างเผือก อำเภอเมืองเชียงใหม่ เชียงใหม่ 50300 ประเทศไทย', '50', '5001', '500107'],
    ['123 ถ. สุขุมวิท แขวงคลองเตยเหนือ เขตวัฒนา กรุงเทพมหานคร 10110', '10', '1039', '103901'],
    ['ตำบลประตูชัย อำเภอพระนครศรีอยุธยา พระนครศรีอยุธยา 13000', '14', '1401', '140101'],
    ['ตำบลในเมือง อำเภอเมืองขอนแก่น ขอนแก่น 40000', '40', '4001', '400101'],
    ['ตำบลหาดใหญ่ อำเภอหาดใหญ่ สงขลา 90110', '90', '9011', '901101'],
    ['แขวงถนนเพชรบุรี เขตราชเทวี กรุงเทพมหานคร 10400', '10', '1037', '103703'],
    // English
    ['Chang Phueak, Mueang Chiang Mai District, Chiang Mai 50300, Thailand', '50', '5001', '500107'],
    ['Khlong Toei Nuea, Watthana, Bangkok 10110, Thailand', '10', '1039', '103901'],
    ['Si Lom, Bang Rak, Krung Thep Maha Nakhon 10500, Thailand', '10', '1004', '100402'],
    ['Tambon Chang Phueak, Amphoe Mueang Chiang Mai, Chang Wat Chiang Mai 50300, Thailand', '50', '5001', '500107'],
    ['Bo Phut, Ko Samui District, Surat Thani 84320, Thailand', '84', '8404', '840406'],
    ['Nong Prue, Bang Lamung District, Chonburi 20150, Thailand', '20', '2004', '200402'],
    ['Patong, Kathu District, Phuket 83150', '83', '8302', '830202'],
    ['Hat Yai, Hat Yai District, Songkhla 90110, Thailand', '90', '9011', '901101'],
    // typed by citizens: abbreviations, Thai digits, glued, spaced, "เมือง" alone
    ['99 หมู่ 5 ต.แม่เหียะ อ.เมือง จ.เชียงใหม่ 50100', '50', '5001', '500109'],
    ['บ้านเลขที่ ๑๒ ต.ในเมือง อ.เมือง จ.นครราชสีมา ๓๐๐๐๐', '30', '3001', '300101'],
    ['ต.ช้างเผือกอ.เมืองจ.เชียงใหม่', '50', '5001', '500107'],
    ['ตำบล ช้างเผือก อำเภอ เมืองเชียงใหม่ จังหวัด เชียงใหม่', '50', '5001', '500107'],
    ['ตำบลเซกา อำเภอเซกา บึงกาฬ 38150', '38', '3804', '380401'],
    ['เขตจอมทอง กทม.', '10', '1035'],
    // only a province
    ['เชียงใหม่', '50'],
    ['Chiang Mai', '50'],
    ['จังหวัดน่าน', '55'],
    ['Ubon Ratchathani', '34'],
  ];
  it.each(cases)('%s', (text, pc, dc, sc) => {
    const r = resolveAddress(text);
    expect(r.province?.code).toBe(pc);
    expect(r.district?.code).toBe(dc);
    expect(r.subdistrict?.code).toBe(sc);
  });

  it('returns {} for garbage and empty input', () => {
    for (const text of ['', '   ', 'hello world 12345', 'สวัสดีครับ', 'หน้าเซเว่น ใกล้ตลาด', 'abc, def, ghi', '10110', 'เมือง']) {
      expect(resolveAddress(text), text).toEqual({});
    }
    expect(resolveAddress(null as unknown as string)).toEqual({});
  });

  it('does not read a province name inside a district or road name as that province', () => {
    // ศรีเชียงใหม่ is a district of Nong Khai, not Chiang Mai
    expect(resolveAddress('อำเภอศรีเชียงใหม่ 43130')).toMatchObject({ province: { code: '43' }, district: { code: '4307' } });
    // Chiang Mai–Lampang road runs through Chiang Mai
    const r = resolveAddress('ถนนเชียงใหม่-ลำปาง ตำบลป่าตัน อำเภอเมืองเชียงใหม่ เชียงใหม่ 50300');
    expect([r.province?.code, r.district?.code, r.subdistrict?.code]).toEqual(['50', '5001', '500115']);
    // ตากใบ contains ตาก
    expect(resolveAddress('อำเภอตากใบ นราธิวาส 96110')).toMatchObject({ province: { code: '96' }, district: { code: '9602' } });
  });

  it('never returns a district from another province', () => {
    const r = resolveAddress('อำเภอหาดใหญ่ จังหวัดเชียงใหม่');
    expect(r.province?.code).toBe('50');
    expect(r.district).toBeUndefined();
    expect(r.subdistrict).toBeUndefined();
  });

  it('leaves out what is ambiguous, and uses the postcode to decide', () => {
    expect(resolveAddress('อำเภอจอมทอง')).toEqual({}); // Chiang Mai and Bangkok
    expect(resolveAddress('อำเภอจอมทอง 50160')).toMatchObject({ province: { code: '50' }, district: { code: '5002' } });
    expect(resolveAddress('ตำบลเวียง')).toEqual({}); // dozens of them
    expect(resolveAddress('ตำบลเวียง 57140')).toMatchObject({ province: { code: '57' }, district: { code: '5703' }, subdistrict: { code: '570301' } });
    const nan = resolveAddress('อำเภอเฉลิมพระเกียรติ จังหวัดน่าน'); // a district name found in five provinces
    expect([nan.province?.code, nan.district?.code]).toEqual(['55', '5515']);
    expect(resolveAddress('อำเภอเฉลิมพระเกียรติ')).toEqual({});
  });

  it('does not take a repeated name for the subdistrict unless it is one', () => {
    // tambon Hang Dong in amphoe Hang Dong: the first "Hang Dong" is the tambon
    expect(resolveAddress('Hang Dong, Hang Dong District, Chiang Mai 50230').subdistrict?.nameTh).toBe('หางดง');
    // the province named twice is still only the province
    const chaiNat = resolveAddress('ศาลากลางจังหวัดชัยนาท อ.เมืองชัยนาท ชัยนาท 17000');
    expect([chaiNat.province?.code, chaiNat.district?.code, chaiNat.subdistrict]).toEqual(['18', '1801', undefined]);
    // a tambon named like another province stays a tambon
    expect(resolveAddress('ตำบลอ่างทอง อำเภอเมืองราชบุรี ราชบุรี 70000')).toMatchObject({
      province: { code: '70' }, district: { code: '7001' }, subdistrict: { nameTh: 'อ่างทอง' },
    });
  });

  it('is fast once warmed up', () => {
    resolveAddress('Khlong Toei Nuea, Watthana, Bangkok 10110, Thailand');
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) resolveAddress('ศาลากลางจังหวัดเชียงใหม่ ถนนโชตนา ตำบลช้างเผือก อำเภอเมืองเชียงใหม่ เชียงใหม่ 50300 ประเทศไทย');
    expect((performance.now() - t0) / 200).toBeLessThan(5);
  });
});
